package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import wgan.cli.Main;
import wgan.data.IdxFiles;
import wgan.io.FileFormatException;

/**
 * What a resumed run does with a run folder that a kill, a full disk, a second process or an
 * editor left in a bad state: it locks the folder, mends what it can with a note, and otherwise
 * stops with an error naming the file and the problem; it never deletes a kept checkpoint.
 */
class ResumeSafetyTest {
    /** A finished run of 4 iterations of the small E1, made once; tests resume copies of it. */
    @TempDir
    static Path shared;
    private static Path trainedOnce;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainOnce() throws IOException {
        Path out = shared.resolve("out");
        assertEquals(0, TrainingRun.start(SmallMnist.config(SmallMnist.write(shared.resolve("mnist"), false), 4, 5e-5),
                out, false));
        trainedOnce = SmallMnist.onlyRun(out);
    }

    /** A copy of the 4-iteration run (checkpoints/iter-000004, the final one) to resume. */
    private Path trained() throws IOException {
        Path copy = tmp.resolve("run");
        try (Stream<Path> files = Files.walk(trainedOnce)) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(trainedOnce.relativize(f).toString()));
        }
        return copy;
    }

    /** Runs {@code action}, returning what it printed to System.out. */
    private static String stdout(IoAction action) throws IOException {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static int logRows(Path run) throws IOException {
        return Files.readAllLines(run.resolve("log.csv")).size() - 1;
    }

    @Test
    void aSecondProcessCannotResumeARunInUseAndIsToldWhoHoldsIt() throws Exception {
        Path run = trained();
        try (RunLock held = RunLock.acquire(run)) {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "wgan.cli.Main",
                    "--resume", run.toString(), "--iterations", "6", "--threads", "1");
            Path output = tmp.resolve("second.txt");
            Process second = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the second process timed out");
            String text = Files.readString(output);
            assertEquals(2, second.exitValue(), text);
            assertTrue(text.contains("is in use by another wgan process (pid " + ProcessHandle.current().pid() + " on host "), text);
        }
        assertEquals(4, logRows(run), "the second process trained nothing");
    }

    @Test
    void aRunInUseInThisJvmCannotBeResumedEither() throws IOException {
        Path run = trained();
        try (RunLock held = RunLock.acquire(run)) {
            IOException e = assertThrows(IOException.class, () -> TrainingRun.resume(run, TrainingRun.Resume.to(5), false));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        assertEquals(0, TrainingRun.resume(run, TrainingRun.Resume.to(5), false), "the lock is free once released");
    }

    @Test
    void theLockFileOfAKilledProcessDoesNotBlock() throws IOException {
        Path run = trained();
        // What a killed holder leaves: the text, not the lock, which the OS dropped with the process.
        Files.writeString(run.resolve(RunLock.FILE), "pid 999999 on host elsewhere, started 2026-01-01T00:00:00Z\n");
        assertEquals(0, TrainingRun.resume(run, TrainingRun.Resume.to(5), false));
        assertTrue(Files.readString(run.resolve(RunLock.FILE)).startsWith("pid " + ProcessHandle.current().pid() + " "));
    }

    @Test
    void aLogRowCutShortByAFullDiskAndRowsPastTheCheckpointAreDroppedWithANote() throws IOException {
        Path run = trained();
        Files.writeString(run.resolve("log.csv"), "5,0.1,0.2,0.3,-0.3,0,0.01\n6,0.1,0.", StandardOpenOption.APPEND);
        String printed = stdout(() -> assertEquals(0, TrainingRun.resume(run, TrainingRun.Resume.to(6), false)));
        assertTrue(printed.contains("log.csv: dropped 2 rows after iteration 4, the checkpoint's (the last one cut short)"), printed);
        List<String> log = Files.readAllLines(run.resolve("log.csv"));
        assertEquals(LossLog.HEADER, log.get(0));
        for (int i = 1; i <= 6; i++) assertTrue(log.get(i).startsWith(i + ","), log.toString());
        assertEquals(7, log.size());
    }

    /**
     * Which checkpoints are kept depends on the epoch length, and so on the data: a run resumed on
     * data of another size must still leave the checkpoints kept before alone. Batch 4 on 40
     * images keeps one every 50 iterations; on 44, every 55.
     */
    @Test
    void resumingOnOtherDataKeepsTheCheckpointsKeptBefore() throws IOException {
        TrainConfig.Builder b = SmallMnist.config(shared.resolve("mnist"), 50, 5e-5).toBuilder();
        b.set(Settings.BATCH, 4).set(Settings.N_CRITIC, 1)
                .set(Settings.CHECKPOINT_EVERY, OptionalInt.of(20)).set(Settings.SAMPLE_EVERY, OptionalInt.of(1000));
        Path out = tmp.resolve("out");
        assertEquals(0, TrainingRun.start(b.build(), out, false));
        Path run = SmallMnist.onlyRun(out);
        Path kept = run.resolve("checkpoints/iter-000050");
        assertTrue(Files.isDirectory(kept));

        Path otherData = SmallMnist.write(tmp.resolve("mnist44"), false);
        byte[] labels = new byte[50];
        for (int i = 0; i < labels.length; i++) labels[i] = (byte) (i < 44 ? 7 : 1);
        Files.write(otherData.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(labels));
        Settings.Layer changes = new Settings.Layer().set(Settings.ITERATIONS, OptionalInt.of(62)).set(Settings.DATA, Optional.of(otherData));
        assertEquals(0, TrainingRun.resume(run, new TrainingRun.Resume(changes, true), false));
        assertTrue(Files.isDirectory(kept), "iteration 50's checkpoint was kept and must stay");
        assertTrue(Files.isDirectory(run.resolve("checkpoints/iter-000055")), "kept on the new data");
        assertFalse(Files.exists(run.resolve("checkpoints/iter-000060")), "a rolling checkpoint is still replaced");
        assertTrue(Files.isDirectory(run.resolve("checkpoints/iter-000062")));
    }

    /**
     * A run killed after renaming a checkpoint into place but before updating {@code latest}
     * resumes from that newer checkpoint rather than computing it again over it.
     */
    @Test
    void resumeStartsFromTheNewestCompleteCheckpointEvenIfLatestLagsBehind() throws IOException {
        Path run = trained();
        assertEquals(0, TrainingRun.resume(run, TrainingRun.Resume.to(5), false));
        Files.writeString(run.resolve("checkpoints/latest"), "iter-000004\n");
        String printed = stdout(() -> assertEquals(0, TrainingRun.resume(run, TrainingRun.Resume.to(6), false)));
        assertTrue(printed.contains("Resuming from " + run.resolve("checkpoints/iter-000005") + " (iteration 5)"), printed);
        assertTrue(Files.isDirectory(run.resolve("checkpoints/iter-000004")));
    }

    @Test
    void whatAKilledWriteLeftBehindIsRemovedOnResumeWithANote() throws IOException {
        Path run = trained();
        Path halfCheckpoint = Files.createDirectories(run.resolve("checkpoints/.tmp-iter-000005-1234"));
        Files.write(halfCheckpoint.resolve("generator.safetensors"), new byte[10]);
        Files.writeString(run.resolve("checkpoints/.latest.5f3a9c.tmp"), "iter-0000");
        Files.writeString(run.resolve(".log.csv.77e1.tmp"), "iteration,c1");
        String printed = stdout(() -> assertEquals(0, TrainingRun.resume(run, TrainingRun.Resume.to(5), false)));
        assertTrue(printed.contains("Removed what an interrupted write left behind: .log.csv.77e1.tmp, "
                + "checkpoints/.tmp-iter-000005-1234, checkpoints/.latest.5f3a9c.tmp"), printed);
        assertFalse(Files.exists(halfCheckpoint));
        assertFalse(Files.exists(run.resolve("checkpoints/.latest.5f3a9c.tmp")));
        assertFalse(Files.exists(run.resolve(".log.csv.77e1.tmp")));
    }

    @Test
    void checkpointFoldersGetTheSamePermissionsAsTheRunFolder() throws IOException {
        // The run as written, not a copy: copies get the usual permissions whatever the original's.
        assumeTrue(Files.getFileStore(trainedOnce).supportsFileAttributeView("posix"));
        assertEquals(Files.getPosixFilePermissions(trainedOnce),
                Files.getPosixFilePermissions(trainedOnce.resolve("checkpoints/iter-000004")));
    }

    @Test
    void aMissingOptimiserFileIsNamed() throws IOException {
        Path run = trained();
        Files.delete(run.resolve("checkpoints/iter-000004/critic-optimizer.safetensors"));
        IOException e = assertThrows(IOException.class, () -> TrainingRun.resume(run, TrainingRun.Resume.to(6), false));
        assertEquals("checkpoint " + run.resolve("checkpoints/iter-000004") + " is incomplete: it has no critic-optimizer.safetensors",
                e.getMessage());
    }

    /** Edits of state.json (a regex and its replacement) and a word each error must contain besides the field. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"iteration\":4 | \"iteration\":-5 | \"iteration\" is -5; it must be from 1",
            "\"iteration\":4 | \"iteration\":3 | \"iteration\" is 3 but the checkpoint folder is iter-000004",
            "\"iteration\":4 | \"iteration\":4.5 | \"iteration\" is 4.5; it must be a whole number",
            "\"iteration\":4, | '' | has no \"iteration\" field",
            "\"noiseRng\":\\[[-0-9]+, | \"noiseRng\":[ | \"noiseRng\" is [",
            "\"noiseRng\":\\[[-0-9]+,[-0-9]+,[-0-9]+,[-0-9]+, | \"noiseRng\":[0,0,0,0, | \"noiseRng\" starts with four zeros",
            "\"dataRng\":\\[([-0-9]+,){4}[-0-9]+ | \"dataRng\":[1,2,3,4,7 | \"dataRng\"[4] is 7; it must be 0 or 1",
            "\"dataPosition\":\\[[-0-9]+,[-0-9]+\\] | \"dataPosition\":[0,-4] | \"dataPosition\" is [0, -4]; it must be [epoch, position]",
            "\"dataPosition\":\\[[-0-9]+,[-0-9]+\\] | \"dataPosition\":[-3,0] | \"dataPosition\" is [-3, 0]",
            "\"kept\":true | \"kept\":1 | \"kept\" is 1; it must be true or false",
            "\\{ | {\"seed\":1, | unknown field \"seed\"",
            "\\} | }} | has more after its JSON object",
            "\\} | '' | is not valid JSON",
    })
    void aDamagedOrEditedStateJsonIsAClearErrorAndExitCode2(String regex, String replacement, String expected) throws IOException {
        Path run = trained();
        Path state = run.resolve("checkpoints/iter-000004/state.json");
        String text = Files.readString(state);
        String edited = text.replaceFirst(regex, replacement);
        assertFalse(edited.equals(text), "the edit " + regex + " applies to " + text);
        Files.writeString(state, edited);

        FileFormatException e = assertThrows(FileFormatException.class, () -> TrainingRun.resume(run, TrainingRun.Resume.to(6), false));
        assertTrue(e.getMessage().startsWith(state + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());

        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("--resume", run.toString(), "--iterations", "6"));
        assertEquals("wgan: " + e.getMessage(), err.toString().trim());
        assertEquals(4, logRows(run), "nothing was trained");
    }
}
