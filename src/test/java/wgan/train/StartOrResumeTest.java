package wgan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TrainingRun#startOrResume}, which a sweep runs each run with: an attempt killed after a
 * checkpoint is resumed from it, one killed before the first is started over, and either ends
 * bitwise where a run never interrupted does.
 */
class StartOrResumeTest {
    private static final List<String> CHECKPOINT_FILES = List.of("generator.safetensors", "critic.safetensors",
            "generator-optimizer.safetensors", "critic-optimizer.safetensors", "state.json");

    @TempDir
    Path tmp;

    private static void assertSameCheckpoint(Path expected, Path actual) throws IOException {
        for (String f : CHECKPOINT_FILES) assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)), f);
    }

    @Test
    void anAttemptKilledAfterACheckpointIsResumedFromIt() throws IOException {
        Path data = SmallMnist.write(tmp.resolve("mnist"), false);
        Path straight = tmp.resolve("straight");
        assertEquals(0, TrainingRun.startOrResume(SmallMnist.config(data, 6, 5e-5), straight, true));
        // What a kill after iteration 3's checkpoint leaves: the folder of a run of 6 trained up to 3.
        Path killed = tmp.resolve("killed");
        assertEquals(0, TrainingRun.startOrResume(SmallMnist.config(data, 3, 5e-5), killed, true));
        Files.copy(straight.resolve("config.json"), killed.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        assertEquals(0, TrainingRun.startOrResume(SmallMnist.config(data, 6, 5e-5), killed, true));
        assertTrue(Files.readString(killed.resolve("config.json")).contains("\"resumedFromIteration\": 3"));
        assertSameCheckpoint(straight.resolve("checkpoints/iter-000006"), killed.resolve("checkpoints/iter-000006"));
        assertEquals(Files.readAllLines(straight.resolve("log.csv")).size(), Files.readAllLines(killed.resolve("log.csv")).size());
    }

    @Test
    void anAttemptKilledBeforeItsFirstCheckpointIsStartedOver() throws IOException {
        Path data = SmallMnist.write(tmp.resolve("mnist"), false);
        Path aloneOut = tmp.resolve("alone");
        assertEquals(0, TrainingRun.start(SmallMnist.config(data, 4, 5e-5), aloneOut, true));
        Path alone = SmallMnist.onlyRun(aloneOut);
        // What a kill before the first checkpoint leaves: config.json and rows of log.csv, no checkpoint.
        Path killed = tmp.resolve("killed");
        Files.createDirectories(killed);
        Files.copy(alone.resolve("config.json"), killed.resolve("config.json"));
        Files.copy(alone.resolve("log.csv"), killed.resolve("log.csv"));
        assertEquals(0, TrainingRun.startOrResume(SmallMnist.config(data, 4, 5e-5), killed, true));
        assertSameCheckpoint(alone.resolve("checkpoints/iter-000004"), killed.resolve("checkpoints/iter-000004"));
        assertEquals(5, Files.readAllLines(killed.resolve("log.csv")).size(), "the header and 4 rows: the earlier attempt's are dropped");
    }
}
