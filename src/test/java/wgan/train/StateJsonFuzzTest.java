package wgan.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.fuzz.Fuzz;
import wgan.io.FileFormatException;

/**
 * Mutated state.json files of a real checkpoint either restore a trainer or are a
 * {@link FileFormatException}: never an exception from the random streams or the data position
 * they would otherwise be handed.
 */
class StateJsonFuzzTest {
    @TempDir
    Path tmp;

    @Test
    void mutatedStateJsonRestoresOrIsAFormatError() throws IOException {
        Path run = SmallMnist.trainedRun(tmp, 2);
        Path checkpoint = run.resolve("checkpoints/iter-000002");
        Path state = checkpoint.resolve("state.json");
        byte[] valid = Files.readAllBytes(state);
        TrainConfig config = SmallMnist.config(tmp.resolve("mnist"), 2, 5e-5);
        WganTrainer trainer = new WganTrainer(config, TrainingRun.loadImages(config));
        // The whole restore, models included: it must accept exactly what readState accepts.
        Fuzz.run("state.json", List.of(valid), Fuzz.cases(1000), FileFormatException.class, bytes -> {
            Files.write(state, bytes);
            Checkpoint.restore(checkpoint, trainer);
        });
    }
}
