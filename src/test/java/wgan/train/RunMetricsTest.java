package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.data.IdxFiles;
import wgan.quality.Evaluation;

/** A short run whose data folder has test files too: metrics.csv, checkpoints/best and the warnings. */
class RunMetricsTest {
    private static final WganTrainer.CriticHealth HEALTHY = new WganTrainer.CriticHealth(Double.NaN, Double.NaN, Double.NaN);
    @TempDir
    Path tmp;

    /** SmallMnist's training files, and its images again as the test split. */
    private Path dataWithTestFiles() throws IOException {
        Path dir = SmallMnist.write(tmp.resolve("mnist"), false);
        Files.copy(dir.resolve("train-images-idx3-ubyte"), dir.resolve("t10k-images-idx3-ubyte"));
        Files.copy(dir.resolve("train-labels-idx1-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"));
        return dir;
    }

    @Test
    void runWritesMetricsAndKeepsTheBestCheckpoint() throws IOException {
        Path out = tmp.resolve("out");
        // Checkpoints every 3 iterations and samples every epoch (5) and at the end (6).
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, TrainingRun.start(SmallMnist.config(dataWithTestFiles(), 6, 5e-5), out, true));
        } finally {
            System.setOut(stdout);
        }
        String log = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("Quality metrics: 1000 samples against 40 MNIST test images of class 7"), log);
        assertTrue(log.contains("\nquality @5: FD ") && log.contains("\nquality @6: FD "), log);
        Path run = SmallMnist.onlyRun(out);
        List<String> rows = Files.readAllLines(run.resolve(RunMetrics.FILE));
        assertEquals(RunMetrics.HEADER, rows.get(0));
        assertEquals(3, rows.size(), "a row at the epoch's end (5) and at the last iteration (6): " + rows);
        assertTrue(rows.get(2).startsWith("6,"), rows.get(2));
        for (String row : rows.subList(1, 3)) {
            String[] f = row.split(",", -1);
            assertEquals(RunMetrics.HEADER.split(",").length, f.length, row);
            assertTrue(Double.parseDouble(f[1]) >= 0 && Double.parseDouble(f[3]) >= 0, row);
        }
        assertTrue(javax.imageio.ImageIO.read(run.resolve(RunMetrics.PLOT).toFile()).getWidth() > 100);
        // Iteration 5 has no checkpoint of its own (they are at 3 and 6), so only 6 can be the best.
        Path best = run.resolve("checkpoints").resolve(RunMetrics.BEST);
        assertTrue(Files.isRegularFile(best.resolve("generator.safetensors")));
        assertEquals(Files.readString(run.resolve("checkpoints/iter-000006/state.json")), Files.readString(best.resolve("state.json")));
        assertEquals(1, Sampler.load(best).generate(wgan.tensor.Tensor.zeros(1, 50)).dim(0));
    }

    /** A run on a colour image folder is measured in the random-feature space against its training images. */
    @Test
    void aFolderRunIsMeasuredInTheRandomFeatureSpace() throws IOException {
        Path data = wgan.quality.Shapes.writeFolder(tmp.resolve("shapes"), 24, 64, 3);
        TrainConfig config = TrainConfig.Preset.E4_WGAN_GP.config().toBuilder()
                .set(Settings.DATA, java.util.Optional.of(data))
                .set(Settings.ITERATIONS, java.util.OptionalInt.of(2))
                .set(Settings.BATCH, 4)
                .set(Settings.N_CRITIC, 1)
                .set(Settings.SAMPLE_EVERY, java.util.OptionalInt.of(2))
                .build();
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, TrainingRun.start(config, tmp.resolve("out"), true));
        } finally {
            System.setOut(stdout);
        }
        String log = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("Quality metrics: 1000 samples against 24 of the 24 training images in "), log);
        assertTrue(log.contains("not with published FIDs"), log);
        assertTrue(log.contains("\nquality @2: rFD "), log);
        Path run = SmallMnist.onlyRun(tmp.resolve("out"));
        List<String> rows = Files.readAllLines(run.resolve(RunMetrics.FILE));
        assertEquals(List.of(RunMetrics.RANDOM_FEATURE_HEADER), rows.subList(0, 1));
        String[] f = rows.get(1).split(",", -1);
        assertEquals(RunMetrics.RANDOM_FEATURE_HEADER.split(",").length, f.length, rows.get(1));
        assertTrue(Double.parseDouble(f[1]) > 0 && f[3].isEmpty() && f[6].isEmpty(), "an rfd, no class columns: " + rows.get(1));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints").resolve(RunMetrics.BEST).resolve("generator.safetensors")));
        assertTrue(Files.isRegularFile(run.resolve(RunMetrics.PLOT)));
        String report = Files.readString(run.resolve(RunReport.FILE));
        assertTrue(report.contains("random-feature Fréchet distance " + f[1]) && report.contains("not with published FIDs"), report);
    }

    @Test
    void warningsSpeakPlainly() {
        List<LossLog.Row> negative = List.of(new LossLog.Row(1, 0.5, 0.1, 0, 0, 0), new LossLog.Row(2, 0.4, 0.2, 0, 0, 0));
        RunMetrics.Measurement collapsed = RunMetrics.Measurement.of(new Evaluation.Scores(1000, 500, 1, 0, 0.2, 0.3, new double[10], 0.1));
        RunMetrics metrics = new RunMetrics(null, null, 7, null, true);
        List<String> w = metrics.warnings(collapsed, negative, HEALTHY);
        assertEquals(List.of("mode-collapse", "off-class", "negative-wasserstein"), w.stream().map(s -> s.substring(0, s.indexOf(':'))).toList());
        RunMetrics.Measurement fine = new RunMetrics.Measurement(5, 0.01, 0.99, 0.95, 0.95, 1);
        assertEquals(List.of(), metrics.warnings(fine, List.of(new LossLog.Row(1, -0.5, 0.1, 0, 0, 0)), HEALTHY));
    }

    /** E1's critic losses fall by about 0.8 an iteration, with noise; the losses of a healthy run wander around a level. */
    @Test
    void aStraightLineOfLossesIsADrift() {
        wgan.tensor.Rng rng = new wgan.tensor.Rng(1);
        List<LossLog.Row> drifting = new java.util.ArrayList<>(), level = new java.util.ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            drifting.add(new LossLog.Row(i, -0.8 * i + rng.nextGaussian(), -1, 0, 0, 0));
            level.add(new LossLog.Row(i, -3 + 2 * rng.nextGaussian(), -1, 0, 0, 0));
        }
        assertTrue(RunMetrics.drifts(drifting));
        assertFalse(RunMetrics.drifts(level));
        assertFalse(RunMetrics.drifts(drifting.subList(0, 10).stream().map(r -> new LossLog.Row(r.iteration(), r.c1() / 10, -1, 0, 0, 0)).toList()),
                "a straight line that moves by less than 10");
        RunMetrics.Measurement fine = new RunMetrics.Measurement(5, 0.01, 0.99, 0.95, 0.95, 1);
        List<String> w = new RunMetrics(null, null, 7, null, true).warnings(fine, drifting, HEALTHY);
        assertTrue(w.get(0).startsWith("drifting-losses: the critic's loss on real images went from"), w.toString());
    }

    @Test
    void aSaturatedClippedCriticIsWarnedOf() {
        RunMetrics.Measurement fine = new RunMetrics.Measurement(5, 0.01, 0.99, 0.95, 0.95, 1);
        RunMetrics metrics = new RunMetrics(null, null, 7, null, true);
        List<String> w = metrics.warnings(fine, List.of(), new WganTrainer.CriticHealth(0.62, Double.NaN, Double.NaN));
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("clipped-at-bound: 62% of the clipped critic weights sit at the clipping bound"), w.get(0));
        assertEquals(List.of(), metrics.warnings(fine, List.of(), new WganTrainer.CriticHealth(0.5, Double.NaN, Double.NaN)), "half is not most");
    }

    @Test
    void aPenaltyNormFarFromOneIsWarnedOf() {
        RunMetrics.Measurement fine = new RunMetrics.Measurement(5, 0.01, 0.99, 0.95, 0.95, 1);
        RunMetrics metrics = new RunMetrics(null, null, 7, null, true);
        for (double far : new double[] {0.4, 2.5}) {
            List<String> w = metrics.warnings(fine, List.of(), new WganTrainer.CriticHealth(Double.NaN, far, 0.25));
            assertEquals(1, w.size(), w.toString());
            assertTrue(w.get(0).startsWith(String.format(java.util.Locale.ROOT,
                    "penalty-norm: the critic's gradient norm at the penalty's interpolates is %.3g (spread 0.250)", far)), w.get(0));
        }
        for (double near : new double[] {0.5, 1, 2}) {
            assertEquals(List.of(), metrics.warnings(fine, List.of(), new WganTrainer.CriticHealth(Double.NaN, near, 0.25)), "norm " + near);
        }
    }
}
