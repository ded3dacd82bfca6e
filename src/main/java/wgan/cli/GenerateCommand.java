package wgan.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import wgan.io.Npy;
import wgan.io.SampleGrid;
import wgan.nn.Layouts;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;
import wgan.train.Sampler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code wgan generate}: images from a trained generator. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write images from a trained generator (any model: e1-e4).",
                "--out ending in .npy: float32 array (N, C, H, W) in [-1, 1], e.g. (N, 1, 28, 28) for E1; ending in .png: one grid;",
                "otherwise a folder of PNGs (sample_NN.png)."})
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH",
            description = "generator.safetensors, a checkpoint folder, or a run folder (its latest checkpoint).")
    Path checkpoint;

    @Option(names = "--count", paramLabel = "N", description = "Number of images (default: 100, or the rows of --latent).")
    Integer count;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "samples.npy, grid.png or a folder.")
    Path out;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the latent points (default: ${DEFAULT-VALUE}).")
    Long seed;

    @Option(names = "--latent", paramLabel = "FILE",
            description = "float32 NPY of shape (N, latent) with the latent points to use, instead of random ones.")
    Path latent;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws IOException {
        if (latent != null && seed != null) throw new ParameterException(spec.commandLine(), "give either --seed or --latent, not both");
        if (count != null && (count < 1 || count > 1_000_000)) {
            throw new ParameterException(spec.commandLine(), "--count must be 1-1000000, got " + count);
        }
        threads.apply();
        Sampler generator = Sampler.load(checkpoint);
        Tensor z = latent != null ? readLatent(generator.latent()) : randomLatent(generator.latent());
        Tensor images = generator.generate(z);
        write(images);
        System.out.printf(Locale.ROOT, "Wrote %d images to %s%n", images.dim(0), out);
        return 0;
    }

    private Tensor readLatent(int size) throws IOException {
        Tensor z = Npy.read(latent);
        if (z.rank() != 2 || z.dim(1) != size) {
            throw new IOException(latent + " has shape " + java.util.Arrays.toString(z.shape()) + "; the generator needs (N, " + size + ")");
        }
        if (count != null && count != z.dim(0)) {
            throw new IOException("--count " + count + " differs from the " + z.dim(0) + " rows of " + latent);
        }
        return z;
    }

    private Tensor randomLatent(int size) {
        int n = count != null ? count : 100;
        Tensor z = Tensor.zeros(n, size);
        new Rng(seed != null ? seed : 1L).fillGaussian(z.data(), 0f, 1f);
        return z;
    }

    private void write(Tensor images) throws IOException {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        int n = images.dim(0);
        if (name.endsWith(".npy")) {
            Npy.write(out, Layouts.toChannelsFirst(images));
        } else if (name.endsWith(".png")) {
            int cols = (int) Math.ceil(Math.sqrt(n));
            SampleGrid.write(out, images, (n + cols - 1) / cols, cols);
        } else {
            Files.createDirectories(out);
            SampleGrid.writeEach(out, "sample_", images);
        }
    }
}
