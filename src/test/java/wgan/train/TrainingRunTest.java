package wgan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import wgan.io.Safetensors;
import wgan.nn.Layouts;
import wgan.tensor.Tensor;

/** End-to-end runs of E1 on a small MNIST-format file written by the test. */
class TrainingRunTest {
    @TempDir
    Path tmp;

    private Path writeData(boolean truncated) throws IOException {
        return SmallMnist.write(tmp.resolve("mnist"), truncated);
    }

    private static TrainConfig small(Path data, int iterations, double lr) {
        return SmallMnist.config(data, iterations, lr);
    }


    @Test
    void shortRunWritesEveryOutputWithFiniteLosses() throws IOException {
        Path out = tmp.resolve("out");
        assertEquals(0, TrainingRun.start(small(writeData(false), 6, 5e-5), out, true));
        Path run = SmallMnist.onlyRun(out);
        List<String> log = Files.readAllLines(run.resolve("log.csv"));
        assertEquals(LossLog.HEADER, log.get(0));
        assertEquals(7, log.size(), "header and 6 rows");
        for (String row : log.subList(1, log.size())) {
            for (String v : row.split(",")) assertTrue(Double.isFinite(Double.parseDouble(v)), row);
        }
        for (String png : new String[] {"samples_epoch_001.png", "samples_iter_000006.png", "losses.png"}) {
            assertTrue(ImageIO.read(run.resolve(png).toFile()).getWidth() > 28, png);
        }
        assertTrue(Files.readString(run.resolve("config.json")).contains("\"iterations\": 6"));
        // Epochs of 5 iterations are kept only every 10 (50 iterations), so each checkpoint
        // (every 3 iterations and at the epoch end, 5) was replaced by the next.
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/iter-000006/critic.safetensors")));
        assertFalse(Files.exists(run.resolve("checkpoints/iter-000003")));
        assertFalse(Files.exists(run.resolve("checkpoints/iter-000005")));
        assertEquals("iter-000006", Files.readString(run.resolve("checkpoints/latest")).trim());
    }

    @ParameterizedTest(name = "kerasBnQuirk={0}")
    @ValueSource(booleans = {false, true})
    void resumedRunEndsBitwiseEqualToAStraightOne(boolean quirk) throws IOException {
        resumeAndCompare(quirk, checkpoint -> {});
    }

    /**
     * Until Dense stored its kernel [in, out], optimiser files held its slots [out, in], with no
     * layout entry in their metadata: such a checkpoint still resumes to the same bits.
     */
    @Test
    void checkpointFromBeforeDenseKernelsWereStoredInByOutResumesExactly() throws IOException {
        resumeAndCompare(false, checkpoint -> {
            int transposed = 0;
            for (String file : List.of("generator-optimizer.safetensors", "critic-optimizer.safetensors")) {
                Map<String, Safetensors.Entry> old = new LinkedHashMap<>();
                for (var e : Safetensors.read(checkpoint.resolve(file)).tensors().entrySet()) {
                    Tensor t = ((Safetensors.F32) e.getValue()).tensor();
                    // Dense kernels are the models' only matrices (conv kernels have 4 axes, biases 1).
                    if (t.rank() == 2) transposed++;
                    old.put(e.getKey(), new Safetensors.F32(t.rank() == 2 ? Layouts.transpose(t) : t));
                }
                Safetensors.write(checkpoint.resolve(file), old, Map.of());
            }
            assertEquals(2, transposed, "RMSprop's one slot for each model's Dense kernel");
        });
    }

    /**
     * A run's config.json as wgan wrote it before settings were named like their flags (camelCase
     * keys, "label", "fakesInTraining", 0 for unset): such a run still resumes, to the same bits.
     */
    @Test
    void runWithAFirstFormatConfigJsonResumesExactly() throws IOException {
        resumeAndCompare(false, checkpoint -> {
            Path run = checkpoint.getParent().getParent();
            String old = new String(getClass().getResourceAsStream("first-format-config.json").readAllBytes(), StandardCharsets.UTF_8);
            String dataDir = Files.readString(run.resolve("config.json")).replaceAll("(?s).*\"data\": \"([^\"]*)\".*", "$1");
            assertTrue(old.contains("\"nCritic\": 2") && old.contains("\"label\": 7"), old);
            Files.writeString(run.resolve("config.json"), old.replace("/work/shared/datasets/mnist", dataDir));
        });
    }

    private void resumeAndCompare(boolean quirk, CheckpointEdit edit) throws IOException {
        Path data = writeData(false);
        Path straightOut = tmp.resolve("straight");
        assertEquals(0, TrainingRun.start(SmallMnist.config(data, 8, 5e-5, quirk), straightOut, true));
        Path straight = SmallMnist.onlyRun(straightOut);

        Path splitOut = tmp.resolve("split");
        assertEquals(0, TrainingRun.start(SmallMnist.config(data, 4, 5e-5, quirk), splitOut, true));
        Path split = SmallMnist.onlyRun(splitOut);
        edit.apply(split.resolve("checkpoints/iter-000004"));
        assertEquals(0, TrainingRun.resume(split, TrainingRun.Resume.to(8), true));

        List<String> files = new ArrayList<>(List.of("generator.safetensors", "critic.safetensors",
                "generator-optimizer.safetensors", "critic-optimizer.safetensors", "state.json"));
        if (quirk) files.add("critic-norm-in-generator-step-optimizer.safetensors");
        for (String file : files) {
            assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoints/iter-000008").resolve(file)),
                    Files.readAllBytes(split.resolve("checkpoints/iter-000008").resolve(file)), file);
        }
        assertEquals(losses(straight), losses(split), "the same losses at every iteration");
    }

    /**
     * The same run three times in one JVM gives the same losses, whichever of its kernels the JIT
     * has compiled by then (a JIT intrinsic that rounds differently from its fallback, as
     * VectorOperators.TANH does, made the second run differ).
     */
    @Test
    void identicalRunsInOneJvmAreBitwiseEqual() throws IOException {
        Path data = writeData(false);
        List<List<String>> logs = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            Path out = tmp.resolve("round" + round);
            assertEquals(0, TrainingRun.start(small(data, 6, 5e-5), out, false));
            logs.add(losses(SmallMnist.onlyRun(out)));
        }
        assertEquals(logs.get(0), logs.get(1));
        assertEquals(logs.get(0), logs.get(2));
    }

    private interface CheckpointEdit {
        void apply(Path checkpoint) throws IOException;
    }

    /** log.csv without the timing column. */
    private static List<String> losses(Path run) throws IOException {
        return Files.readAllLines(run.resolve("log.csv")).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    @Test
    void optimiserFileOfTheOtherModelIsAClearError() throws IOException {
        Path data = writeData(false);
        Path out = tmp.resolve("out");
        assertEquals(0, TrainingRun.start(small(data, 2, 5e-5), out, false));
        Path run = SmallMnist.onlyRun(out);
        Path checkpoint = run.resolve("checkpoints/iter-000002");
        Files.copy(checkpoint.resolve("generator-optimizer.safetensors"), checkpoint.resolve("critic-optimizer.safetensors"),
                StandardCopyOption.REPLACE_EXISTING);
        IOException e = assertThrows(IOException.class, () -> TrainingRun.resume(run, TrainingRun.Resume.to(4), false));
        assertTrue(e.getMessage().contains("critic-optimizer.safetensors does not fit"), e.getMessage());
    }

    @Test
    void truncatedImageFileIsAClearError() throws IOException {
        Path data = writeData(true);
        IOException e = assertThrows(IOException.class, () -> TrainingRun.start(small(data, 2, 5e-5), tmp.resolve("out"), true));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void nonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path out = tmp.resolve("out");
        // Adam without its second moment's memory takes steps of lr * m / |g|, which explode when a
        // gradient falls near zero; unclipped, the critic's weights overflow within a few iterations.
        TrainConfig diverging = small(writeData(false), 30, 10).toBuilder().set(Settings.OPTIMIZER, TrainConfig.OptimizerKind.ADAM)
                .set(Settings.BETA1, 0.99).set(Settings.BETA2, 0.0).set(Settings.LIPSCHITZ, TrainConfig.Lipschitz.NONE)
                .set(Settings.CRITIC_NORM, CriticNorm.NONE).build();
        int code = TrainingRun.start(diverging, out, true);
        assertEquals(TrainingRun.EXIT_NON_FINITE, code);
        Path run = SmallMnist.onlyRun(out);
        List<String> rows = Files.readAllLines(run.resolve("log.csv"));
        assertTrue(rows.size() - 1 < 30, "stopped early");
        rows.subList(1, rows.size()).forEach(r -> assertFalse(r.contains("NaN") || r.contains("Infinity"), r));
    }
}
