package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import wgan.io.FileFormatException;
import wgan.train.TrainConfig.CriticStep;
import wgan.train.TrainConfig.Lipschitz;
import wgan.train.TrainConfig.Preset;

/** The declarations of the settings, the preset files, and the rules of how layers of values combine. */
class SettingsTest {

    @Test
    void everyDeclaredSettingIsListedOnceUnderItsFlagName() throws IllegalAccessException {
        List<Setting<?>> declared = new ArrayList<>();
        for (Field f : Settings.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) declared.add((Setting<?>) f.get(null));
        }
        assertEquals(new HashSet<>(declared), new HashSet<>(Settings.ALL));
        assertEquals(Settings.ALL.size(), new HashSet<>(Settings.ALL.stream().map(Setting::name).toList()).size(), "unique names");
        for (Setting<?> s : Settings.ALL) {
            assertTrue(s.name().matches("[a-z][a-z0-9]*(-[a-z0-9]+)*"), "a flag's name: " + s.name());
            assertEquals(s.defaultValue(), s.check(s.defaultValue()), "the default is allowed: " + s);
        }
    }

    /** Each preset file lists only what differs from the defaults, or from the preset it extends. */
    @ParameterizedTest
    @EnumSource(Preset.class)
    void presetFilesListOnlyTheirDifferences(Preset p) {
        JsonObject file = JsonParser.parseString(Settings.presetFileText(p)).getAsJsonObject();
        JsonElement base = file.get("extends");
        TrainConfig under = base == null ? Settings.resolve(List.of(new Settings.Layer().set(Settings.PRESET, Preset.E1)))
                : Ids.parse(Preset.class, base.getAsString()).config();
        Settings.Layer own = Settings.readLayer(withoutKeys(file, "extends", "description"));
        assertTrue(p == Preset.E1 || !own.values().isEmpty(), p + " changes something");
        for (Map.Entry<Setting<?>, Object> e : own.values().entrySet()) {
            assertNotEquals(under.get(e.getKey()), e.getValue(), Ids.id(p) + ".json repeats " + e.getKey());
        }
    }

    private static JsonObject withoutKeys(JsonObject json, String... keys) {
        JsonObject copy = json.deepCopy();
        for (String k : keys) copy.remove(k);
        return copy;
    }

    @Test
    void aNewModelBringsItsOwnLatentSizeAndCriticNormUnlessGivenWithIt() {
        TrainConfig e4 = Preset.E1.config().with(Settings.MODEL, Architecture.E4);
        assertEquals(100, e4.get(Settings.LATENT));
        assertEquals(CriticNorm.BATCH, e4.get(Settings.CRITIC_NORM));
        assertEquals(CriticNorm.NONE, Preset.E1.config().with(Settings.MODEL, Architecture.E3).get(Settings.CRITIC_NORM));
        TrainConfig both = Preset.E1.config().toBuilder().set(Settings.MODEL, Architecture.E2).set(Settings.LATENT, 7).build();
        assertEquals(7, both.get(Settings.LATENT));
        // A preset that gives both keeps its own; a later model replaces them.
        assertEquals(CriticNorm.LAYER, Preset.E4_WGAN_GP.config().get(Settings.CRITIC_NORM));
        assertEquals(CriticNorm.BATCH, Preset.E4_WGAN_GP.config().with(Settings.MODEL, Architecture.E2).get(Settings.CRITIC_NORM));
    }

    @Test
    void thePenaltyMakesTheCriticStepJointAndBringsItsDefaultWeight() {
        TrainConfig gp = Preset.E1.config().with(Settings.LIPSCHITZ, Lipschitz.GP);
        assertEquals(CriticStep.JOINT, gp.get(Settings.CRITIC_STEP));
        assertEquals(10.0, gp.get(Settings.GP_WEIGHT));
        assertEquals(CriticStep.JOINT, Preset.E2.config().with(Settings.LIPSCHITZ, Lipschitz.CLIP).get(Settings.CRITIC_STEP),
                "a joint step stays joint without the penalty");
    }

    @Test
    void theCriticsRateFollowsTheLearningRateUnlessGiven() {
        assertEquals(1e-4, Preset.E1_GP.config().get(Settings.CRITIC_LR));
        assertEquals(3e-4, Preset.E1.config().with(Settings.LR, 3e-4).get(Settings.CRITIC_LR));
        TrainConfig ttur = Preset.E1.config().with(Settings.CRITIC_LR, 4e-4);
        assertEquals(4e-4, ttur.get(Settings.CRITIC_LR));
        assertEquals(4e-4, ttur.with(Settings.SEED, 2L).get(Settings.CRITIC_LR), "kept while other settings change");
        assertEquals(1e-3, ttur.with(Settings.LR, 1e-3).get(Settings.CRITIC_LR), "a later --lr sets both");
    }

    @Test
    void epochsGivenOverAPresetsIterationsReplaceThem() {
        TrainConfig e2 = Preset.E2.config().with(Settings.EPOCHS, 3);
        assertEquals(OptionalInt.empty(), e2.get(Settings.ITERATIONS));
        assertEquals(3 * 937, e2.withLengthFor(60_000).iterations(), "60,000 images in batches of 64");
    }

    @Test
    void epochsThatMakeTooManyIterationsAreRefusedNotWrapped() {
        TrainConfig many = Preset.E1.config().toBuilder().set(Settings.EPOCHS, 1_000_000).set(Settings.BATCH, 2).build();
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> many.withLengthFor(60_000));
        assertEquals(Settings.EPOCHS, e.setting());
        assertTrue(e.getMessage().contains("at most 100000000 iterations, got 1000000 epochs of 30000 = 30000000000"), e.getMessage());
    }

    @Test
    void aSplitStepNeedsAnEvenBatch() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> Preset.E1.config().with(Settings.BATCH, 5));
        assertEquals("batch must be an even number from 2 to 4096 with critic-step split, got 5", e.getMessage());
        assertEquals(5, Preset.E2.config().with(Settings.BATCH, 5).get(Settings.BATCH), "a joint step takes any batch");
    }

    /** The first format's keys and sentinels, each read as meant. */
    @Test
    void aFirstFormatConfigIsReadAsItWasMeant() throws FileFormatException {
        String old = "{\"preset\": \"e2\", \"label\": -1, \"dataDir\": null, \"nCritic\": 3, \"gpWeight\": 0.0, "
                + "\"fakesInTraining\": true, \"sampleEvery\": 0, \"checkpointEvery\": 0, \"iterations\": 12}";
        Path file = Path.of("old/config.json");
        TrainConfig c = Settings.fromFile(Settings.readJson(old, file), file);
        assertEquals(Preset.E2.config().toBuilder().set(Settings.N_CRITIC, 3).set(Settings.FAKES, TrainConfig.FakesMode.TRAINING)
                .set(Settings.SAMPLE_EVERY, OptionalInt.empty()).set(Settings.ITERATIONS, OptionalInt.of(12)).build(), c);
    }

    @Test
    void anUnknownKeyIsAnErrorListingTheSettings() {
        FileFormatException e = assertThrows(FileFormatException.class, () -> Settings.readJson("{\"n_critic\": 2}", Path.of("my.json")));
        assertTrue(e.getMessage().startsWith("my.json: \"n_critic\" is not a setting; the settings are preset, dataset"), e.getMessage());
    }

    /** A config file that is not JSON: where the parser stopped, without Gson's exception class or its advice to parse leniently. */
    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"seed\": 1,, }", "{\"seed\": 1"})
    void aFileThatIsNotJsonSaysWhereInItsOwnWords(String text) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> Settings.readJson(text, Path.of("my.json")));
        assertTrue(e.getMessage().startsWith("my.json: is not valid JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains("line 1 column"), e.getMessage());
        assertFalse(e.getMessage().contains("gson") || e.getMessage().contains("Exception") || e.getMessage().contains("LENIENT"), e.getMessage());
    }

    /** docs/presets.md shows the presets' files as they are: its tables are the ones the declarations make. */
    @Test
    void theDocsTablesAreTheDeclarationsAndPresetFiles() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(Path.of("docs/presets.md"));
        String start = "-->\n", end = "<!-- end of settings tables -->";
        int from = doc.indexOf(start, doc.indexOf("<!-- settings tables:")) + start.length();
        assertEquals(Settings.markdownTables(), doc.substring(from, doc.indexOf(end)),
                "docs/presets.md's tables differ from Settings.markdownTables(): paste its output between the markers");
    }
}
