package wgan.cli;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import wgan.kernels.Parallel;
import wgan.train.TrainConfig;
import wgan.train.TrainingRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The {@code wgan} command line. Without a subcommand it trains experiment E1 (a WGAN with weight
 * clipping on one MNIST digit); see {@code ../docs/wgan-math.md} for what it computes.
 */
@Command(name = "wgan", mixinStandardHelpOptions = true, version = "wgan 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Train a Wasserstein GAN on the CPU, in pure Java.%n",
                "Without a command it trains experiment E1: a WGAN with weight clipping on one MNIST "
                        + "digit, with the reference tutorial's recipe as defaults. Each run writes to a new "
                        + "folder under --out (printed at start).%n"},
        subcommands = {BenchCommand.class, GenerateCommand.class, DownloadCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    /** The defaults: the reference recipe. */
    private static final TrainConfig E1 = TrainConfig.e1(null);

    @Spec
    CommandSpec spec;

    @Option(names = "--digit", paramLabel = "N", description = "MNIST digit to learn, 0-9 (default: ${DEFAULT-VALUE}).")
    int digit = E1.digit();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Length length = new Length();

    static final class Length {
        @Option(names = "--iterations", paramLabel = "N",
                description = "Generator updates in total (default: 10 epochs = 970 for digit 7).")
        Integer iterations;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Passes over the digit's images, of floor(images / batch) iterations each (default: 10).")
        Integer epochs;
    }

    @Option(names = "--batch", paramLabel = "N",
            description = "Images per generator update, even; each critic step sees N/2 real and N/2 fake (default: ${DEFAULT-VALUE}).")
    int batch = E1.batch();

    @Option(names = "--n-critic", paramLabel = "N", description = "Critic updates per generator update, >= 1 (default: ${DEFAULT-VALUE}).")
    int nCritic = E1.nCritic();

    @Option(names = "--clip", paramLabel = "C",
            description = "Clip the critic's conv kernels to [-C, C] after each critic update; 0 = no clipping (default: ${DEFAULT-VALUE}).")
    double clip = E1.clip();

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate of both networks, > 0 (default: 5e-5).")
    double lr = E1.lr();

    @Option(names = "--optimizer", paramLabel = "NAME", description = "rmsprop (Keras semantics: rho 0.9, eps 1e-7) or adam (beta1 0.5, beta2 0.9, as in WGAN-GP) (default: ${DEFAULT-VALUE}).")
    String optimizer = E1.optimizer();

    @Option(names = "--latent", paramLabel = "N", description = "Size of the latent vector, >= 1 (default: ${DEFAULT-VALUE}).")
    int latent = E1.latent();

    @Option(names = "--seed", paramLabel = "S", description = "Seed of every random stream; same seed, same run (default: ${DEFAULT-VALUE}).")
    long seed = E1.seed();

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads, >= 1; results do not depend on it (default: all ${DEFAULT-VALUE} cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--out", paramLabel = "DIR", description = "Folder in which each run gets its own folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out");

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Also checkpoint every N iterations (default: once per epoch; every epoch's checkpoint is kept).")
    Integer checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its last checkpoint up to its --iterations total (which may be raised here).")
    Path resume;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the MNIST IDX files (default: datasets/mnist).")
    Path data;

    @Option(names = "--keras-bn-quirk",
            description = "Also update the critic's batch-norm gamma/beta in the generator step, as the reference's Keras "
                    + "combined model does (docs/e1.md). Off: the spec's reading, where the critic does not change there.")
    boolean kerasBnQuirk;

    @Option(names = "--verbose", description = "Print every iteration's losses as a line, even on a terminal.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // Missing or corrupt files, unusable checkpoints: our I/O layers word these for users.
            if (ex instanceof java.io.IOException) {
                cmd.getErr().println("wgan: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        Parallel.setThreads(threads);
        if (resume != null) {
            rejectRecipeFlagsWithResume();
            return TrainingRun.resume(resume, length.iterations, length.epochs, data, verbose);
        }
        TrainConfig config = config();
        return TrainingRun.start(config, length.epochs, out, verbose);
    }

    /** The recipe of a run is fixed when it starts; a resumed run may only be lengthened. */
    private void rejectRecipeFlagsWithResume() {
        for (String flag : new String[] {"--digit", "--batch", "--n-critic", "--clip", "--lr", "--optimizer",
                "--latent", "--seed", "--out", "--checkpoint-every", "--keras-bn-quirk"}) {
            if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
                throw new ParameterException(spec.commandLine(), flag + " cannot be combined with --resume: "
                        + "a resumed run keeps the settings in its config.json (only --iterations/--epochs, "
                        + "--threads, --data and --verbose may be given)");
            }
        }
        if (!Files.isDirectory(resume)) {
            throw new ParameterException(spec.commandLine(), "--resume: no run folder at " + resume);
        }
    }

    private TrainConfig config() {
        require(digit >= 0 && digit <= 9, "--digit must be 0-9, got " + digit);
        require(batch >= 2 && batch % 2 == 0 && batch <= 4096, "--batch must be an even number from 2 to 4096, got " + batch);
        require(nCritic >= 1 && nCritic <= 1000, "--n-critic must be 1-1000, got " + nCritic);
        require(clip >= 0 && Double.isFinite(clip), "--clip must be >= 0 (0 turns clipping off), got " + clip);
        require(lr > 0 && lr <= 10, "--lr must be in (0, 10], got " + lr);
        require(optimizer.equals("rmsprop") || optimizer.equals("adam"),
                "--optimizer must be rmsprop or adam, got '" + optimizer + "'");
        require(latent >= 1 && latent <= 100_000, "--latent must be 1-100000, got " + latent);
        require(threads >= 1 && threads <= 1024, "--threads must be 1-1024, got " + threads);
        if (length.iterations != null) require(length.iterations >= 1, "--iterations must be >= 1, got " + length.iterations);
        if (length.epochs != null) require(length.epochs >= 1, "--epochs must be >= 1, got " + length.epochs);
        if (checkpointEvery != null) require(checkpointEvery >= 1, "--checkpoint-every must be >= 1, got " + checkpointEvery);
        // Iterations that depend on the dataset size (epochs) are resolved once the data is loaded.
        int iterations = length.iterations != null ? length.iterations : 0;
        int every = checkpointEvery != null ? checkpointEvery : 0;
        return new TrainConfig(digit, iterations, batch, nCritic, clip, lr, optimizer, latent, seed, every,
                data == null ? null : data.toString(), kerasBnQuirk);
    }

    private void require(boolean ok, String message) {
        if (!ok) throw new ParameterException(spec.commandLine(), message);
    }
}
