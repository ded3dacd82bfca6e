package wgan.train;

import wgan.autodiff.Grad;
import wgan.autodiff.Var;
import wgan.nn.Losses;
import wgan.nn.Parameter;
import wgan.nn.Sequential;
import wgan.optim.Adam;
import wgan.optim.Optimizer;
import wgan.optim.RMSprop;
import wgan.optim.WeightClipping;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The WGAN training loop of experiment E1 (SPEC.md; Arjovsky et al. 2017, Algorithm 1, as the
 * reference tutorial implements it). One {@link #iteration} is n_critic critic updates, each a
 * step on half a batch of real images (label -1) and a step on half a batch of fakes (label +1),
 * followed by one generator update through the critic (label -1).
 *
 * <p>All state that a resumed run needs is here: the two models (weights and batch-norm
 * statistics), the two optimisers, and the two random streams; {@link Checkpoint} saves it.
 */
public final class WganTrainer {
    /** Labels of the Wasserstein loss mean(y * D(x)) (docs/wgan-math.md, section 4). */
    static final float REAL = -1f;
    static final float FAKE = 1f;

    final TrainConfig config;
    final Sequential generator;
    /** The generator in inference mode, as {@code wgan generate} uses a trained one. */
    private final Generator sampler;
    final Sequential critic;
    final Optimizer generatorOptimizer;
    final Optimizer criticOptimizer;
    /**
     * With {@code --keras-bn-quirk}: the reference's combined model's own RMSprop, which updates the
     * critic's batch-norm gamma/beta in the generator step (its BN layers stay trainable there).
     * Null in the spec's reading.
     */
    final Optimizer criticNormInGeneratorStep;
    /** Streams of the random real-image indices and of the latent points. */
    final Rng dataRng;
    final Rng noiseRng;
    private final List<Parameter> clipped;
    /** What the generator step differentiates: the generator's parameters (and, with the quirk, the critic's BN ones). */
    private final List<Var> generatorStepVars;
    private final Tensor real;
    private final int imageSize;

    /** Streams forked from the run's seed; fixed ids so that each stream is the same in every run. */
    enum Stream {
        GENERATOR_INIT, CRITIC_INIT, DATA, NOISE, SAMPLE_GRID;

        Rng of(long seed) {
            return new Rng(seed).fork(ordinal() + 1);
        }
    }

    /** A new run: freshly initialised models from {@code config.seed()}. */
    public WganTrainer(TrainConfig config, Tensor real) {
        this.config = config;
        this.real = real;
        this.imageSize = real.size() / real.dim(0);
        this.generator = Models.e1Generator(Stream.GENERATOR_INIT.of(config.seed()), config.latent());
        this.critic = Models.e1Critic(Stream.CRITIC_INIT.of(config.seed()));
        this.sampler = new Generator(generator, config.latent());
        this.generatorOptimizer = optimizer(generator.parameters());
        this.criticOptimizer = optimizer(critic.parameters());
        this.dataRng = Stream.DATA.of(config.seed());
        this.noiseRng = Stream.NOISE.of(config.seed());
        // E1 clips the conv kernels only, not biases, batch norm or the Dense layer (SPEC E1).
        this.clipped = Parameter.ofKind(critic.parameters(), Parameter.Kind.CONV_KERNEL);
        List<Parameter> criticNorm = Parameter.ofKind(critic.parameters(), Parameter.Kind.NORM_GAMMA, Parameter.Kind.NORM_BETA);
        this.criticNormInGeneratorStep = config.kerasBnQuirk() ? optimizer(criticNorm) : null;
        List<Parameter> stepped = new ArrayList<>(generator.parameters());
        if (config.kerasBnQuirk()) stepped.addAll(criticNorm);
        this.generatorStepVars = stepped.stream().map(Parameter::var).toList();
    }

    private Optimizer optimizer(List<Parameter> params) {
        float lr = (float) config.lr();
        return switch (config.optimizer()) {
            case "rmsprop" -> RMSprop.keras(params, lr);
            case "adam" -> Adam.keras(params, lr, 0.5f, 0.9f);
            default -> throw new IllegalArgumentException("unknown optimizer " + config.optimizer());
        };
    }

    /** Losses of one iteration: c1 and c2 are means over the n_critic critic updates. */
    public record StepLosses(double c1, double c2, double g) {}

    public StepLosses iteration() {
        int half = config.halfBatch();
        double c1 = 0, c2 = 0;
        for (int j = 0; j < config.nCritic(); j++) {
            c1 += criticStep(realBatch(half), REAL);
            c2 += criticStep(fakeBatch(half), FAKE);
        }
        double g = generatorStep(config.batch());
        return new StepLosses(c1 / config.nCritic(), c2 / config.nCritic(), g);
    }

    /** One critic update on one batch; the kernels are clipped after it (WGAN Algorithm 1, line 7). */
    private double criticStep(Tensor images, float label) {
        criticOptimizer.zeroGrad();
        Var loss = Losses.wasserstein(critic.forward(Var.constant(images), true), label);
        Grad.backward(loss);
        criticOptimizer.step();
        if (config.clip() > 0) WeightClipping.clip(clipped, (float) config.clip());
        return loss.value().item();
    }

    /**
     * One generator update: maximise E[D(G(z))] by minimising mean(-D(G(z))). Only the generator's
     * parameters change (with the quirk, the critic's BN gamma/beta too). The critic runs in
     * training mode, as the reference's critic does inside its combined model (there its
     * batch-norm layers are left trainable: docs/e1.md).
     */
    double generatorStep(int n) {
        generatorOptimizer.zeroGrad();
        if (criticNormInGeneratorStep != null) criticNormInGeneratorStep.zeroGrad();
        Var fake = generator.forward(Var.constant(latent(n)), true);
        Var loss = Losses.wasserstein(critic.forward(fake, true), REAL);
        Grad.backward(loss, generatorStepVars);
        generatorOptimizer.step();
        if (criticNormInGeneratorStep != null) criticNormInGeneratorStep.step();
        return loss.value().item();
    }

    /** {@code n} training images drawn uniformly with replacement (the reference's randint). */
    private Tensor realBatch(int n) {
        float[] out = new float[n * imageSize];
        int count = real.dim(0);
        for (int i = 0; i < n; i++) {
            System.arraycopy(real.data(), dataRng.nextInt(count) * imageSize, out, i * imageSize, imageSize);
        }
        return Tensor.of(out, n, real.dim(1), real.dim(2), real.dim(3));
    }

    /** Fakes from the generator in inference mode (the reference's generator.predict). */
    private Tensor fakeBatch(int n) {
        return generate(latent(n));
    }

    /** Images for latent points z, generator in inference mode, no graph recorded. */
    public Tensor generate(Tensor z) {
        return sampler.generate(z);
    }

    private Tensor latent(int n) {
        Tensor z = Tensor.zeros(n, config.latent());
        noiseRng.fillGaussian(z.data(), 0f, 1f);
        return z;
    }

    /** The same {@code n} latent points for every sample grid of a run. */
    Tensor gridLatent(int n) {
        Tensor z = Tensor.zeros(n, config.latent());
        Stream.SAMPLE_GRID.of(config.seed()).fillGaussian(z.data(), 0f, 1f);
        return z;
    }
}
