package wgan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import wgan.data.DatasetFiles;
import wgan.tensor.Tensor;

/** What the generator step may change in the critic, in the spec's reading and with the Keras quirk. */
class WganTrainerTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "kerasBnQuirk={0}")
    @ValueSource(booleans = {false, true})
    void generatorStepChangesOnlyWhatTheReadingAllows(boolean quirk) throws IOException {
        Path data = SmallMnist.write(tmp.resolve("mnist"), false);
        TrainConfig config = SmallMnist.config(data, 1, 1e-3, quirk);
        WganTrainer t = new WganTrainer(config, TrainingRun.loadImages(config));
        Map<String, Tensor> before = t.critic.stateDict();
        t.generatorStep(8);
        Map<String, Tensor> after = t.critic.stateDict();
        for (String name : before.keySet()) {
            boolean normAffine = name.equals("1.weight") || name.equals("1.bias") || name.equals("4.weight") || name.equals("4.bias");
            boolean runningStat = name.contains("running_") || name.contains("num_batches_tracked");
            float[] b = before.get(name).data(), a = after.get(name).data();
            if (runningStat || (quirk && normAffine)) {
                assertFalse(Arrays.equals(b, a), name + " should change in the generator step");
            } else {
                assertArrayEquals(b, a, name + " must not change in the generator step");
            }
        }
    }
}
