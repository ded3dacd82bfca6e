package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import wgan.data.IdxFiles;
import wgan.tensor.Rng;

/** MNIST-format training files for tests: 40 jittered "7" strokes labelled 7 and 10 other images. */
public final class SmallMnist {
    private SmallMnist() {}

    /** Writes the two training files into {@code dir}; {@code truncated} cuts the image file short. */
    public static Path write(Path dir, boolean truncated) throws IOException {
        return write(dir, 50, truncated);
    }

    /** The same with {@code n} images, the 41st on of digits other than 7 (one batch of an autoencoder preset is 512). */
    public static Path write(Path dir, int n, boolean truncated) throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        Rng rng = new Rng(3);
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i < 40 ? 7 : i % 7);
            int shift = rng.nextInt(5);
            for (int x = 6; x < 22; x++) pixels[i * 784 + (6 + shift) * 28 + x] = (byte) 255;
            for (int y = 6; y < 24; y++) pixels[i * 784 + y * 28 + 21 - (y - 6) / 2] = (byte) 200;
        }
        Files.createDirectories(dir);
        byte[] images = IdxFiles.images(n, 28, 28, pixels);
        if (truncated) images = Arrays.copyOf(images, images.length - 100);
        Files.write(dir.resolve("train-images-idx3-ubyte"), images);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(labels));
        return dir;
    }

    /** A small E1 configuration on these files: batch 8 (5 iterations per epoch), n_critic 2. */
    public static TrainConfig config(Path data, int iterations, double lr) {
        return config(data, iterations, lr, false);
    }

    /** The same, with or without the reference's Keras batch-norm quirk. */
    public static TrainConfig config(Path data, int iterations, double lr, boolean kerasBnQuirk) {
        return TrainConfig.e1(data).toBuilder()
                .set(Settings.ITERATIONS, OptionalInt.of(iterations))
                .set(Settings.BATCH, 8)
                .set(Settings.N_CRITIC, 2)
                .set(Settings.LR, lr)
                .set(Settings.SEED, 11L)
                .set(Settings.CHECKPOINT_EVERY, OptionalInt.of(3))
                .set(Settings.KERAS_BN_QUIRK, kerasBnQuirk)
                .build();
    }

    /** Trains {@code iterations} iterations on these files under {@code tmp}; returns the run folder. */
    public static Path trainedRun(Path tmp, int iterations) throws IOException {
        Path out = tmp.resolve("runs");
        if (TrainingRun.start(config(write(tmp.resolve("mnist"), false), iterations, 5e-5), out, true) != 0) {
            throw new IllegalStateException("training failed");
        }
        return onlyRun(out);
    }

    /** The one run folder under {@code out}; fails if there are more or none. */
    public static Path onlyRun(Path out) throws IOException {
        try (var s = Files.list(out)) {
            List<Path> runs = s.toList();
            assertEquals(1, runs.size(), "one run folder in " + out);
            return runs.get(0);
        }
    }
}
