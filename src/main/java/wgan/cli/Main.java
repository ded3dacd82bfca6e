package wgan.cli;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import wgan.data.DataHome;
import wgan.train.Architecture;
import wgan.train.CriticNorm;
import wgan.train.Ids;
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
                "Without a command it trains: by default experiment E1, a WGAN with weight clipping on one MNIST "
                        + "digit with the reference tutorial's recipe; --preset picks another experiment of SPEC.md. "
                        + "Each run writes to a new folder under --out (printed at start).%n"},
        subcommands = {BenchCommand.class, GenerateCommand.class, DownloadCommand.class, TrainClassifierCommand.class, EvaluateCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "The recipe: e1 (MNIST 7s, weight clipping), e1-gp (the same with the gradient penalty: better 7s), "
                    + "e2 (Fashion-MNIST, clipping), e3 (Fashion-MNIST, WGAN-GP), e4-gan, e4-gan-gp, e4-wgan-gp (64x64 colour "
                    + "images from --data DIR). Every flag below overrides one of its settings (default: e1).")
    String preset = "e1";

    @Option(names = "--digit", paramLabel = "N", description = "MNIST digit to learn, 0-9 (e1, e1-gp: 7).")
    Integer digit;

    @Option(names = "--class", paramLabel = "N|all",
            description = "Class of an IDX dataset to learn, 0-9, or all (e1: 7; e2, e3: all).")
    String label;

    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist, fashion-mnist or folder (images under --data).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the IDX files (default: datasets/NAME, the cache, the system's; MNIST is inside the jar; "
                    + "a missing dataset is downloaded into the cache), or of the images.")
    Path data;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Length length = new Length();

    static final class Length {
        @Option(names = "--iterations", paramLabel = "N",
                description = "Generator updates in total (e1: 10 epochs = 970 for digit 7; e2: 2000; e3: 5000).")
        Integer iterations;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Passes over the images, of floor(images / batch) iterations each (e1: 10).")
        Integer epochs;
    }

    @Option(names = "--model", paramLabel = "NAME",
            description = "Generator/critic pair of SPEC.md: e1 (28x28), e2, e3 (32x32), e4 (64x64 RGB).")
    String model;

    @Option(names = "--critic-norm", paramLabel = "NAME",
            description = "The critic's normalisation: batch (the spec's), layer (in batch norm's place), none.")
    String criticNorm;

    @Option(names = "--loss", paramLabel = "NAME",
            description = "wasserstein (linear critic, mean(y D(x))) or gan (cross-entropy on logits, non-saturating generator).")
    String loss;

    @Option(names = "--lipschitz", paramLabel = "HOW",
            description = "clip (the critic's conv kernels), all-clip (every critic weight), gp (gradient penalty), "
                    + "gp-one-sided, or none.")
    String lipschitz;

    @Option(names = "--clip", paramLabel = "C", description = "Clipping bound c > 0 of clip/all-clip (default: 0.01).")
    Double clip;

    @Option(names = "--gp-weight", paramLabel = "L", description = "Gradient penalty weight lambda > 0 (e3, e1-gp: 10; e4-gan-gp: 1).")
    Double gpWeight;

    @Option(names = "--fakes", paramLabel = "MODE",
            description = "How the generator makes the critic's fakes: inference (batch norm's moving statistics, as Keras "
                    + "predict; e1-e3) or training (the batch's statistics; e1-gp, e4).")
    String fakes;

    @Option(names = "--batch", paramLabel = "N",
            description = "Images per generator update (default: 64); e1's split critic step sees N/2 real and N/2 fake, the others N of each.")
    Integer batch;

    @Option(names = "--n-critic", paramLabel = "N", description = "Critic updates per generator update, >= 1 (default: 5; e4-gan: 1).")
    Integer nCritic;

    @Option(names = "--critic-warmup",
            description = "The WGAN authors' schedule: 100 critic updates for the first 25 generator steps and every 500th.")
    boolean criticWarmup;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate of both networks, > 0 (e1, e2: 5e-5; e1-gp, e3: 1e-4; e4: 2e-4).")
    Double lr;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "rmsprop (Keras semantics: rho 0.9, eps 1e-7) or adam (Keras eps 1e-7; see --beta1, --beta2).")
    String optimizer;

    @Option(names = "--beta1", paramLabel = "B", description = "Adam's beta1, in [0, 1) (default: 0.5).")
    Double beta1;

    @Option(names = "--beta2", paramLabel = "B", description = "Adam's beta2, in [0, 1) (default: 0.9; e4-gan: 0.999).")
    Double beta2;

    @Option(names = "--latent", paramLabel = "N", description = "Size of the latent vector, >= 1 (e1: 50; e2, e3: 128; e4: 100).")
    Integer latent;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of every random stream; same seed, same run (default: 1).")
    Long seed;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder in which each run gets its own folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out");

    @Option(names = "--sample-every", paramLabel = "N",
            description = "Write a sample grid and the loss plot every N iterations (e1: once per epoch; e2-e4: 100).")
    Integer sampleEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Checkpoint every N iterations (default: with each sample grid; one per epoch is kept).")
    Integer checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its last checkpoint up to its --iterations total (which may be raised here).")
    Path resume;

    @Option(names = "--keras-bn-quirk",
            description = "Also update the critic's batch-norm gamma/beta in the generator step, as E1's reference Keras "
                    + "combined model does (docs/e1.md). Off: the spec's reading, where the critic does not change there.")
    boolean kerasBnQuirk;

    @Option(names = "--verbose", description = "Print every iteration's losses as a line, even on a terminal.")
    boolean verbose;

    @Option(names = "--offline", description = "Never download: a dataset that is not on this machine is an error saying how to get it.")
    boolean offline;

    /** Flags that set the recipe, which a resumed run keeps. */
    private static final String[] RECIPE_FLAGS = {"--preset", "--digit", "--class", "--dataset", "--model", "--critic-norm",
            "--loss", "--lipschitz", "--clip", "--gp-weight", "--fakes", "--batch", "--n-critic", "--critic-warmup", "--lr", "--optimizer",
            "--beta1", "--beta2", "--latent", "--seed", "--out", "--sample-every", "--checkpoint-every", "--keras-bn-quirk"};

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
        threads.apply();
        if (offline) DataHome.goOffline();
        if (resume != null) {
            rejectRecipeFlagsWithResume();
            return TrainingRun.resume(resume, length.iterations, length.epochs, data, verbose);
        }
        TrainConfig config = config();
        return TrainingRun.start(config, length.epochs, out, verbose);
    }

    /** The recipe of a run is fixed when it starts; a resumed run may only be lengthened. */
    private void rejectRecipeFlagsWithResume() {
        for (String flag : RECIPE_FLAGS) {
            if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
                throw new ParameterException(spec.commandLine(), flag + " cannot be combined with --resume: "
                        + "a resumed run keeps the settings in its config.json (only --iterations/--epochs, "
                        + "--threads, --data, --offline and --verbose may be given)");
            }
        }
        if (!Files.isDirectory(resume)) {
            throw new ParameterException(spec.commandLine(), "--resume: no run folder at " + resume);
        }
    }

    /** The preset with every flag given applied over it, each checked. */
    private TrainConfig config() {
        TrainConfig.Builder b = parse(TrainConfig.Preset.class, "--preset", preset).config().toBuilder();
        if (model != null) b.model(parse(Architecture.class, "--model", model));
        if (dataset != null) b.dataset = parse(TrainConfig.Dataset.class, "--dataset", dataset);
        if (criticNorm != null) b.criticNorm = parse(CriticNorm.class, "--critic-norm", criticNorm);
        if (loss != null) b.loss = parse(TrainConfig.Loss.class, "--loss", loss);
        if (lipschitz != null) b.lipschitz = parse(TrainConfig.Lipschitz.class, "--lipschitz", lipschitz);
        require(digit == null || label == null, "give --digit or --class, not both");
        if (digit != null) {
            require(b.dataset == TrainConfig.Dataset.MNIST, "--digit is for MNIST; use --class for " + Ids.id(b.dataset));
            require(digit >= 0 && digit <= 9, "--digit must be 0-9, got " + digit);
            b.label = digit;
        }
        if (label != null) {
            require(b.dataset != TrainConfig.Dataset.FOLDER, "--class selects a class of an IDX dataset; an image folder has none");
            require(label.equals("all") || label.matches("[0-9]"), "--class must be 0-9 or all, got '" + label + "'");
            b.label = label.equals("all") ? -1 : Integer.parseInt(label);
        }
        if (data != null) b.dataDir = data.toString();
        if (b.dataset == TrainConfig.Dataset.FOLDER) {
            require(b.dataDir != null, "--preset " + preset + " trains on a folder of images: give it with --data DIR");
        }
        if (clip != null) {
            require(clip > 0 && Double.isFinite(clip), "--clip must be > 0, got " + clip);
            b.clip = clip;
        }
        if (gpWeight != null) {
            require(gpWeight > 0 && Double.isFinite(gpWeight), "--gp-weight must be > 0, got " + gpWeight);
            b.gpWeight = gpWeight;
        }
        if (b.lipschitz.penalises()) {
            // The penalty interpolates between real and fake images: both must be in one critic step.
            b.criticStep = TrainConfig.CriticStep.JOINT;
            if (b.gpWeight == 0) b.gpWeight = 10;
        }
        if (fakes != null) {
            require(fakes.equals("inference") || fakes.equals("training"), "--fakes must be inference or training, got '" + fakes + "'");
            b.fakesInTraining = fakes.equals("training");
        }
        if (batch != null) b.batch = batch;
        require(b.batch >= 2 && b.batch <= 4096 && (b.criticStep == TrainConfig.CriticStep.JOINT || b.batch % 2 == 0),
                "--batch must be " + (b.criticStep == TrainConfig.CriticStep.SPLIT ? "an even number " : "") + "from 2 to 4096, got " + b.batch);
        if (nCritic != null) {
            require(nCritic >= 1 && nCritic <= 1000, "--n-critic must be 1-1000, got " + nCritic);
            b.nCritic = nCritic;
        }
        b.criticWarmup |= criticWarmup;
        if (lr != null) {
            require(lr > 0 && lr <= 10, "--lr must be in (0, 10], got " + lr);
            b.lr = lr;
        }
        if (optimizer != null) {
            require(optimizer.equals("rmsprop") || optimizer.equals("adam"), "--optimizer must be rmsprop or adam, got '" + optimizer + "'");
            b.optimizer = optimizer;
        }
        if (beta1 != null) {
            require(beta1 >= 0 && beta1 < 1, "--beta1 must be in [0, 1), got " + beta1);
            b.beta1 = beta1;
        }
        if (beta2 != null) {
            require(beta2 >= 0 && beta2 < 1, "--beta2 must be in [0, 1), got " + beta2);
            b.beta2 = beta2;
        }
        if (latent != null) {
            require(latent >= 1 && latent <= 100_000, "--latent must be 1-100000, got " + latent);
            b.latent = latent;
        }
        if (seed != null) b.seed = seed;
        if (length.iterations != null) {
            require(length.iterations >= 1, "--iterations must be >= 1, got " + length.iterations);
            b.iterations = length.iterations;
        }
        if (length.epochs != null) {
            require(length.epochs >= 1, "--epochs must be >= 1, got " + length.epochs);
            // Iterations that depend on the dataset size are resolved once the data is loaded.
            b.iterations = 0;
        }
        if (sampleEvery != null) {
            require(sampleEvery >= 1, "--sample-every must be >= 1, got " + sampleEvery);
            b.sampleEvery = sampleEvery;
        }
        if (checkpointEvery != null) {
            require(checkpointEvery >= 1, "--checkpoint-every must be >= 1, got " + checkpointEvery);
            b.checkpointEvery = checkpointEvery;
        }
        b.kerasBnQuirk |= kerasBnQuirk;
        return b.build();
    }

    /** The setting named {@code value} of a flag; an unknown one is a usage error listing the valid names. */
    private <E extends Enum<E>> E parse(Class<E> type, String flag, String value) {
        try {
            return Ids.parse(type, value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flag + ": " + e.getMessage());
        }
    }

    private void require(boolean ok, String message) {
        if (!ok) throw new ParameterException(spec.commandLine(), message);
    }
}
