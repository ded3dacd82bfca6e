package wgan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import wgan.data.DataHome;
import wgan.kernels.DeviceUnavailableException;
import wgan.train.Ids;
import wgan.train.InvalidSettingException;
import wgan.train.Setting;
import wgan.train.Settings;
import wgan.train.TrainConfig;
import wgan.train.TrainingRun;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The {@code wgan} command line. Without a subcommand it trains experiment E1 (a WGAN with weight
 * clipping on one MNIST digit); see {@code ../docs/wgan-math.md} for what it computes.
 */
@Command(name = "wgan", mixinStandardHelpOptions = true, version = "wgan 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Train a Wasserstein GAN on the CPU, in pure Java.%n",
                "Without a command it trains: by default experiment E1, a WGAN with weight clipping on one MNIST "
                        + "digit with the reference tutorial's recipe; --preset picks another experiment of docs/experiments.md. "
                        + "Each run writes to a new folder under --out (printed at start).%n"},
        subcommands = {BenchCommand.class, GenerateCommand.class, DownloadCommand.class, TrainClassifierCommand.class, EvaluateCommand.class, ReportCommand.class, SweepCommand.class, DevicesCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    /** Help order: the recipe's options (each setting's flag comes after these), then where and how it runs. */
    private static final int RECIPE_ORDER = 10, RUN_ORDER = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", order = 1,
            description = "Settings from a JSON file: a run's config.json (which reruns that run exactly) or an object of "
                    + "settings named as the flags here, over its \"preset\"; the flags given beside it override it.")
    Path config;

    @Option(names = "--digit", paramLabel = "N", order = 2, description = "MNIST digit to learn, 0-9: --class for MNIST.")
    Integer digit;

    @Option(names = "--out", paramLabel = "DIR", order = RUN_ORDER,
            description = "Folder in which each run gets its own folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out");

    @Option(names = "--resume", paramLabel = "DIR", order = RUN_ORDER + 1,
            description = "Continue the run in DIR from its last checkpoint up to its --iterations total (which may be raised here).")
    Path resume;

    @Option(names = "--allow-data-change", order = RUN_ORDER + 2,
            description = "With --resume: continue on other data than the run trained on (another --data, or files that changed).")
    boolean allowDataChange;

    @Mixin
    ThreadsOption threads;

    @Mixin
    DeviceOption device;

    @Option(names = "--verbose", order = RUN_ORDER + 4, description = "Print every iteration's losses as a line, even on a terminal.")
    boolean verbose;

    @Option(names = "--offline", order = RUN_ORDER + 5,
            description = "Never download: a dataset that is not on this machine is an error saying how to get it.")
    boolean offline;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (int i = 0; i < Settings.ALL.size(); i++) cl.getCommandSpec().addOption(option(Settings.ALL.get(i), RECIPE_ORDER + i));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // Missing or corrupt files, unusable checkpoints: our I/O layers word these for users.
            if (ex instanceof java.io.IOException io) {
                cmd.getErr().println("wgan: " + wgan.io.FileErrors.describe(io));
                return 2;
            }
            // A setting that turns out not to fit once the data is known (epochs, memory).
            if (ex instanceof InvalidSettingException e) {
                cmd.getErr().println("wgan: " + e.asFlag());
                return 2;
            }
            // --device names a device this jar or machine does not have.
            if (ex instanceof DeviceUnavailableException e) {
                cmd.getErr().println("wgan: " + e.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    /**
     * A bad flag or value: the problem in one line, picocli's guesses for a mistyped flag, and where
     * the full list is, instead of the whole --help text after the message.
     */
    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("wgan: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        // The subcommand's whole path (bench gemm, not gemm), as it is typed after the jar.
        String path = cmd.getCommandSpec().qualifiedName(" "), root = cmd.getCommandSpec().root().name();
        String command = path.equals(root) ? "" : path.substring(root.length() + 1) + " ";
        err.println("Every flag, with its default and range: java -jar wgan.jar " + command + "--help");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** A setting's flag: its help, what it takes, and its value in each preset. */
    private static OptionSpec option(Setting<?> s, int order) {
        // Choices name their values in their help, and a switch's are true and false.
        boolean listsValues = s.defaultValue() instanceof Enum<?> || s.isSwitch() || s == Settings.DATA;
        String values = listsValues ? "" : " (" + s.allowed() + ")";
        String description = s.help() + values + ". Default: " + Settings.presetDefaults(s) + ".";
        if (s == Settings.PRESET) {
            description = s.help() + ": " + java.util.Arrays.stream(TrainConfig.Preset.values())
                    .map(p -> Ids.id(p) + " (" + Settings.description(p) + ")").collect(Collectors.joining(", ")) + ". Default: e1.";
        }
        // Picocli formats descriptions (%n is a line break): a % in the text must be doubled.
        OptionSpec.Builder b = OptionSpec.builder("--" + s.name()).type(String.class).order(order)
                .description(description.replace("%", "%%"));
        return s.isSwitch() ? b.arity("0..1").paramLabel("true|false").fallbackValue("true").build()
                : b.arity("1").paramLabel(s.label()).build();
    }

    @Override
    public Integer call() throws Exception {
        threads.apply();
        device.apply();
        if (offline) DataHome.goOffline();
        if (resume != null) return resume();
        return TrainingRun.start(config(), out, verbose);
    }

    /** The settings of a new run: the preset, the --config file over it, the flags over both; each checked. */
    TrainConfig config() throws java.io.IOException {
        Settings.Layer flags = flags();
        if (digit != null) {
            if (flags.has(Settings.CLASS)) usageError("give --digit or --class, not both");
            if (digit < 0 || digit > 9) usageError("--digit must be 0-9, got " + digit);
            flags.set(Settings.CLASS, OptionalInt.of(digit));
        }
        List<Settings.Layer> layers = new ArrayList<>();
        if (config != null) layers.add(Settings.readFile(config));
        layers.add(flags);
        TrainConfig resolved;
        try {
            resolved = Settings.resolve(layers);
        } catch (InvalidSettingException e) {
            throw new ParameterException(spec.commandLine(), e.asFlag());
        }
        if (digit != null && resolved.get(Settings.DATASET) != TrainConfig.Dataset.MNIST) {
            usageError("--digit is for MNIST; use --class for " + Ids.id(resolved.get(Settings.DATASET)));
        }
        return resolved;
    }

    /** The settings given as flags, each checked as every setting's value is; a bad one is a usage error naming the flag. */
    private Settings.Layer flags() {
        ParseResult parsed = spec.commandLine().getParseResult();
        Settings.Layer flags = new Settings.Layer();
        for (Setting<?> s : Settings.ALL) {
            OptionSpec option = parsed.matchedOption("--" + s.name());
            if (option == null) continue;
            try {
                put(flags, s, option.getValue());
            } catch (InvalidSettingException e) {
                throw new ParameterException(spec.commandLine(), e.asFlag());
            }
        }
        if (flags.has(Settings.ITERATIONS) && flags.has(Settings.EPOCHS)) usageError("give --iterations or --epochs, not both");
        return flags;
    }

    private static <T> void put(Settings.Layer flags, Setting<T> s, String text) {
        flags.set(s, s.parse(text));
    }

    /** A resumed run keeps the recipe of its config.json; only its length and data folder may be given. */
    private int resume() throws Exception {
        ParseResult parsed = spec.commandLine().getParseResult();
        List<String> fixed = new ArrayList<>(List.of("--config", "--digit", "--out"));
        for (Setting<?> s : Settings.ALL) {
            if (!Settings.CHANGEABLE_ON_RESUME.contains(s)) fixed.add("--" + s.name());
        }
        for (String flag : fixed) {
            if (parsed.hasMatchedOption(flag)) {
                usageError(flag + " cannot be combined with --resume: a resumed run keeps the settings in its config.json "
                        + "(only --iterations/--epochs, --data with --allow-data-change, --threads, --device, --offline and --verbose may be given)");
            }
        }
        Settings.Layer flags = flags();
        if (!Files.isDirectory(resume)) usageError("--resume: no run folder at " + resume);
        return TrainingRun.resume(resume, new TrainingRun.Resume(flags, allowDataChange), verbose);
    }

    private void usageError(String message) {
        throw new ParameterException(spec.commandLine(), message);
    }
}
