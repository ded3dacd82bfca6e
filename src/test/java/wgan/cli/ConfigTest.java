package wgan.cli;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import wgan.data.IdxFiles;
import wgan.train.MemoryNeed;
import wgan.train.Setting;
import wgan.train.Settings;
import wgan.train.SmallMnist;
import wgan.train.TrainConfig;

/**
 * Configuration through the command line: every flag over every preset survives config.json,
 * --config reruns a run, and a config.json edited before --resume is checked as the flags are.
 */
class ConfigTest {
    @TempDir
    static Path tmp;
    /** A run of 2 iterations on the small MNIST files in tmp/mnist. */
    static Path run;

    @BeforeAll
    static void train() throws IOException {
        run = SmallMnist.trainedRun(tmp, 2);
    }

    /** Values to give each flag; a new setting needs its own here. */
    private static final Map<String, List<String>> SAMPLES = Map.ofEntries(
            entry("preset", List.of("e1", "e1-gp", "e2", "e3", "e4-gan", "e4-gan-gp", "e4-wgan-gp", "toy-8gaussians", "toy-25gaussians",
                    "toy-swissroll")),
            entry("dataset", List.of("mnist", "fashion-mnist", "folder", "toy-8gaussians", "toy-25gaussians", "toy-swissroll")),
            entry("class", List.of("0", "9", "all")),
            entry("data", List.of("some/where")),
            entry("model", List.of("e1", "e2", "e3", "e4", "toy")),
            entry("critic-norm", List.of("batch", "layer", "none")),
            entry("loss", List.of("wasserstein", "gan")),
            entry("lipschitz", List.of("clip", "all-clip", "gp", "gp-one-sided", "none")),
            entry("clip", List.of("0.5", "1e-3")),
            entry("gp-weight", List.of("1", "0.25")),
            entry("critic-step", List.of("split", "joint")),
            entry("fakes", List.of("inference", "training")),
            entry("sampling", List.of("replacement", "shuffle")),
            entry("iterations", List.of("1", "100000000", "epochs")),
            entry("epochs", List.of("1", "1000000")),
            entry("batch", List.of("2", "4096", "63")),
            entry("n-critic", List.of("1", "1000")),
            entry("critic-warmup", List.of("true", "false")),
            entry("optimizer", List.of("rmsprop", "adam")),
            entry("lr", List.of("10", "1e-6")),
            entry("critic-lr", List.of("4e-4", "1e-6")),
            entry("lr-decay", List.of("linear", "none")),
            entry("lr-decay-start", List.of("0.7", "0")),
            entry("beta1", List.of("0", "0.99")),
            entry("beta2", List.of("0", "0.999")),
            entry("latent", List.of("1", "100000")),
            entry("seed", List.of("-5", "9223372036854775807")),
            entry("checkpoint-every", List.of("7", "grid")),
            entry("sample-every", List.of("3", "epoch")),
            entry("keras-bn-quirk", List.of("true", "false")));

    /** The configuration the command line makes of {@code args}, as a new run would get it. */
    private static TrainConfig configOf(String... args) throws IOException {
        CommandLine cli = Main.commandLine();
        cli.parseArgs(args);
        return ((Main) cli.getCommand()).config();
    }

    private static int wgan(StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void everyFlagOverEveryPresetRoundTripsThroughConfigJson() throws IOException {
        assertEquals(new TreeSet<>(Settings.ALL.stream().map(Setting::name).toList()), new TreeSet<>(SAMPLES.keySet()));
        int made = 0;
        for (String preset : SAMPLES.get("preset")) {
            for (Setting<?> s : Settings.ALL) {
                for (String value : SAMPLES.get(s.name())) {
                    TrainConfig c;
                    try {
                        c = s == Settings.PRESET ? configOf("--preset", value) : configOf("--preset", preset, "--" + s.name() + "=" + value);
                    } catch (CommandLine.ParameterException e) {
                        // Some values do not go with some presets (class 3 of an image folder, an odd batch with a split step).
                        assertTrue(e.getMessage().startsWith("--"), e.getMessage());
                        continue;
                    }
                    made++;
                    assertEquals(s.parse(value), c.get(s), preset + " --" + s.name() + " " + value);
                    Path file = tmp.resolve("config.json");
                    Files.writeString(file, c.toJson());
                    assertEquals(c, Settings.fromFile(Settings.readFile(file), file), preset + " --" + s.name() + " " + value);
                }
            }
        }
        assertTrue(made > 7 * 60, "most combinations are valid: " + made);
    }

    @Test
    void helpListsEverySettingWithItsRangeAndEachPresetsValue() {
        String help = Main.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
        for (Setting<?> s : Settings.ALL) assertTrue(help.contains("--" + s.name()), s.name());
        assertTrue(help.contains("Learning rate of both networks (of the generator alone with --critic-lr) (in (0, 10]). "
                + "Default: 5e-5 (e1-gp, e3, e4-wgan-gp, toy-8gaussians, toy-25gaussians, toy-swissroll: 1e-4; e4-gan, e4-gan-gp: 2e-4; ae, vae: 0.001)."),
                help);
    }

    @Test
    void aRunsOwnConfigJsonRerunsItExactly() throws IOException {
        StringWriter err = new StringWriter();
        Path out = tmp.resolve("rerun");
        assertEquals(0, wgan(err, "--config", run.resolve("config.json").toString(), "--out", out.toString()), err.toString());
        Path rerun = SmallMnist.onlyRun(out);
        for (String file : List.of("generator.safetensors", "critic.safetensors", "critic-optimizer.safetensors", "state.json")) {
            assertArrayEquals(Files.readAllBytes(run.resolve("checkpoints/iter-000002").resolve(file)),
                    Files.readAllBytes(rerun.resolve("checkpoints/iter-000002").resolve(file)), file);
        }
    }

    @Test
    void flagsBesideAConfigFileOverrideIt() throws IOException {
        TrainConfig original = configOf("--config", run.resolve("config.json").toString());
        TrainConfig changed = configOf("--config", run.resolve("config.json").toString(), "--seed", "12", "--epochs", "3");
        assertEquals(original.toBuilder().set(Settings.SEED, 12L).set(Settings.EPOCHS, 3).build(), changed);
        assertTrue(changed.get(Settings.ITERATIONS).isEmpty(), "epochs given over the file's iterations replace them");
        Path partial = tmp.resolve("partial.json");
        Files.writeString(partial, "{\"preset\": \"e3\", \"lr\": 3e-4}");
        assertEquals(TrainConfig.Preset.E3.config().with(Settings.LR, 3e-4), configOf("--config", partial.toString()));
        assertEquals(TrainConfig.Preset.E2.config().with(Settings.LR, 3e-4), configOf("--config", partial.toString(), "--preset", "e2"));
    }

    static Stream<Arguments> editedValues() {
        List<Arguments> cases = new ArrayList<>();
        String[][] edits = {{"n-critic", "nCritic", "-3"}, {"lr", "lr", "-1"}, {"latent", "latent", "-5"}, {"clip", "clip", "-1"},
                {"optimizer", "optimizer", "\"sgd\""}, {"lr", "lr", "NaN"}, {"lr", "lr", "Infinity"}, {"batch", "batch", "7"}};
        for (String[] e : edits) {
            cases.add(Arguments.of(e[0], e[0], e[2], false));
            cases.add(Arguments.of(e[0], e[1], e[2], true));
        }
        return cases.stream();
    }

    /**
     * A value out of range in config.json, in either format, is refused on resume with the message
     * the flag gets, naming the file; exit code 2 and no stack trace.
     */
    @ParameterizedTest(name = "{1}: {2} (first format: {3})")
    @MethodSource("editedValues")
    void anEditedConfigIsRefusedOnResumeWithTheFlagsMessage(String flag, String key, String value, boolean firstFormat) throws IOException {
        Path edited = Files.createDirectories(tmp.resolve("edited-" + key + "-" + value.replace("\"", "") + "-" + firstFormat));
        String json = firstFormat ? new String(getClass().getResourceAsStream("/wgan/train/first-format-config.json").readAllBytes())
                : Files.readString(run.resolve("config.json"));
        String changed = json.replaceFirst("\"" + key + "\": [^,\\n]*", "\"" + key + "\": " + value);
        assertFalse(changed.equals(json), key);
        Files.writeString(edited.resolve("config.json"), changed);

        StringWriter flagErr = new StringWriter(), resumeErr = new StringWriter();
        assertEquals(2, wgan(flagErr, "--" + flag, value.replace("\"", ""), "--data", tmp.resolve("mnist").toString()));
        assertEquals(2, wgan(resumeErr, "--resume", edited.toString()));
        String message = flagErr.toString().lines().findFirst().orElseThrow().replaceFirst("^wgan: ", "");
        assertTrue(message.startsWith("--" + flag + " must be"), message);
        assertTrue(resumeErr.toString().contains(edited.resolve("config.json") + ": " + message.substring(2)), resumeErr.toString());
        assertFalse(resumeErr.toString().contains("\tat "), "no stack trace: " + resumeErr);
    }

    @Test
    void otherDataOnResumeNeedsAllowDataChange() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("copy"));
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte")) Files.copy(tmp.resolve("mnist").resolve(f), copy.resolve(f));
        StringWriter err = new StringWriter();
        assertEquals(2, wgan(err, "--resume", run.toString(), "--data", copy.toString(), "--iterations", "3"));
        assertTrue(err.toString().contains("--data is " + tmp.resolve("mnist")) && err.toString().contains("--allow-data-change"), err.toString());
        assertEquals(0, wgan(err, "--resume", run.toString(), "--data", copy.toString(), "--iterations", "3", "--allow-data-change"),
                err.toString());
    }

    @Test
    void dataThatChangedUnderARunNeedsAllowDataChange() throws IOException {
        Path data = SmallMnist.write(tmp.resolve("changing"), false);
        Path out = tmp.resolve("changing-out");
        StringWriter err = new StringWriter();
        assertEquals(0, wgan(err, "--data", data.toString(), "--iterations", "1", "--batch", "8", "--n-critic", "1", "--out", out.toString()),
                err.toString());
        Path changed = SmallMnist.onlyRun(out);
        // 30 sevens instead of 40.
        byte[] labels = new byte[50];
        for (int i = 0; i < 50; i++) labels[i] = (byte) (i < 30 ? 7 : 1);
        Files.write(data.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(labels));
        assertEquals(2, wgan(err, "--resume", changed.toString(), "--iterations", "2"));
        assertTrue(err.toString().contains("the data has 30 training images, but the run in " + changed + " trained on 40"), err.toString());
        assertEquals(0, wgan(err, "--resume", changed.toString(), "--iterations", "2", "--allow-data-change"), err.toString());
    }

    @Test
    void epochsThatOverflowTheIterationsAreRefused() {
        StringWriter err = new StringWriter();
        assertEquals(2, wgan(err, "--epochs", "10000000", "--data", tmp.resolve("mnist").toString(), "--out", tmp.resolve("never").toString()));
        assertTrue(err.toString().contains("--epochs must be 1-1000000, got 10000000"), err.toString());
        assertFalse(Files.exists(tmp.resolve("never")));
    }

    /** Runs whose weights or activations cannot fit this JVM are refused before any work, with what to change. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"--batch, 4096", "--latent, 100000"})
    void aRunTooBigForTheHeapIsRefusedAtTheStart(String flag, String value) throws IOException {
        TrainConfig config = configOf("--data", tmp.resolve("mnist").toString(), flag, value);
        assumeTrue(MemoryNeed.of(config).total() > Runtime.getRuntime().maxMemory(), "this JVM has the memory for it");
        StringWriter err = new StringWriter();
        assertEquals(2, wgan(err, "--data", tmp.resolve("mnist").toString(), flag, value, "--out", tmp.resolve("never").toString()));
        assertTrue(err.toString().contains(flag + " " + value + " needs at least") && err.toString().contains("-Xmx"), err.toString());
        assertFalse(Files.exists(tmp.resolve("never")));
    }
}
