package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import java.util.OptionalInt;
import wgan.io.FileFormatException;
import wgan.train.TrainConfig.CriticStep;
import wgan.train.TrainConfig.FakesMode;
import wgan.train.TrainConfig.OptimizerKind;
import wgan.train.TrainConfig.Dataset;
import wgan.train.TrainConfig.Lipschitz;
import wgan.train.TrainConfig.Loss;
import wgan.train.TrainConfig.Preset;

/** The presets against docs/experiments.md's numbers, and the config's own rules. */
class TrainConfigTest {

    @Test
    void e1IsTheReferenceTutorialsRecipe() {
        TrainConfig c = Preset.E1.config();
        assertEquals(Dataset.MNIST, c.get(Settings.DATASET));
        assertEquals(OptionalInt.of(7), c.get(Settings.CLASS));
        assertEquals(Architecture.E1, c.get(Settings.MODEL));
        assertEquals(Lipschitz.CLIP, c.get(Settings.LIPSCHITZ));
        assertEquals(0.01, c.get(Settings.CLIP));
        assertEquals(CriticStep.SPLIT, c.get(Settings.CRITIC_STEP));
        assertEquals(32, c.criticBatch(), "half of the batch of 64 per critic update");
        assertEquals(OptimizerKind.RMSPROP, c.get(Settings.OPTIMIZER));
        assertEquals(5e-5, c.get(Settings.LR));
        assertEquals(TrainConfig.LrDecay.NONE, c.get(Settings.LR_DECAY), "constant rates, as the reference");
        assertEquals(1.0, c.withLengthFor(6265).learningRateFactor(500));
        assertEquals(1.0, c.toBuilder().set(Settings.LR_DECAY_START, 0.5).build().withLengthFor(6265).learningRateFactor(500),
                "a start without linear decay changes nothing");
        assertEquals(5, c.get(Settings.N_CRITIC));
        assertEquals(50, c.get(Settings.LATENT));
        assertEquals(OptionalInt.empty(), c.get(Settings.ITERATIONS), "in epochs, resolved from the data");
        assertEquals(10, c.get(Settings.EPOCHS));
    }

    @Test
    void e1GpIsE1sDataAndModelsWithThePenalty() {
        TrainConfig c = Preset.E1_GP.config();
        assertEquals(Architecture.E1, c.get(Settings.MODEL));
        assertEquals(CriticNorm.LAYER, c.get(Settings.CRITIC_NORM));
        assertWganGp(c);
        assertTrue(c.get(Settings.FAKES) == FakesMode.TRAINING);
        TrainConfig run = c.withLengthFor(6265);
        assertEquals(970, run.iterations());
        assertEquals(1.0, run.learningRateFactor(600), "the full rate for the first 70% (679 of 970 iterations)");
        assertEquals(1.0, run.learningRateFactor(679), 1e-12);
        assertEquals(146 / 291.0, run.learningRateFactor(824), 1e-12, "then a straight line over the last 291");
        assertEquals(1 / 291.0, run.learningRateFactor(969), 1e-12);
    }

    /** Gulrajani et al. 2017, Algorithm 1's defaults. */
    private static void assertWganGp(TrainConfig c) {
        assertEquals(Lipschitz.GP, c.get(Settings.LIPSCHITZ));
        assertEquals(10.0, c.get(Settings.GP_WEIGHT));
        assertEquals(OptimizerKind.ADAM, c.get(Settings.OPTIMIZER));
        assertEquals(1e-4, c.get(Settings.LR));
        assertEquals(0.5, c.get(Settings.BETA1));
        assertEquals(0.9, c.get(Settings.BETA2));
        assertEquals(5, c.get(Settings.N_CRITIC));
        assertEquals(64, c.criticBatch());
    }

    @Test
    void e2ClipsEveryWeightOnFashionMnist() {
        TrainConfig c = Preset.E2.config();
        assertEquals(Dataset.FASHION_MNIST, c.get(Settings.DATASET));
        assertEquals(OptionalInt.empty(), c.get(Settings.CLASS), "all classes");
        assertEquals(Architecture.E2, c.get(Settings.MODEL));
        assertEquals(CriticNorm.BATCH, c.get(Settings.CRITIC_NORM));
        assertEquals(Lipschitz.ALL_CLIP, c.get(Settings.LIPSCHITZ));
        assertEquals(0.01, c.get(Settings.CLIP));
        assertEquals(OptimizerKind.RMSPROP, c.get(Settings.OPTIMIZER));
        assertEquals(5e-5, c.get(Settings.LR));
        assertEquals(OptionalInt.of(2000), c.get(Settings.ITERATIONS));
        assertEquals(128, c.get(Settings.LATENT));
        assertEquals(TrainConfig.Sampling.SHUFFLE, c.get(Settings.SAMPLING));
        assertFalse(c.get(Settings.FAKES) == FakesMode.TRAINING, "the fakes come from generator.predict");
    }

    @Test
    void e3IsWganGpOnFashionMnist() {
        TrainConfig c = Preset.E3.config();
        assertEquals(Architecture.E3, c.get(Settings.MODEL));
        assertEquals(CriticNorm.NONE, c.get(Settings.CRITIC_NORM));
        assertWganGp(c);
        assertEquals(OptionalInt.of(5000), c.get(Settings.ITERATIONS));
    }

    @Test
    void e4PresetsDifferInLossAndPenalty() {
        TrainConfig gan = Preset.E4_GAN.config();
        TrainConfig ganGp = Preset.E4_GAN_GP.config();
        TrainConfig wganGp = Preset.E4_WGAN_GP.config();
        for (TrainConfig c : new TrainConfig[] {gan, ganGp, wganGp}) {
            assertEquals(Dataset.FOLDER, c.get(Settings.DATASET));
            assertEquals(Architecture.E4, c.get(Settings.MODEL));
            assertEquals(100, c.get(Settings.LATENT));
            assertTrue(c.get(Settings.FAKES) == FakesMode.TRAINING, "the source makes the critic's fakes with training=True");
        }
        assertEquals(Loss.GAN, gan.get(Settings.LOSS));
        assertEquals(Lipschitz.NONE, gan.get(Settings.LIPSCHITZ));
        assertEquals(2e-4, gan.get(Settings.LR));
        assertEquals(0.5, gan.get(Settings.BETA1));
        assertEquals(1, gan.get(Settings.N_CRITIC));
        assertEquals(Loss.GAN, ganGp.get(Settings.LOSS));
        assertEquals(Lipschitz.GP, ganGp.get(Settings.LIPSCHITZ));
        assertEquals(1.0, ganGp.get(Settings.GP_WEIGHT));
        assertEquals(Loss.WASSERSTEIN, wganGp.get(Settings.LOSS));
        assertWganGp(wganGp);
        assertEquals(CriticNorm.LAYER, wganGp.get(Settings.CRITIC_NORM), "no batch norm under a per-sample penalty");
        assertEquals(CriticNorm.BATCH, ganGp.get(Settings.CRITIC_NORM), "the source's model");
    }

    @ParameterizedTest
    @EnumSource(Preset.class)
    void everyPresetSurvivesItsJson(Preset p) throws IOException {
        TrainConfig c = p.config().with(Settings.ITERATIONS, OptionalInt.of(7));
        Path file = Path.of("config.json");
        assertEquals(c, Settings.fromFile(Settings.readJson(c.toJson(), file), file));
        assertTrue(c.toJson().contains("\"preset\": \"" + Ids.id(p) + "\""), c.toJson());
    }

    @Test
    void theWarmupScheduleIsTheWganAuthors() {
        TrainConfig c = Preset.E1.config().with(Settings.CRITIC_WARMUP, true);
        // gen_iterations = iteration - 1: 100 rounds while it is < 25 or a multiple of 500.
        for (int i = 1; i <= 25; i++) assertEquals(100, c.criticRounds(i), "iteration " + i);
        assertEquals(5, c.criticRounds(26));
        assertEquals(5, c.criticRounds(500));
        assertEquals(100, c.criticRounds(501));
        assertEquals(5, c.criticRounds(502));
        assertEquals(100, c.criticRounds(1001));
        assertEquals(5, Preset.E1.config().criticRounds(1), "no warm-up unless asked");
    }

    @Test
    void thePenaltyNeedsAJointCriticStep() {
        TrainConfig.Builder b = Preset.E1.config().toBuilder().set(Settings.LIPSCHITZ, Lipschitz.GP).set(Settings.CRITIC_STEP, CriticStep.SPLIT);
        InvalidSettingException e = assertThrows(InvalidSettingException.class, b::build);
        assertEquals(Settings.CRITIC_STEP, e.setting());
    }

    @Test
    void aDamagedConfigIsAFileErrorNamingTheFile() {
        Path file = Path.of("run/config.json");
        String json = Preset.E1.config().with(Settings.ITERATIONS, OptionalInt.of(3)).toJson()
                .replace("\"lipschitz\": \"clip\"", "\"lipschitz\": \"soft\"");
        FileFormatException e = assertThrows(FileFormatException.class, () -> Settings.readJson(json, file));
        assertTrue(e.getMessage().contains("run/config.json") && e.getMessage().contains("soft"), e.getMessage());
    }
}
