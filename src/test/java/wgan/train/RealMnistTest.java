package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A few iterations of E1 exactly as specified, on the real MNIST files that come with wgan. */
class RealMnistTest {
    @TempDir
    Path out;

    @Test
    void e1TrainsOnTheSevensWithFiniteLosses() throws IOException {
        TrainConfig e1 = TrainConfig.e1(null).with(Settings.ITERATIONS, java.util.OptionalInt.of(2));
        assertEquals(6265, TrainingRun.loadImages(e1).count(), "the MNIST training set has 6,265 sevens");
        assertEquals(0, TrainingRun.start(e1, out, true));
        try (var runs = Files.list(out)) {
            Path run = runs.findFirst().orElseThrow();
            List<String> rows = Files.readAllLines(run.resolve("log.csv"));
            assertEquals(3, rows.size());
            for (String row : rows.subList(1, 3)) {
                for (String v : row.split(",")) assertTrue(Double.isFinite(Double.parseDouble(v)), row);
            }
            assertTrue(Files.isRegularFile(run.resolve("checkpoints/iter-000002/generator.safetensors")));
        }
    }
}
