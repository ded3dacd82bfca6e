package wgan.train;

import wgan.nn.Branched;
import wgan.nn.Layer;
import wgan.nn.Module;
import wgan.nn.Parameter;
import wgan.nn.Sequential;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

import java.util.List;
import java.util.Locale;

/**
 * A lower bound on the memory a configuration trains in, so that a run that cannot fit is refused
 * at the start rather than running out of memory a minute in. It counts the two things that grow
 * with the settings: the weights with their gradients and optimiser slots (the generator's first
 * Dense layer grows with the latent size), and the activations of one training step: every
 * layer's output for every image of the step, kept for the backward pass, a gradient of the same
 * size, and the backward pass's temporaries ({@link #FLOATS_PER_ACTIVATION}). Scratch buffers, the
 * training images and the JVM's own use come on top.
 *
 * @param weightBytes     weights, gradients and optimiser slots of both networks
 * @param activationBytes the activations and their gradients in the larger of a critic round and a generator step
 */
public record MemoryNeed(long weightBytes, long activationBytes) {
    private static final double GIB = 1 << 30;
    /**
     * Floats of memory per activation of a step: its value and its gradient, and about 40% more
     * for what the backward pass makes on the way (checked against runs of E1 at batch 512 under
     * -Xmx: the estimate stays below the least heap they ran in).
     */
    static final double FLOATS_PER_ACTIVATION = 2.4;

    public long total() {
        return weightBytes + activationBytes;
    }

    /** The need of {@code config}'s models and batch. */
    public static MemoryNeed of(TrainConfig config) {
        Architecture a = config.get(Settings.MODEL);
        if (a.autoencoder()) return autoencoder(config);
        // Built with a latent size of 1: the weights are small, and the first layer's grow linearly with it.
        Sequential generator = Models.generator(a, new Rng(0), 1);
        Sequential critic = Models.critic(a, config.get(Settings.CRITIC_NORM), new Rng(0));
        long firstLayerUnits = generator.layers().get(0).outputShape()[0];
        long weights = parameters(generator) + parameters(critic) + (config.get(Settings.LATENT) - 1) * firstLayerUnits;
        int slots = config.get(Settings.OPTIMIZER) == TrainConfig.OptimizerKind.ADAM ? 2 : 1;
        long perImageThroughBoth = activations(generator) + activations(critic);
        // A critic round sees its real and its fake images; a generator step takes its batch through both networks.
        long criticRound = 2L * config.criticBatch() * activations(critic);
        long generatorStep = (long) config.get(Settings.BATCH) * perImageThroughBoth;
        double stepFloats = FLOATS_PER_ACTIVATION * Math.max(criticRound, generatorStep);
        return new MemoryNeed(Float.BYTES * weights * (2 + slots), (long) (Float.BYTES * stepFloats));
    }

    /**
     * Refuses {@code config} if its need is more than this JVM may take (Runtime.maxMemory), with
     * the figures and what to change: the batch when activations are most of it, else the latent size.
     */
    public static void check(TrainConfig config) {
        MemoryNeed need = of(config);
        long max = Runtime.getRuntime().maxMemory();
        if (need.total() <= max) return;
        boolean activations = need.activationBytes >= need.weightBytes;
        Setting<Integer> culprit = activations ? Settings.BATCH : Settings.LATENT;
        int value = config.get(culprit);
        // Both parts grow linearly: the largest value that fits by that part alone.
        long other = activations ? need.weightBytes : need.activationBytes;
        long part = activations ? need.activationBytes : need.weightBytes;
        long fits = Math.max(0, (long) ((double) (max - other) / part * value));
        throw new InvalidSettingException(culprit, String.format(Locale.ROOT,
                "%d needs at least %.1f GiB of memory to train (%.1f GiB of activations for its steps, %.1f GiB of weights, "
                        + "gradients and optimiser state), more than the %.1f GiB this JVM may use: give a smaller --%s "
                        + "(below %d), or more memory with -Xmx (e.g. WGAN_JAVA_OPTS=-Xmx%dg)",
                value, need.total() / GIB, need.activationBytes / GIB, need.weightBytes / GIB, max / GIB, culprit.name(),
                fits, (long) Math.ceil(need.total() * 1.5 / GIB)));
    }

    /** An autoencoder's encoder and decoder (small dense networks, built at their size), and one step through both. */
    private static MemoryNeed autoencoder(TrainConfig config) {
        Architecture a = config.get(Settings.MODEL);
        Sequential decoder = Models.generator(a, new Rng(0), config.get(Settings.LATENT));
        Branched encoder = Models.encoder(a, new Rng(0), config.get(Settings.LATENT));
        long weights = parameters(decoder) + parameters(encoder);
        long perImage = activations(decoder);
        for (Sequential part : encoder.parts()) perImage += activations(part);
        int slots = config.get(Settings.OPTIMIZER) == TrainConfig.OptimizerKind.ADAM ? 2 : 1;
        double stepFloats = FLOATS_PER_ACTIVATION * config.get(Settings.BATCH) * perImage;
        return new MemoryNeed(Float.BYTES * weights * (2 + slots), (long) (Float.BYTES * stepFloats));
    }

    private static long parameters(Module model) {
        long n = 0;
        for (Parameter p : model.parameters()) n += p.var().value().size();
        return n;
    }

    /** Floats of every layer's output for one image. */
    private static long activations(Sequential model) {
        long n = 0;
        List<Layer> layers = model.layers();
        for (Layer layer : layers) n += Tensor.sizeOf(layer.outputShape());
        return n;
    }
}
