package wgan.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import wgan.io.FileFormatException;
import wgan.train.TrainConfig.CriticStep;
import wgan.train.TrainConfig.Dataset;
import wgan.train.TrainConfig.FakesMode;
import wgan.train.TrainConfig.Lipschitz;
import wgan.train.TrainConfig.Loss;
import wgan.train.TrainConfig.LrDecay;
import wgan.train.TrainConfig.OptimizerKind;
import wgan.train.TrainConfig.Preset;
import wgan.train.TrainConfig.Sampling;
import wgan.train.Setting.Interval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every setting of a training run, each declared once: name, values, default and help (see
 * {@link Setting}). A configuration is made from layers of values, each over the ones before
 * ({@link #resolve}): these defaults, the preset's file (src/main/resources/wgan/presets, which
 * lists what differs from them), a config file, the flags. The rules that tie settings together
 * are here too ({@link #resolve}, {@link #checkTogether}), so flags, config files and
 * {@code --resume} are checked alike.
 */
public final class Settings {
    private Settings() {}

    private static final double INF = Double.POSITIVE_INFINITY;
    /** The most iterations a run may have; epochs are counted in long and held to it too. */
    public static final int MAX_ITERATIONS = 100_000_000;

    public static final Setting<Preset> PRESET = Setting.choice("preset", "NAME", Preset.class, Preset.E1,
            "The recipe, which the other settings change one by one");
    public static final Setting<Dataset> DATASET = Setting.choice("dataset", "NAME", Dataset.class, Dataset.MNIST,
            "The real images: the IDX files of mnist or fashion-mnist, or a folder of images (--data); or 2-D points "
                    + "(--model toy): toy-8gaussians, toy-25gaussians, toy-swissroll");
    public static final Setting<OptionalInt> CLASS = Setting.optionalInteger("class", "N|all", 0, 9, "all", OptionalInt.of(7),
            "The class of an IDX dataset to learn (an MNIST digit, a Fashion-MNIST class), or all of them");
    public static final Setting<Optional<Path>> DATA = Setting.path("data", "DIR",
            "Folder with the IDX files (none: datasets/NAME, the cache, the system's, and for MNIST the copy inside wgan.jar; "
                    + "a dataset found nowhere is downloaded into the cache), or with the images");
    public static final Setting<Architecture> MODEL = Setting.choice("model", "NAME", Architecture.class, Architecture.E1,
            "Generator/critic pair of docs/experiments.md: e1 (28x28), e2, e3 (32x32), e4 (64x64 RGB); "
                    + "or encoder/decoder pair of docs/vae.md: ae, vae (28x28); or toy (2-D points)");
    public static final Setting<CriticNorm> CRITIC_NORM = Setting.choice("critic-norm", "NAME", CriticNorm.class, CriticNorm.BATCH,
                    "The critic's normalisation: batch (the spec's), layer (in batch norm's place) or none; follows --model")
            .follows(MODEL, model -> Optional.of(model.defaultCriticNorm()));
    public static final Setting<Loss> LOSS = Setting.choice("loss", "NAME", Loss.class, Loss.WASSERSTEIN,
            "wasserstein (linear critic, mean(y D(x))) or gan (cross-entropy on logits, non-saturating generator)");
    public static final Setting<Lipschitz> LIPSCHITZ = Setting.choice("lipschitz", "HOW", Lipschitz.class, Lipschitz.CLIP,
            "How the critic is kept Lipschitz: clip (its conv kernels), all-clip (every critic weight), gp (gradient penalty), "
                    + "gp-one-sided, or none");
    public static final Setting<Double> CLIP = Setting.real("clip", "C", new Interval(0, false, INF, false), 0.01,
            "Clipping bound c of clip and all-clip");
    public static final Setting<Double> GP_WEIGHT = Setting.real("gp-weight", "L", new Interval(0, false, INF, false), 10,
            "Gradient penalty weight lambda of gp and gp-one-sided");
    /** The penalty interpolates between real and fake images, so it needs both in one critic step. */
    public static final Setting<CriticStep> CRITIC_STEP = Setting.choice("critic-step", "HOW", CriticStep.class, CriticStep.SPLIT,
                    "split: an update on N/2 real images, then one on N/2 fakes (E1's reference); joint: one update on N of "
                            + "each, which the penalty needs, so --lipschitz gp makes it joint")
            .follows(LIPSCHITZ, lipschitz -> lipschitz.penalises() ? Optional.of(CriticStep.JOINT) : Optional.empty());
    public static final Setting<FakesMode> FAKES = Setting.choice("fakes", "MODE", FakesMode.class, FakesMode.INFERENCE,
            "How the generator makes the critic's fakes: inference (batch norm's moving statistics, as Keras predict) "
                    + "or training (the batch's statistics)");
    public static final Setting<Sampling> SAMPLING = Setting.choice("sampling", "HOW", Sampling.class, Sampling.REPLACEMENT,
            "How real batches are drawn: replacement (uniformly at random, E1's randint) or shuffle (a fresh shuffle each "
                    + "epoch, last partial batch dropped)");
    public static final Setting<Integer> EPOCHS = Setting.integer("epochs", "N", 1, 1_000_000, 10,
            "The length in passes over the images, of floor(images / batch) iterations each, where --iterations is epochs");
    /** Giving the length in epochs (a flag over a preset, say) makes the iterations follow from them. */
    public static final Setting<OptionalInt> ITERATIONS = Setting.optionalInteger("iterations", "N", 1, MAX_ITERATIONS, "epochs",
                    OptionalInt.empty(), "Generator updates in total, or epochs: as many as --epochs make")
            .follows(EPOCHS, epochs -> Optional.of(OptionalInt.empty()));
    public static final Setting<Integer> BATCH = Setting.integer("batch", "N", 2, 4096, 64,
            "Images per generator update; a split critic step sees N/2 real and N/2 fake, a joint one N of each");
    public static final Setting<Integer> N_CRITIC = Setting.integer("n-critic", "N", 1, 1000, 5,
            "Critic updates per generator update");
    public static final Setting<Boolean> CRITIC_WARMUP = Setting.onOff("critic-warmup", false,
            "The WGAN authors' schedule: 100 critic updates for the first 25 generator steps and every 500th");
    public static final Setting<OptimizerKind> OPTIMIZER = Setting.choice("optimizer", "NAME", OptimizerKind.class,
            OptimizerKind.RMSPROP, "rmsprop (Keras semantics: rho 0.9, eps 1e-7) or adam (Keras eps 1e-7; see --beta1, --beta2)");
    public static final Setting<Double> LR = Setting.real("lr", "RATE", new Interval(0, false, 10, true), 5e-5,
            "Learning rate of both networks (of the generator alone with --critic-lr)");
    /** The two time-scale update rule (Heusel et al. 2017) gives the critic a learning rate of its own. */
    public static final Setting<Double> CRITIC_LR = Setting.real("critic-lr", "RATE", new Interval(0, false, 10, true), 5e-5,
            "Learning rate of the critic; follows --lr").follows(LR, Optional::of);
    public static final Setting<LrDecay> LR_DECAY = Setting.choice("lr-decay", "HOW", LrDecay.class, LrDecay.NONE,
            "none, or linear: the learning rates fall in a straight line from their values at the first iteration to 0 "
                    + "after the last (the WGAN-GP authors' schedule); lengthening a run on resume stretches the line");
    /** Holding the rate for most of a run keeps its fast progress; the decay then only damps its last epochs. */
    public static final Setting<Double> LR_DECAY_START = Setting.real("lr-decay-start", "SHARE", new Interval(0, true, 1, false), 0.0,
            "With --lr-decay linear: the share of the run's iterations at the constant rate before the line starts "
                    + "(0: from the first iteration, as the authors; 0.7: the last 30% fall to 0)");
    public static final Setting<Double> BETA1 = Setting.real("beta1", "B", new Interval(0, true, 1, false), 0.5, "Adam's beta1");
    public static final Setting<Double> BETA2 = Setting.real("beta2", "B", new Interval(0, true, 1, false), 0.9, "Adam's beta2");
    public static final Setting<Integer> LATENT = Setting.integer("latent", "N", 1, 100_000, 50,
                    "Size of the latent vector; follows --model")
            .follows(MODEL, model -> Optional.of(model.defaultLatent()));
    public static final Setting<Long> SEED = Setting.longInteger("seed", "S", 1,
            "Seed of every random stream; same seed, same run");
    public static final Setting<OptionalInt> CHECKPOINT_EVERY = Setting.optionalInteger("checkpoint-every", "N", 1, MAX_ITERATIONS,
            "grid", OptionalInt.empty(), "Checkpoint every N iterations, or with each sample grid (grid); one per epoch is kept");
    public static final Setting<OptionalInt> SAMPLE_EVERY = Setting.optionalInteger("sample-every", "N", 1, MAX_ITERATIONS,
            "epoch", OptionalInt.empty(), "Write a sample grid and the loss plot every N iterations, or once per epoch (epoch)");
    public static final Setting<Boolean> KERAS_BN_QUIRK = Setting.onOff("keras-bn-quirk", false,
            "Also update the critic's batch-norm gamma/beta in the generator step, as E1's reference Keras combined model "
                    + "does (docs/e1.md); off: the spec's reading, where the critic does not change there");

    /** Every setting, in the order of --help and config.json. */
    public static final List<Setting<?>> ALL = List.of(PRESET, DATASET, CLASS, DATA, MODEL, CRITIC_NORM, LOSS, LIPSCHITZ, CLIP,
            GP_WEIGHT, CRITIC_STEP, FAKES, SAMPLING, ITERATIONS, EPOCHS, BATCH, N_CRITIC, CRITIC_WARMUP, OPTIMIZER, LR, CRITIC_LR, LR_DECAY, LR_DECAY_START, BETA1,
            BETA2, LATENT, SEED, CHECKPOINT_EVERY, SAMPLE_EVERY, KERAS_BN_QUIRK);

    /** What a resumed run may change: its length and where its data is; the rest of the recipe is fixed when it starts. */
    public static final Set<Setting<?>> CHANGEABLE_ON_RESUME = Set.of(ITERATIONS, EPOCHS, DATA);

    private static final Map<String, Setting<?>> BY_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Setting::name, s -> s));

    /** The setting named {@code name}, if there is one. */
    public static Optional<Setting<?>> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Values of some settings: one layer of a configuration (a preset file, a config file, the flags). */
    public static final class Layer {
        private final Map<Setting<?>, Object> values = new LinkedHashMap<>();

        public <T> Layer set(Setting<T> setting, T value) {
            values.put(setting, value);
            return this;
        }

        public boolean has(Setting<?> setting) {
            return values.containsKey(setting);
        }

        /** The value this layer gives {@code setting}, if it gives one. */
        public <T> Optional<T> get(Setting<T> setting) {
            return has(setting) ? Optional.of(setting.cast(values.get(setting))) : Optional.empty();
        }

        public Map<Setting<?>, Object> values() {
            return Collections.unmodifiableMap(values);
        }

        void put(Setting<?> setting, Object value) {
            values.put(setting, value);
        }
    }

    /**
     * The configuration these layers make, each over the ones before, on top of the layers of the
     * preset that the last of them names (or e1). A setting that {@link Setting#follows} another
     * takes its derived value when that other is set in a later layer, or when it is set in none:
     * {@code --model e4} over e1 brings E4's latent size, while a preset that gives both keeps its
     * own. Every value is checked, alone and with the others.
     *
     * @throws InvalidSettingException naming the first setting that is not allowed
     */
    public static TrainConfig resolve(List<Layer> layers) {
        Preset preset = PRESET.defaultValue();
        for (Layer layer : layers) {
            if (layer.has(PRESET)) preset = PRESET.cast(layer.values.get(PRESET));
        }
        List<Layer> all = new ArrayList<>(presetLayers(preset));
        all.addAll(layers);
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        Map<Setting<?>, Integer> setIn = new HashMap<>();
        for (Setting<?> s : ALL) values.put(s, s.defaultValue());
        for (int i = 0; i < all.size(); i++) {
            for (Map.Entry<Setting<?>, Object> e : all.get(i).values.entrySet()) {
                values.put(e.getKey(), e.getKey().check(e.getValue()));
                setIn.put(e.getKey(), i);
            }
        }
        for (Setting<?> s : ALL) {
            Setting.Derivation<?, ?> d = s.derivation();
            if (d == null) continue;
            int own = setIn.getOrDefault(s, -1), source = setIn.getOrDefault(d.source(), -1);
            if (own == -1 || own < source) d.apply(values.get(d.source())).ifPresent(v -> values.put(s, v));
        }
        TrainConfig config = new TrainConfig(values);
        checkTogether(config);
        return config;
    }

    /** The rules between settings, which no single range says. */
    private static void checkTogether(TrainConfig c) {
        if (c.get(MODEL).autoencoder() && c.get(DATASET) == Dataset.FOLDER) {
            throw new InvalidSettingException(DATASET, "must be mnist or fashion-mnist with model " + c.get(MODEL).id()
                    + " (its reconstructions are of the dataset's test images), got folder");
        }
        // An autoencoder has no critic: the critic's settings do not apply to it.
        boolean split = !c.get(MODEL).autoencoder() && c.get(CRITIC_STEP) == CriticStep.SPLIT;
        if (split && c.get(LIPSCHITZ).penalises()) {
            throw new InvalidSettingException(CRITIC_STEP, "must be joint with lipschitz " + Ids.id(c.get(LIPSCHITZ))
                    + ": the penalty needs real and fake images in one critic step, got split");
        }
        if (split && c.get(BATCH) % 2 != 0) {
            throw new InvalidSettingException(BATCH, "must be an even number from 2 to 4096 with critic-step split, got " + c.get(BATCH));
        }
        if (c.get(DATASET) == Dataset.FOLDER && c.get(CLASS).isPresent()) {
            throw new InvalidSettingException(CLASS, "must be all with dataset folder (an image folder has no classes), got "
                    + c.get(CLASS).getAsInt());
        }
        Dataset dataset = c.get(DATASET);
        if (dataset.isToy() && c.get(CLASS).isPresent()) {
            throw new InvalidSettingException(CLASS, "must be all with dataset " + Ids.id(dataset) + " (2-D points have no classes), got "
                    + c.get(CLASS).getAsInt());
        }
        if (dataset.isToy() != (c.get(MODEL) == Architecture.TOY)) {
            throw new InvalidSettingException(MODEL, dataset.isToy()
                    ? "must be toy with dataset " + Ids.id(dataset) + " (2-D points), got " + c.get(MODEL).id()
                    : "toy makes 2-D points, not the images of dataset " + Ids.id(dataset) + "; use e1, e2, e3 or e4");
        }
    }

    // ---- presets ----

    private static final Map<Preset, List<Layer>> PRESET_LAYERS = new EnumMap<>(Preset.class);
    private static final Map<Preset, String> DESCRIPTIONS = new EnumMap<>(Preset.class);

    /** The preset's file and the files it {@code extends}, base first; the last layer sets {@link #PRESET}. */
    private static synchronized List<Layer> presetLayers(Preset preset) {
        List<Layer> cached = PRESET_LAYERS.get(preset);
        if (cached != null) return cached;
        JsonObject file = presetFile(preset);
        List<Layer> layers = new ArrayList<>();
        JsonElement base = file.remove("extends");
        if (base != null) layers.addAll(presetLayers(Ids.parse(Preset.class, base.getAsString())));
        DESCRIPTIONS.put(preset, file.remove("description").getAsString());
        Layer own = readLayer(file);
        own.set(PRESET, preset);
        layers.add(own);
        List<Layer> result = List.copyOf(layers);
        PRESET_LAYERS.put(preset, result);
        return result;
    }

    private static final Map<Preset, TrainConfig> PRESET_CONFIGS = new EnumMap<>(Preset.class);

    /** The preset's settings (made once: every flag's help shows each preset's value). */
    static synchronized TrainConfig preset(Preset preset) {
        TrainConfig config = PRESET_CONFIGS.get(preset);
        if (config == null) {
            config = resolve(List.of(new Layer().set(PRESET, preset)));
            PRESET_CONFIGS.put(preset, config);
        }
        return config;
    }

    /** One line on what the preset trains, from its file. */
    public static synchronized String description(Preset preset) {
        presetLayers(preset);
        return DESCRIPTIONS.get(preset);
    }

    /** The text of a preset's file, which ships in the jar. */
    public static String presetFileText(Preset preset) {
        String resource = "/wgan/presets/" + Ids.id(preset) + ".json";
        try (InputStream in = Settings.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the jar has no " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    private static JsonObject presetFile(Preset preset) {
        return JsonParser.parseString(presetFileText(preset)).getAsJsonObject();
    }

    // ---- config files ----

    /**
     * The settings in a JSON object, by name. Every key must be a setting. An object in the format
     * of config.json before settings were named like their flags ("nCritic", "label": -1,
     * "fakesInTraining", 0 for unset numbers) is read as it was meant.
     *
     * @throws InvalidSettingException for a value that is not allowed
     * @throws IllegalArgumentException for a key that is not a setting
     */
    public static Layer readLayer(JsonObject json) {
        JsonObject named = isFirstFormat(json) ? fromFirstFormat(json) : json;
        Layer layer = new Layer();
        for (Map.Entry<String, JsonElement> e : named.entrySet()) {
            Setting<?> s = named(e.getKey()).orElseThrow(() -> new IllegalArgumentException("\"" + e.getKey()
                    + "\" is not a setting; the settings are " + ALL.stream().map(Setting::name).collect(Collectors.joining(", "))));
            layer.put(s, s.fromJson(e.getValue()));
        }
        return layer;
    }

    /**
     * The settings of a config file: a run's config.json (its "config" section) or an object of
     * settings. Every error is a {@link FileFormatException} naming the file.
     */
    public static Layer readFile(Path file) throws IOException {
        return readJson(readText(file), file);
    }

    /** A config file's text; one that is not UTF-8 is a {@link FileFormatException}. */
    public static String readText(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new FileFormatException(file, "is not UTF-8 text", e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no config file at " + file, e);
        }
    }

    /** {@link #readFile} for text already read. */
    public static Layer readJson(String text, Path file) throws FileFormatException {
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) throw new FileFormatException(file, "is not a JSON object of settings");
            JsonElement section = root.getAsJsonObject().get("config");
            JsonObject settings = section == null ? root.getAsJsonObject() : section.isJsonObject() ? section.getAsJsonObject() : null;
            if (settings == null) throw new FileFormatException(file, "has a \"config\" that is not an object of settings");
            return readLayer(settings);
        } catch (JsonParseException e) {
            throw FileFormatException.notJson(file, e);
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            throw new FileFormatException(file, e.getMessage(), e);
        }
    }

    /** The configuration a config file makes over its preset; errors name the file. */
    public static TrainConfig fromFile(Layer file, Path source) throws FileFormatException {
        try {
            return resolve(List.of(file));
        } catch (InvalidSettingException e) {
            throw new FileFormatException(source, e.getMessage(), e);
        }
    }

    /** Every setting by name, in the order of {@link #ALL}. */
    public static JsonObject toJson(TrainConfig config) {
        JsonObject json = new JsonObject();
        for (Setting<?> s : ALL) json.add(s.name(), s.toJson(config.get(s)));
        return json;
    }

    /** The first format's keys were camelCase ("nCritic"), and "label" was "class". */
    private static boolean isFirstFormat(JsonObject json) {
        return json.keySet().stream().anyMatch(k -> k.equals("label") || !k.equals(k.toLowerCase(Locale.ROOT)));
    }

    private static JsonObject fromFirstFormat(JsonObject old) {
        JsonObject json = new JsonObject();
        for (Map.Entry<String, JsonElement> e : old.entrySet()) {
            JsonElement v = e.getValue();
            boolean zero = v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() && v.getAsDouble() == 0;
            switch (e.getKey()) {
                case "label" -> json.add(CLASS.name(), v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() && v.getAsInt() < 0
                        ? new JsonPrimitive("all") : v);
                case "dataDir" -> json.add(DATA.name(), v);
                case "fakesInTraining" -> json.add(FAKES.name(), v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean()
                        ? new JsonPrimitive(v.getAsBoolean() ? "training" : "inference") : v);
                // 0 stood for "unset": the penalty's default weight, each epoch, each grid.
                case "gpWeight" -> {
                    if (!zero) json.add(GP_WEIGHT.name(), v);
                }
                case "iterations", "sampleEvery", "checkpointEvery" -> json.add(kebab(e.getKey()), zero ? JsonNull.INSTANCE : v);
                default -> json.add(kebab(e.getKey()), v);
            }
        }
        return json;
    }

    /** "nCritic" -> "n-critic". */
    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    // ---- help and docs ----

    /** Each preset's value of {@code setting}, as the flag spells it. */
    public static Map<Preset, String> presetValues(Setting<?> setting) {
        Map<Preset, String> values = new EnumMap<>(Preset.class);
        for (Preset p : Preset.values()) values.put(p, setting.show(p.config().get(setting)));
        return values;
    }

    /** "5 (e4-gan, e4-gan-gp: 1)": e1's value, and the presets that differ from it, grouped by value. */
    public static String presetDefaults(Setting<?> setting) {
        Map<Preset, String> values = presetValues(setting);
        String e1 = values.get(Preset.E1);
        Map<String, List<String>> others = new LinkedHashMap<>();
        values.forEach((p, v) -> {
            if (!v.equals(e1)) others.computeIfAbsent(v, k -> new ArrayList<>()).add(Ids.id(p));
        });
        if (others.isEmpty()) return e1;
        return e1 + " (" + others.entrySet().stream().map(e -> String.join(", ", e.getValue()) + ": " + e.getKey())
                .collect(Collectors.joining("; ")) + ")";
    }

    /**
     * The tables of docs/presets.md (a test checks that it has them): what each preset trains, and
     * every setting with every preset's value of it, a blank cell being e1's value.
     */
    public static String markdownTables() {
        StringBuilder md = new StringBuilder("| preset | what it trains |\n|---|---|\n");
        for (Preset p : Preset.values()) md.append("| `").append(Ids.id(p)).append("` | ").append(description(p)).append(" |\n");
        md.append("\n| setting | values |");
        for (Preset p : Preset.values()) md.append(" `").append(Ids.id(p)).append("` |");
        md.append("\n|---|---|").append("---|".repeat(Preset.values().length)).append('\n');
        for (Setting<?> s : ALL) {
            if (s == PRESET) continue;
            Map<Preset, String> values = presetValues(s);
            md.append("| `--").append(s.name()).append("` | ").append(s.allowed()).append(" |");
            for (Preset p : Preset.values()) {
                String v = values.get(p);
                md.append(' ').append(p == Preset.E1 || !v.equals(values.get(Preset.E1)) ? v : "").append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }
}
