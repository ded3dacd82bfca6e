package wgan.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import wgan.cli.Main;
import wgan.train.SmallMnist;
import wgan.train.SweepTable;

/**
 * The Spark runner on an embedded local[2] Spark: a sweep of 2 seeds x 2 clip values, one run's
 * JVM killed midway, ends with every run's checkpoint bitwise that of the same configuration
 * trained alone with the same threads, the killed one resumed by Spark's retry.
 */
class SparkSweepTest {
    private static final int ITERATIONS = 12;
    private static final String KILLED = "2-seed-1_clip-0.02";
    private static final List<String> CHECKPOINT_FILES = List.of("generator.safetensors", "critic.safetensors",
            "generator-optimizer.safetensors", "critic-optimizer.safetensors", "state.json");

    @TempDir
    Path tmp;

    @Test
    void fourRunsOnLocal2AreEachTheRunAloneAKilledOneResumedBySpark() throws Exception {
        // Small training files without test images: runs of seconds, without quality measurements (SweepCommandTest has the table's).
        Path data = SmallMnist.write(tmp.resolve("mnist"), false);
        Path file = tmp.resolve("grid.json");
        String base = "\"data\": \"" + data + "\", \"iterations\": " + ITERATIONS + ", \"batch\": 8, \"n-critic\": 2, \"checkpoint-every\": 2";
        Files.writeString(file, "{" + base + ", \"sweep\": {\"seed\": [1, 2], \"clip\": [0.01, 0.02]}}");
        Path out = tmp.resolve("out");
        Path folder = out.resolve("sweep-grid");

        ExecutorService driver = Executors.newSingleThreadExecutor();
        Future<Integer> sweep = driver.submit(() -> new CommandLine(new SparkSweep())
                .execute(file.toString(), "--out", out.toString(), "--master", "local[2]", "--offline"));
        killMidway(folder.resolve(KILLED));
        assertEquals(0, sweep.get());
        driver.shutdown();

        assertTrue(Files.readString(folder.resolve("logs/" + KILLED + ".txt")).contains("attempt 2 of Spark task 1"), "Spark ran it again");
        assertTrue(Files.readString(folder.resolve(KILLED + "/config.json")).contains("\"resumedFromIteration\""), "from its checkpoint");
        for (String seed : List.of("1", "2")) {
            for (String clip : List.of("0.01", "0.02")) {
                Path aloneOut = tmp.resolve("alone-" + seed + "-" + clip);
                assertEquals(0, Main.commandLine().execute("--data", data.toString(), "--iterations", Integer.toString(ITERATIONS),
                        "--batch", "8", "--n-critic", "2", "--checkpoint-every", "2", "--seed", seed, "--clip", clip,
                        "--threads", "1", "--out", aloneOut.toString(), "--offline"));
                Path alone;
                try (var runs = Files.list(aloneOut)) {
                    alone = runs.findFirst().orElseThrow();
                }
                String name = (seed.equals("1") ? (clip.equals("0.01") ? "1" : "2") : (clip.equals("0.01") ? "3" : "4"))
                        + "-seed-" + seed + "_clip-" + clip;
                String last = String.format("checkpoints/iter-%06d", ITERATIONS);
                for (String f : CHECKPOINT_FILES) {
                    assertArrayEquals(Files.readAllBytes(alone.resolve(last).resolve(f)), Files.readAllBytes(folder.resolve(name).resolve(last).resolve(f)),
                            name + ": " + f);
                }
            }
        }

        List<String> csv = Files.readAllLines(folder.resolve(SweepTable.CSV));
        assertEquals(5, csv.size(), String.join("\n", csv));
        for (String row : csv.subList(1, csv.size())) assertTrue(row.contains(",done," + ITERATIONS + ","), row);
    }

    /** Kills the JVM training {@code run} once its log is past its first checkpoint (iteration 2) and before its end. */
    private static void killMidway(Path run) throws IOException, InterruptedException {
        Path log = run.resolve("log.csv");
        for (long deadline = System.nanoTime() + 300_000_000_000L; System.nanoTime() < deadline; Thread.sleep(10)) {
            int logged = Files.isRegularFile(log) ? Files.readAllLines(log).size() - 1 : 0;
            if (logged >= ITERATIONS) fail("the run ended before it could be killed: raise ITERATIONS");
            if (logged < 3) continue;
            // The run's lock file names the process that trains in it.
            Matcher pid = Pattern.compile("pid (\\d+)").matcher(Files.readString(run.resolve(".lock")));
            assertTrue(pid.find(), "the lock names its holder");
            ProcessHandle child = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow(() -> new AssertionError("no JVM training " + run));
            child.destroyForcibly();
            child.onExit().join();
            return;
        }
        fail("the run did not get past its first checkpoint in 5 minutes");
    }
}
