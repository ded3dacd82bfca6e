package wgan.train;

import wgan.autodiff.Grad;
import wgan.autodiff.Var;
import wgan.io.FileFormatException;
import wgan.io.Safetensors;
import wgan.kernels.Elementwise;
import wgan.nn.Sequential;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A generator network (or an autoencoder's decoder) in inference mode, with its latent size and
 * architecture: what the sample grids of a run and {@code wgan generate} (from a checkpoint) draw
 * images from, in [-1, 1].
 */
public final class Sampler {
    /** Images are generated in slices of this many, so memory stays bounded for any count. */
    private static final int SLICE = 256;

    private final Sequential model;
    private final int latent;
    private final Architecture architecture;

    Sampler(Sequential model, int latent, Architecture architecture) {
        this.model = model;
        this.latent = latent;
        this.architecture = architecture;
    }

    /** From generator.safetensors (or decoder.safetensors), a checkpoint folder, or a run folder (its latest checkpoint). */
    public static Sampler load(Path path) throws IOException {
        Path file = resolve(path);
        Safetensors.Contents contents = Safetensors.read(file);
        Tensor dense = contents.tensors().containsKey("0.weight") ? contents.tensor("0.weight") : null;
        if (dense == null || dense.rank() != 2) {
            throw new IOException(file + " is not a wgan generator: it has no 2-D \"0.weight\" (the first Dense layer)");
        }
        int latent = dense.dim(1);
        // Checkpoints from before the other models were added name none: they hold E1's.
        String id = contents.metadata().getOrDefault("model", Architecture.E1.id());
        Architecture architecture;
        try {
            architecture = Ids.parse(Architecture.class, id);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " names the model '" + FileFormatException.excerpt(id) + "'; wgan's are " + Ids.choices(Architecture.class), e);
        }
        // A model of latent 1 says what the first layer's outputs are, before one of the file's latent is made:
        // a small tensor of another shape could otherwise ask for gigabytes.
        int outputs = Models.generator(architecture, new Rng(0), 1).stateDict().get("0.weight").dim(0);
        if (dense.dim(0) != outputs || latent < 1) {
            throw new IOException(file + ": tensor \"0.weight\" has shape " + Arrays.toString(dense.shape()) + "; model " + architecture.id()
                    + "'s generator needs [" + outputs + ", latent] with latent >= 1");
        }
        Sequential model = Models.generator(architecture, new Rng(0), latent);
        Checkpoint.loadModel(file, contents, model);
        return new Sampler(model, latent, architecture);
    }

    private static Path resolve(Path path) throws IOException {
        if (Files.isRegularFile(path)) return path;
        if (!Files.isDirectory(path)) throw new IOException("no checkpoint at " + path);
        Optional<Path> here = generatorIn(path);
        if (here.isPresent()) return here.get();
        Path latest = Checkpoint.latest(path.resolve("checkpoints")).orElseThrow(() ->
                new IOException(path + " holds neither " + Checkpoint.GENERATOR + " nor " + Checkpoint.DECODER + " nor a run's checkpoints"));
        return generatorIn(latest).orElseThrow(() ->
                new IOException("checkpoint " + latest + " holds neither " + Checkpoint.GENERATOR + " nor " + Checkpoint.DECODER));
    }

    /** A GAN checkpoint's generator, or an autoencoder's decoder, in the folder {@code dir}. */
    public static Optional<Path> generatorIn(Path dir) {
        return Stream.of(Checkpoint.GENERATOR, Checkpoint.DECODER).map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }

    public int latent() {
        return latent;
    }

    public Architecture architecture() {
        return architecture;
    }

    /** Images for the latent points z [N, latent], in inference mode (batch norm uses its running statistics). */
    public Tensor generate(Tensor z) {
        int n = z.dim(0);
        int[] shape = model.outputShape();
        int size = Tensor.sizeOf(shape);
        float[] out = new float[n * size];
        try (var s = Grad.noGrad()) {
            for (int from = 0; from < n; from += SLICE) {
                int m = Math.min(SLICE, n - from);
                Tensor slice = Tensor.of(Arrays.copyOfRange(z.data(), from * latent, (from + m) * latent), m, latent);
                Tensor images = model.forward(Var.constant(slice), false).value();
                System.arraycopy(images.data(), 0, out, from * size, m * size);
            }
        }
        // A decoder's pixels are Bernoulli means in [0, 1]; wgan's images are in [-1, 1].
        if (architecture.autoencoder()) Elementwise.scaleShift(out, 2f, -1f, out);
        return Tensor.of(out, n, shape[0], shape[1], shape[2]);
    }
}
