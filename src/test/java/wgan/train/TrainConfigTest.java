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
import wgan.train.TrainConfig.CriticStep;
import wgan.train.TrainConfig.Dataset;
import wgan.train.TrainConfig.Lipschitz;
import wgan.train.TrainConfig.Loss;
import wgan.train.TrainConfig.Preset;

/** The presets against SPEC.md's numbers, and the config's own rules. */
class TrainConfigTest {

    @Test
    void e1IsTheReferenceTutorialsRecipe() {
        TrainConfig c = Preset.E1.config();
        assertEquals(Dataset.MNIST, c.dataset());
        assertEquals(7, c.label());
        assertEquals(Architecture.E1, c.model());
        assertEquals(Lipschitz.CLIP, c.lipschitz());
        assertEquals(0.01, c.clip());
        assertEquals(CriticStep.SPLIT, c.criticStep());
        assertEquals(32, c.criticBatch(), "half of the batch of 64 per critic update");
        assertEquals("rmsprop", c.optimizer());
        assertEquals(5e-5, c.lr());
        assertEquals(5, c.nCritic());
        assertEquals(50, c.latent());
        assertEquals(0, c.iterations(), "10 epochs, resolved from the data");
    }

    @Test
    void e1GpIsE1sDataAndModelsWithThePenalty() {
        TrainConfig c = Preset.E1_GP.config();
        assertEquals(Architecture.E1, c.model());
        assertEquals(CriticNorm.NONE, c.criticNorm());
        assertWganGp(c);
        assertTrue(c.fakesInTraining());
    }

    /** Gulrajani et al. 2017, Algorithm 1's defaults. */
    private static void assertWganGp(TrainConfig c) {
        assertEquals(Lipschitz.GP, c.lipschitz());
        assertEquals(10, c.gpWeight());
        assertEquals("adam", c.optimizer());
        assertEquals(1e-4, c.lr());
        assertEquals(0.5, c.beta1());
        assertEquals(0.9, c.beta2());
        assertEquals(5, c.nCritic());
        assertEquals(64, c.criticBatch());
    }

    @Test
    void e2ClipsEveryWeightOnFashionMnist() {
        TrainConfig c = Preset.E2.config();
        assertEquals(Dataset.FASHION_MNIST, c.dataset());
        assertEquals(-1, c.label());
        assertEquals(Architecture.E2, c.model());
        assertEquals(CriticNorm.BATCH, c.criticNorm());
        assertEquals(Lipschitz.ALL_CLIP, c.lipschitz());
        assertEquals(0.01, c.clip());
        assertEquals("rmsprop", c.optimizer());
        assertEquals(5e-5, c.lr());
        assertEquals(2000, c.iterations());
        assertEquals(128, c.latent());
        assertEquals(TrainConfig.Sampling.SHUFFLE, c.sampling());
        assertFalse(c.fakesInTraining(), "the fakes come from generator.predict");
    }

    @Test
    void e3IsWganGpOnFashionMnist() {
        TrainConfig c = Preset.E3.config();
        assertEquals(Architecture.E3, c.model());
        assertEquals(CriticNorm.NONE, c.criticNorm());
        assertWganGp(c);
        assertEquals(5000, c.iterations());
    }

    @Test
    void e4PresetsDifferInLossAndPenalty() {
        TrainConfig gan = Preset.E4_GAN.config();
        TrainConfig ganGp = Preset.E4_GAN_GP.config();
        TrainConfig wganGp = Preset.E4_WGAN_GP.config();
        for (TrainConfig c : new TrainConfig[] {gan, ganGp, wganGp}) {
            assertEquals(Dataset.FOLDER, c.dataset());
            assertEquals(Architecture.E4, c.model());
            assertEquals(100, c.latent());
            assertTrue(c.fakesInTraining(), "the source makes the critic's fakes with training=True");
        }
        assertEquals(Loss.GAN, gan.loss());
        assertEquals(Lipschitz.NONE, gan.lipschitz());
        assertEquals(2e-4, gan.lr());
        assertEquals(0.5, gan.beta1());
        assertEquals(1, gan.nCritic());
        assertEquals(Loss.GAN, ganGp.loss());
        assertEquals(Lipschitz.GP, ganGp.lipschitz());
        assertEquals(1.0, ganGp.gpWeight());
        assertEquals(Loss.WASSERSTEIN, wganGp.loss());
        assertWganGp(wganGp);
        assertEquals(CriticNorm.LAYER, wganGp.criticNorm(), "no batch norm under a per-sample penalty");
        assertEquals(CriticNorm.BATCH, ganGp.criticNorm(), "the source's model");
    }

    @ParameterizedTest
    @EnumSource(Preset.class)
    void everyPresetSurvivesItsJson(Preset p) throws IOException {
        TrainConfig c = p.config().withIterations(7);
        assertEquals(c, TrainConfig.fromJson(c.toJson(), Path.of("config.json")));
        assertTrue(c.toJson().contains("\"preset\": \"" + Ids.id(p) + "\""), c.toJson());
    }

    @Test
    void theWarmupScheduleIsTheWganAuthors() {
        TrainConfig.Builder b = Preset.E1.config().toBuilder();
        b.criticWarmup = true;
        TrainConfig c = b.build();
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
        TrainConfig.Builder b = Preset.E1.config().toBuilder();
        b.lipschitz = Lipschitz.GP;
        assertThrows(IllegalArgumentException.class, b::build);
    }

    @Test
    void aDamagedConfigIsAnIoErrorNamingTheFile() {
        IOException e = assertThrows(IOException.class, () -> TrainConfig.fromJson(
                Preset.E1.config().withIterations(3).toJson().replace("\"lipschitz\": \"clip\"", "\"lipschitz\": \"soft\""), Path.of("run/config.json")));
        assertTrue(e.getMessage().contains("run/config.json") && e.getMessage().contains("soft"), e.getMessage());
    }
}
