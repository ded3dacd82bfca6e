package wgan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * --critic-lr moves the critic by its own rate: RMSprop's first step on a weight is
     * rate * sqrt(1 / (1 - rho)) = 3.16 rate whatever its gradient, so after one iteration the critic
     * has weights that moved more than 1e-3 (rate 1e-3) and the generator none (rate 5e-5, 1.6e-4 a step).
     * Without clipping, which moves the critic's kernels too.
     */
    @org.junit.jupiter.api.Test
    void theCriticLearnsAtItsOwnRate() throws IOException {
        TrainConfig config = SmallMnist.config(SmallMnist.write(tmp.resolve("mnist"), false), 1, 5e-5).toBuilder()
                .set(Settings.CRITIC_LR, 1e-3).set(Settings.LIPSCHITZ, TrainConfig.Lipschitz.NONE).build();
        WganTrainer t = new WganTrainer(config, TrainingRun.loadImages(config));
        Map<String, Tensor> critic = t.critic.stateDict(), generator = t.generator.stateDict();
        t.iteration();
        assertTrue(largestChange(critic, t.critic.stateDict()) > 1e-3, "the critic moves at 1e-3");
        assertTrue(largestChange(generator, t.generator.stateDict()) < 1e-3, "the generator at 5e-5");
    }

    /**
     * --lr-decay linear: iteration k (1-based) of n runs at rate lr (1 - (k-1)/n), both networks
     * (the critic at its own rate), and the last at lr / n.
     */
    @org.junit.jupiter.api.Test
    void linearDecayLowersBothRatesEachIteration() throws IOException {
        int n = 4;
        TrainConfig config = SmallMnist.config(SmallMnist.write(tmp.resolve("mnist"), false), n, 1e-3).toBuilder()
                .set(Settings.CRITIC_LR, 2e-3).set(Settings.LR_DECAY, TrainConfig.LrDecay.LINEAR).build();
        WganTrainer t = new WganTrainer(config, TrainingRun.loadImages(config));
        for (int k = 1; k <= n; k++) {
            t.iteration();
            assertEquals(1e-3 * (1 - (k - 1.0) / n), t.generatorOptimizer.learningRate(), 1e-9, "generator, iteration " + k);
            assertEquals(2e-3 * (1 - (k - 1.0) / n), t.criticOptimizer.learningRate(), 1e-9, "critic, iteration " + k);
        }
    }

    /**
     * --lr-decay-start 0.5 over n = 4: the first half at the full rate, then the line from lr to
     * lr / 2 over the second half: factors 1, 1, 1, 1/2 (min(1, (n - steps) / (n / 2))).
     */
    @org.junit.jupiter.api.Test
    void decayStartingHalfwayHoldsTheRateThenFalls() throws IOException {
        TrainConfig config = SmallMnist.config(SmallMnist.write(tmp.resolve("mnist"), false), 4, 1e-3).toBuilder()
                .set(Settings.LR_DECAY, TrainConfig.LrDecay.LINEAR).set(Settings.LR_DECAY_START, 0.5).build();
        WganTrainer t = new WganTrainer(config, TrainingRun.loadImages(config));
        double[] factors = {1, 1, 1, 0.5};
        for (int k = 1; k <= 4; k++) {
            t.iteration();
            assertEquals(1e-3 * factors[k - 1], t.generatorOptimizer.learningRate(), 1e-9, "generator, iteration " + k);
            assertEquals(1e-3 * factors[k - 1], t.criticOptimizer.learningRate(), 1e-9, "critic, iteration " + k);
        }
    }

    /**
     * The decay follows the steps taken, which a checkpoint restores: 2 iterations, a checkpoint, a
     * fresh trainer restored from it and 2 more end with the same bits as 4 in one go.
     */
    @org.junit.jupiter.api.Test
    void decayingRunResumedFromACheckpointEndsBitwiseEqual() throws IOException {
        TrainConfig config = SmallMnist.config(SmallMnist.write(tmp.resolve("mnist"), false), 4, 1e-3).toBuilder()
                .set(Settings.LR_DECAY, TrainConfig.LrDecay.LINEAR).build();
        WganTrainer straight = new WganTrainer(config, TrainingRun.loadImages(config));
        for (int k = 0; k < 4; k++) straight.iteration();

        WganTrainer first = new WganTrainer(config, TrainingRun.loadImages(config));
        for (int k = 0; k < 2; k++) first.iteration();
        Path checkpoint = Checkpoint.save(tmp.resolve("checkpoints"), first, 2, false);
        WganTrainer resumed = new WganTrainer(config, TrainingRun.loadImages(config));
        Checkpoint.restore(checkpoint, resumed);
        for (int k = 0; k < 2; k++) resumed.iteration();
        for (var e : straight.generator.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().data(), resumed.generator.stateDict().get(e.getKey()).data(), e.getKey());
        }
    }

    /** The largest change of any weight (batch norm's running statistics aside). */
    private static double largestChange(Map<String, Tensor> before, Map<String, Tensor> after) {
        double largest = 0;
        for (String name : before.keySet()) {
            if (name.contains("running_") || name.contains("num_batches_tracked")) continue;
            float[] b = before.get(name).data(), a = after.get(name).data();
            for (int i = 0; i < b.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }
}
