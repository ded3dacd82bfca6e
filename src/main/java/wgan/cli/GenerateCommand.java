package wgan.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import wgan.io.Npy;
import wgan.io.SampleGrid;
import wgan.kernels.DeviceUnavailableException;
import wgan.kernels.Devices;
import wgan.nn.Layouts;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;
import wgan.train.Architecture;
import wgan.train.Sampler;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code wgan generate}: images from a trained generator. Images are generated and written
 * {@link #CHUNK} at a time (an .npy header first, then its values; a folder a file at a time), so
 * memory stays bounded for any count; only a grid PNG is drawn whole, and holds at most
 * {@link #MAX_GRID} images.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write images from a trained generator (any model: e1-e4).",
                "--out ending in .npy: float32 array (N, C, H, W) in [-1, 1], e.g. (N, 1, 28, 28) for E1; ending in .png: one grid "
                        + "of at most " + GenerateCommand.MAX_GRID + " images; otherwise a folder of PNGs (sample_NN.png)."})
public final class GenerateCommand implements Callable<Integer> {
    /** The most images one call writes. */
    static final int MAX_COUNT = 1_000_000;
    /** The most images in one grid PNG (64 x 64 of them): the grid is drawn in memory, and viewers balk at larger images. */
    static final int MAX_GRID = 4096;
    /**
     * Images generated at a time. A multiple of the generator's own slices of 256, so each image
     * comes out of the same slice, bit for bit, as when all are generated at once.
     */
    static final int CHUNK = 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH",
            description = "generator.safetensors, a checkpoint folder, or a run folder (its latest checkpoint).")
    Path checkpoint;

    @Option(names = "--count", paramLabel = "N", description = "Number of images, 1-" + MAX_COUNT + " (default: 100, or the rows of --latent).")
    Integer count;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "samples.npy, grid.png or a folder.")
    Path out;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the latent points (default: 1).")
    Long seed;

    @Option(names = "--latent", paramLabel = "FILE",
            description = "float32 NPY of shape (N, latent) with the latent points to use, instead of random ones.")
    Path latent;

    @Mixin
    ThreadsOption threads;

    @Mixin
    DeviceOption device;

    private enum Format { NPY, GRID, FOLDER }

    @Override
    public Integer call() throws IOException, DeviceUnavailableException {
        if (latent != null && seed != null) throw new ParameterException(spec.commandLine(), "give either --seed or --latent, not both");
        if (count != null && (count < 1 || count > MAX_COUNT)) {
            throw new ParameterException(spec.commandLine(), "--count must be 1-" + MAX_COUNT + ", got " + count);
        }
        Format format = format();
        if (format == Format.GRID && count != null && count > MAX_GRID) {
            throw new ParameterException(spec.commandLine(), "--count " + count + " is more than the " + MAX_GRID
                    + " images a grid PNG holds; write a folder or a .npy instead");
        }
        threads.apply();
        device.apply();
        Devices.announce(System.out);
        Sampler generator = Sampler.load(checkpoint);
        if (generator.architecture() == Architecture.TOY && format != Format.NPY) {
            throw new ParameterException(spec.commandLine(), "--out " + out + ": the toy model makes 2-D points, not images; "
                    + "write them to a .npy file");
        }
        try (Latents z = latent != null ? readLatent(generator.latent(), format) : new Latents(count != null ? count : 100, generator.latent(),
                new Rng(seed != null ? seed : 1L), null)) {
            switch (format) {
                case NPY -> writeNpy(generator, z);
                case GRID -> writeGrid(generator, z);
                case FOLDER -> writeFolder(generator, z);
            }
            System.out.printf(Locale.ROOT, "Wrote %d images to %s%n", z.count, out);
        }
        return 0;
    }

    private Format format() {
        Path name = out.getFileName();
        if (name == null) throw new ParameterException(spec.commandLine(), "--out " + out + " names no file or folder");
        String lower = name.toString().toLowerCase(Locale.ROOT);
        Format format = lower.endsWith(".npy") ? Format.NPY : lower.endsWith(".png") ? Format.GRID : Format.FOLDER;
        if (format != Format.FOLDER && Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " is a folder; a ." + (format == Format.NPY ? "npy" : "png") + " file is written there");
        }
        if (format == Format.FOLDER && Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " is a file; a folder of PNGs is written there");
        }
        return format;
    }

    /** The latent points, handed out in order a chunk at a time: drawn from a seed, or read from a file. */
    private record Latents(int count, int size, Rng rng, Npy.Reader file) implements Closeable {
        Tensor next(int n) throws IOException {
            Tensor z = Tensor.zeros(n, size);
            // fillGaussian goes on where the last call stopped, so chunks draw the points that one call for all would.
            if (file != null) file.read(z.data(), 0, n * size); else rng.fillGaussian(z.data(), 0f, 1f);
            return z;
        }

        @Override
        public void close() throws IOException {
            if (file != null) file.close();
        }
    }

    private Latents readLatent(int size, Format format) throws IOException {
        Npy.Reader file = Npy.open(latent);
        try {
            int[] shape = file.shape();
            if (shape.length != 2 || shape[1] != size) {
                throw new IOException(latent + " has shape " + Arrays.toString(shape) + "; the generator needs (N, " + size + ")");
            }
            if (shape[0] < 1 || shape[0] > MAX_COUNT) {
                throw new IOException(latent + " has " + shape[0] + " latent points; generate takes 1-" + MAX_COUNT);
            }
            if (count != null && count != shape[0]) {
                throw new IOException("--count " + count + " differs from the " + shape[0] + " rows of " + latent);
            }
            if (format == Format.GRID && shape[0] > MAX_GRID) {
                throw new IOException(latent + " has " + shape[0] + " latent points, more than the " + MAX_GRID
                        + " images a grid PNG holds; write a folder or a .npy instead");
            }
            return new Latents(shape[0], size, null, file);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private void writeNpy(Sampler generator, Latents z) throws IOException {
        Tensor first = Layouts.toChannelsFirst(generator.generate(z.next(Math.min(CHUNK, z.count))));
        int[] shape = first.shape();
        shape[0] = z.count;
        Npy.write(out, shape, values -> {
            values.write(first.data());
            for (int done = first.dim(0); done < z.count; done += CHUNK) {
                values.write(Layouts.toChannelsFirst(generator.generate(z.next(Math.min(CHUNK, z.count - done)))).data());
            }
        });
    }

    private void writeGrid(Sampler generator, Latents z) throws IOException {
        int cols = (int) Math.ceil(Math.sqrt(z.count));
        SampleGrid.write(out, generator.generate(z.next(z.count)), (z.count + cols - 1) / cols, cols);
    }

    private void writeFolder(Sampler generator, Latents z) throws IOException {
        Files.createDirectories(out);
        for (int done = 0; done < z.count; done += CHUNK) {
            SampleGrid.writeEach(out, "sample_", generator.generate(z.next(Math.min(CHUNK, z.count - done))), done, z.count);
        }
    }
}
