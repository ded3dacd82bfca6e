package wgan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import wgan.io.Safetensors;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/** The ae and vae presets end to end on the small MNIST-format files, its test split a copy of its training one. */
class AutoencoderTrainingTest {
    @TempDir
    Path tmp;

    enum Kind {
        AE(TrainConfig.Preset.AE), VAE(TrainConfig.Preset.VAE);

        final TrainConfig.Preset preset;

        Kind(TrainConfig.Preset preset) {
            this.preset = preset;
        }
    }

    private Path data() throws IOException {
        Path dir = SmallMnist.write(tmp.resolve("mnist"), false);
        Files.copy(dir.resolve("train-images-idx3-ubyte"), dir.resolve("t10k-images-idx3-ubyte"));
        Files.copy(dir.resolve("train-labels-idx1-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"));
        return dir;
    }

    /** The preset on the small files: batch 8, so 6 iterations an epoch; a grid and checkpoint every 2 iterations. */
    private static TrainConfig small(Kind kind, Path data, int iterations) {
        return kind.preset.config().toBuilder()
                .set(Settings.DATASET, TrainConfig.Dataset.MNIST)
                .set(Settings.DATA, java.util.Optional.of(data))
                .set(Settings.ITERATIONS, OptionalInt.of(iterations))
                .set(Settings.BATCH, 8)
                .set(Settings.SEED, 5L)
                .set(Settings.SAMPLE_EVERY, OptionalInt.of(2))
                .build();
    }

    private Path run(TrainConfig config, String name) throws IOException {
        Path out = tmp.resolve(name);
        assertEquals(0, TrainingRun.start(config, out, true));
        return SmallMnist.onlyRun(out);
    }

    /** Two iterations write the log with its terms, the grids, the test figures and a checkpoint that generate reads. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoIterationsWriteEveryOutput(Kind kind) throws IOException {
        Path run = run(small(kind, data(), 2), "out");
        List<String> log = Files.readAllLines(run.resolve("log.csv"));
        assertEquals(List.of("iteration", "loss", "reconstruction", "kl", "seconds"), List.of(log.get(0).split(",")));
        assertEquals(3, log.size(), "header and 2 rows");
        for (String row : log.subList(1, 3)) {
            double[] v = java.util.Arrays.stream(row.split(",")).mapToDouble(Double::parseDouble).toArray();
            assertEquals(v[1], v[2] + v[3], 1e-5, "loss = reconstruction + kl: " + row);
            assertTrue(v[2] > 0, "a cross-entropy of grey levels is positive: " + row);
            assertTrue(kind == Kind.VAE ? v[3] > 0 : v[3] == 0, "the KL term only in the VAE: " + row);
        }
        for (String png : new String[] {"samples_iter_000002.png", "reconstructions_iter_000002.png", "losses.png"}) {
            assertTrue(ImageIO.read(run.resolve(png).toFile()).getWidth() > 28, png);
        }
        List<String> test = Files.readAllLines(run.resolve(AutoencoderTrainer.TEST_LOG));
        assertEquals(2, test.size(), "header and the row of iteration 2: " + test);
        assertTrue(test.get(1).startsWith("2,"), test.get(1));
        Path checkpoint = run.resolve("checkpoints/iter-000002");
        for (String file : List.of("encoder.safetensors", "decoder.safetensors", "optimizer.safetensors", "state.json")) {
            assertTrue(Files.isRegularFile(checkpoint.resolve(file)), file);
        }
        assertEquals(kind == Kind.VAE ? List.of("trunk.1.weight", "trunk.1.bias", "mean.0.weight", "mean.0.bias", "log_var.0.weight", "log_var.0.bias")
                        : List.of("trunk.1.weight", "trunk.1.bias", "trunk.3.weight", "trunk.3.bias", "code.0.weight", "code.0.bias"),
                List.copyOf(Safetensors.read(checkpoint.resolve("encoder.safetensors")).tensors().keySet()));

        Sampler decoder = Sampler.load(run);
        assertEquals(kind == Kind.VAE ? 10 : 20, decoder.latent());
        Tensor z = Tensor.zeros(3, decoder.latent());
        new Rng(1).fillGaussian(z.data(), 0f, 1f);
        Tensor images = decoder.generate(z);
        assertArrayEquals(new int[] {3, 28, 28, 1}, images.shape());
        for (float v : images.data()) assertTrue(v > -1 && v < 1, "a sigmoid's pixel mapped to (-1, 1): " + v);
    }

    /** Four iterations, or two and a resume to four: the same checkpoint bytes and losses. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void resumedRunEndsBitwiseEqualToAStraightOne(Kind kind) throws IOException {
        Path data = data();
        Path straight = run(small(kind, data, 4), "straight");
        Path split = run(small(kind, data, 2), "split");
        assertEquals(0, TrainingRun.resume(split, TrainingRun.Resume.to(4), true));
        for (String file : List.of("encoder.safetensors", "decoder.safetensors", "optimizer.safetensors", "state.json")) {
            assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoints/iter-000004").resolve(file)),
                    Files.readAllBytes(split.resolve("checkpoints/iter-000004").resolve(file)), file);
        }
        assertEquals(losses(straight), losses(split));
        assertEquals(Files.readAllLines(straight.resolve(AutoencoderTrainer.TEST_LOG)), Files.readAllLines(split.resolve(AutoencoderTrainer.TEST_LOG)));
    }

    /** log.csv without the timing column. */
    private static List<String> losses(Path run) throws IOException {
        return Files.readAllLines(run.resolve("log.csv")).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    /** A GAN checkpoint cannot be resumed as an autoencoder's: the message names the file and why. */
    @Test
    void ganCheckpointIsNotAnAutoencoders() throws IOException {
        Path run = run(small(Kind.VAE, data(), 2), "out");
        Path state = run.resolve("checkpoints/iter-000002/state.json");
        Files.writeString(state, Files.readString(state).replace("\"noiseRng\"", "\"penaltyRng\":[1,2,3,4,0,0],\"noiseRng\""));
        IOException e = assertThrows(IOException.class, () -> TrainingRun.resume(run, TrainingRun.Resume.to(4), true));
        assertTrue(e.getMessage().contains("state.json") && e.getMessage().contains("penaltyRng"), e.getMessage());
    }

    @Test
    void anImageFolderIsRefused() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> TrainConfig.Preset.VAE.config().with(Settings.DATASET, TrainConfig.Dataset.FOLDER));
        assertTrue(e.getMessage().contains("mnist or fashion-mnist"), e.getMessage());
    }
}
