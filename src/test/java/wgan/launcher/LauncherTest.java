package wgan.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.train.SmallMnist;
import wgan.train.TrainingRun;

/**
 * The launcher as users start it, a process that relaunches itself in a JVM with the Vector API
 * module (here from the build's class folders rather than the jar), and the training it runs.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private Path out;
    private Path output;

    /** Starts the launcher on a long training run and returns once the run has logged an iteration. */
    private Process startTraining() throws IOException, InterruptedException {
        Path data = SmallMnist.write(tmp.resolve("mnist"), false);
        out = tmp.resolve("out");
        output = tmp.resolve("output.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName(),
                "--data", data.toString(), "--out", out.toString(), "--iterations", "100000", "--batch", "8",
                "--n-critic", "2", "--threads", "1", "--verbose")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // As from a user's shell: the launcher must relaunch, whatever the test's own environment says.
        pb.environment().remove("WGAN_NO_RELAUNCH");
        pb.environment().remove("WGAN_JAVA_OPTS");
        Process launcher = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!launcher.isAlive()) fail("the launcher ended early:\n" + Files.readString(output));
            if (Files.isDirectory(out)) {
                Path log = run().resolve("log.csv");
                if (Files.exists(log) && Files.readAllLines(log).size() > 1) return launcher;
            }
            Thread.sleep(100);
        }
        launcher.destroyForcibly();
        fail("no iteration within 120 s:\n" + Files.readString(output));
        return launcher;
    }

    private Path run() throws IOException {
        try (Stream<Path> runs = Files.list(out)) {
            return runs.findFirst().orElseThrow();
        }
    }

    /**
     * The run stopped cleanly: its newest checkpoint is at the last iteration it logged, and it
     * resumes (so the checkpoint loads and the run folder's lock was released).
     */
    private void assertStoppedWithACheckpoint() throws IOException {
        Path run = run();
        List<String> log = Files.readAllLines(run.resolve("log.csv"));
        int lastRow = Integer.parseInt(log.get(log.size() - 1).split(",")[0]);
        String latest = Files.readString(run.resolve("checkpoints/latest")).trim();
        int saved = JsonParser.parseString(Files.readString(run.resolve("checkpoints").resolve(latest).resolve("state.json")))
                .getAsJsonObject().get("iteration").getAsInt();
        assertEquals(lastRow, saved, "the checkpoint is at the last logged iteration");
        String text = Files.readString(output);
        assertTrue(text.contains("Stopped after iteration " + saved + "; checkpoint written."), text);
        assertEquals(0, TrainingRun.resume(run, TrainingRun.Resume.to(saved + 1), false));
    }

    @Test
    void killingTheLauncherStopsTheTrainingJvmWhichWritesItsCheckpoint() throws Exception {
        Process launcher = startTraining();
        ProcessHandle child = launcher.toHandle().children().findFirst().orElseThrow();
        launcher.destroyForcibly();
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS));
        try {
            child.onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            child.destroyForcibly();
            fail("the training JVM ran on for 60 s after its launcher was killed:\n" + Files.readString(output));
        }
        assertTrue(Files.readString(output).contains("the launcher (pid " + launcher.pid() + ") is gone; stopping"));
        assertStoppedWithACheckpoint();
    }

    /**
     * SIGINT to the launcher alone (not a terminal's Ctrl-C, which reaches both JVMs): it passes
     * SIGTERM on, the run stops cleanly, and the launcher exits with the training JVM's status,
     * 143 for SIGTERM, not the 130 of its own signal.
     */
    @Test
    void aSignalToTheLauncherIsPassedOnAndItExitsWithTheRunsStatus() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/kill")), "sends SIGINT with /bin/kill");
        assumeFalse(sigintIgnored(), "this JVM, so the launcher, was started with SIGINT ignored (as a background job)");
        Process launcher = startTraining();
        ProcessHandle child = launcher.toHandle().children().findFirst().orElseThrow();
        assertEquals(0, new ProcessBuilder("/bin/kill", "-INT", Long.toString(launcher.pid())).start().waitFor());
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher did not end");
        assertEquals(143, launcher.exitValue(), Files.readString(output));
        assertFalse(child.isAlive());
        assertStoppedWithACheckpoint();
    }

    /** Whether SIGINT is ignored here (Linux's SigIgn mask), as it is then in the processes started from here. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) return false;
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                .anyMatch(l -> (Long.parseLong(l.substring("SigIgn:".length()).trim(), 16) & 2) != 0);
    }
}
