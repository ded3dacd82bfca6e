package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.nn.Parameter;

/** The two figures behind the clipping and penalty warnings, from a trainer that has taken a few steps. */
class CriticHealthTest {
    @TempDir
    Path tmp;

    @Test
    void clippedShareCountsTheConvKernelsAtTheBound() throws IOException {
        // A bound far below the initial weights, and steps too small to leave it: after one critic update nearly every kernel weight is at it.
        TrainConfig config = SmallMnist.config(SmallMnist.write(tmp.resolve("mnist"), false), 2, 1e-9).toBuilder()
                .set(Settings.CLIP, 1e-4).set(Settings.CRITIC_LR, 1e-9).build();
        WganTrainer t = new WganTrainer(config, TrainingRun.loadImages(config));
        t.iteration();
        WganTrainer.CriticHealth h = t.criticHealth();
        long at = 0, all = 0;
        for (Parameter p : Parameter.ofKind(t.critic.parameters(), Parameter.Kind.CONV_KERNEL)) {
            for (float w : p.var().value().data()) if (Math.abs(w) >= WganTrainer.AT_BOUND * (float) 1e-4) at++;
            all += p.var().value().size();
        }
        assertEquals(at / (double) all, h.clippedAtBound());
        // Exactly at c are only those the last update pushed outwards (about a third here); the others sit a step below.
        assertTrue(h.clippedAtBound() > 0.99, "saturated: " + h);
        assertTrue(Double.isNaN(h.penaltyNormMean()), "no penalty in E1: " + h);
    }

    /** With one critic round, the logged penalty is lambda * mean((n - 1)^2) = lambda * ((mean - 1)^2 + variance) of the same norms. */
    @Test
    void penaltyNormsAreThoseOfTheLoggedPenalty() throws IOException {
        TrainConfig config = TrainConfig.Preset.E3.config().toBuilder()
                .set(Settings.DATA, Optional.of(SmallMnist.write(tmp.resolve("mnist"), false)))
                .set(Settings.BATCH, 8)
                .set(Settings.N_CRITIC, 1)
                .set(Settings.CRITIC_WARMUP, false)
                .set(Settings.ITERATIONS, OptionalInt.of(3))
                .build();
        WganTrainer t = new WganTrainer(config, TrainingRun.loadImages(config));
        assertTrue(Double.isNaN(t.criticHealth().penaltyNormMean()), "no critic round yet");
        for (int i = 0; i < 3; i++) {
            WganTrainer.StepLosses l = t.iteration();
            WganTrainer.CriticHealth h = t.criticHealth();
            double m = h.penaltyNormMean(), s = h.penaltyNormStd();
            double expected = config.get(Settings.GP_WEIGHT) * ((m - 1) * (m - 1) + s * s);
            assertEquals(l.gp(), expected, 1e-4 * Math.max(1, l.gp()), "iteration " + (i + 1) + ": " + h);
            assertTrue(m > 0 && s >= 0, h.toString());
            assertTrue(Double.isNaN(h.clippedAtBound()), "no clipping in E3: " + h);
        }
    }
}
