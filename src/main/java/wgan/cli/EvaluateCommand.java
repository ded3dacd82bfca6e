package wgan.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import wgan.data.ByteImages;
import wgan.data.DataHome;
import wgan.data.DatasetFiles;
import wgan.data.ImageFolder;
import wgan.data.LabeledImages;
import wgan.data.Resize;
import wgan.data.TrainingImages;
import wgan.io.FileFormatException;
import wgan.io.Npy;
import wgan.nn.Layouts;
import wgan.quality.Evaluation;
import wgan.quality.Judge;
import wgan.quality.Kid;
import wgan.quality.RandomFeatureEvaluation;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;
import wgan.train.Ids;
import wgan.train.InvalidSettingException;
import wgan.train.Sampler;
import wgan.train.Settings;
import wgan.train.TrainConfig;
import wgan.train.TrainingRun;

/** {@code wgan evaluate}: how good a generator's images are, by the built-in judge (docs/quality.md). */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a generator's images against the held-out test images: Fréchet distance and KID in the judge's "
                + "feature space, class rate and confidence (a class run) or class coverage (all classes), and diversity (docs/quality.md).",
                "PATH: a run folder (every checkpoint, as a table), a checkpoint folder, a generator.safetensors, "
                + "or an .npy of samples, float32 (N, C, H, W) in [-1, 1] as 'wgan generate' writes.",
                "Against an image folder (--data DIR, the default for a run trained on one): Fréchet distance and KID in a fixed "
                + "random-feature space (rfd, rkid: comparable between wgan runs, not with published FIDs) and diversity.",
                "For one checkpoint or .npy the last line is: evaluate fd=<x> kid=<x> [class_rate=<x>] diversity=<x>, "
                + "or against a folder: evaluate rfd=<x> rkid=<x> diversity=<x>"})
public final class EvaluateCommand implements Callable<Integer> {
    private static final String GENERATOR_FILE = "generator.safetensors";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Run folder, checkpoint folder, generator.safetensors or samples .npy.")
    Path path;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "mnist or fashion-mnist (default: the run's, from its config.json; for an .npy, mnist).")
    String dataset;

    @Option(names = "--class", paramLabel = "N|all", description = "The class the samples should be (default: the run's; for an .npy, all).")
    String label;

    @Option(names = "--count", paramLabel = "N", description = "Samples drawn from a generator (default: ${DEFAULT-VALUE}).")
    int count = 1000;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the latent points and of KID's subsets (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--judge", paramLabel = "FILE",
            description = "A judge written by train-classifier, instead of the one in wgan.jar (e.g. another seed's, to check a ranking).")
    Path judgeFile;

    @Option(names = "--data", paramLabel = "DIR", description = "An image folder to score against in the random-feature space, "
            + "read as the samples are (their size, grey or colour); default: the folder of a run trained on one.")
    Path folder;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws IOException {
        if (count < 2 || count > 100_000) throw new ParameterException(spec.commandLine(), "--count must be 2-100000, got " + count);
        threads.apply();
        PrintStream out = System.out;
        boolean npy = Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
        TrainConfig config = npy ? null : runConfig();
        if (folder == null && config != null && config.get(Settings.DATASET) == TrainConfig.Dataset.FOLDER) {
            folder = config.get(Settings.DATA).orElse(null);
        }
        if (folder != null) return againstFolder(npy);
        DatasetFiles data = chosenDataset(config);
        int cls = chosenClass(config);
        // The inputs are checked before the reference (seconds of work) is made.
        List<Path> checkpoints = npy ? List.of() : checkpointsOf(path);
        Tensor samples = npy ? judgeSized(readSamples(path), path) : null;
        Judge judge = judgeFile != null ? Judge.load(judgeFile, data.name()) : Judge.forDataset(data);
        Evaluation evaluation = Evaluation.against(judge, data, null, cls, DataHome.standard(),
                w -> System.err.println("wgan: warning: " + w), Kid.SUBSETS);
        out.printf(Locale.ROOT, "Against %d %s, by %s (docs/quality.md)%n", evaluation.realCount(), evaluation.title(),
                judgeFile != null ? "the judge in " + judgeFile : "the judge trained on " + data.title());
        if (checkpoints.size() > 1) {
            out.printf(Locale.ROOT, "%-14s %10s %10s %10s %11s %9s %s%n", "checkpoint", "fd", "kid", "class_rate", "confidence",
                    "diversity", cls == LabeledImages.ALL ? "classes" : "");
            Path best = null;
            double bestFd = Double.POSITIVE_INFINITY;
            for (Path checkpoint : checkpoints) {
                Evaluation.Scores s = evaluation.score(judgeSized(generate(checkpoint), checkpoint), seed);
                out.printf(Locale.ROOT, "%-14s %10.3f %10.5f %10s %11s %9.3f %s%n", checkpoint.getFileName(), s.fd(), s.kid(),
                        orDash(s.classRate()), orDash(s.meanConfidence()), s.diversity(),
                        cls == LabeledImages.ALL ? Integer.toString(s.classesCovered()) : "");
                // checkpoints/best is a copy of one of the others: list it, but name the original.
                if (s.fd() < bestFd && !checkpoint.getFileName().toString().equals("best")) {
                    bestFd = s.fd();
                    best = checkpoint;
                }
            }
            out.printf(Locale.ROOT, "Lowest Fréchet distance: %s (%.3f)%n", best.getFileName(), bestFd);
            return 0;
        }
        Tensor images = npy ? samples : judgeSized(generate(checkpoints.get(0)), checkpoints.get(0));
        Evaluation.Scores s = evaluation.score(images, seed);
        out.printf(Locale.ROOT, "%d samples: Fréchet distance %.3f, KID %.5f (+- %.5f)%n", s.count(), s.fd(), s.kid(), s.kidStd());
        if (cls != LabeledImages.ALL) {
            out.printf(Locale.ROOT, "class %d: %.1f%% of the samples, mean confidence %.3f%n", cls, 100 * s.classRate(), s.meanConfidence());
        }
        StringBuilder shares = new StringBuilder();
        for (int k = 0; k < s.classShares().length; k++) shares.append(String.format(Locale.ROOT, " %d:%.1f%%", k, 100 * s.classShares()[k]));
        out.println("classes seen by the judge:" + shares);
        out.printf(Locale.ROOT, "diversity %.3f (1 = as varied as the test images, near 0 = mode collapse)%n", s.diversity());
        out.printf(Locale.ROOT, "evaluate fd=%.4f kid=%.6f%s diversity=%.4f%n", s.fd(), s.kid(),
                cls == LabeledImages.ALL ? "" : String.format(Locale.ROOT, " class_rate=%.4f", s.classRate()), s.diversity());
        return 0;
    }

    /**
     * Scores against the image folder in the random-feature space: the folder is read at the
     * samples' size and in their colours, as a run on it reads it.
     */
    private int againstFolder(boolean npy) throws IOException {
        if (dataset != null || label != null || judgeFile != null) {
            throw new ParameterException(spec.commandLine(), "--dataset, --class and --judge choose a judge; against an image folder"
                    + " (--data " + folder + ") the samples are scored in the random-feature space");
        }
        PrintStream out = System.out;
        List<Path> checkpoints = npy ? List.of() : checkpointsOf(path);
        Tensor first = npy ? readSamples(path) : generate(checkpoints.get(0));
        Path source = npy ? path : checkpoints.get(0);
        if (first.dim(0) < 2) throw new IOException(source + " holds " + first.dim(0) + " sample; scoring needs at least 2");
        if (first.dim(1) != first.dim(2)) {
            throw new IOException(source + " makes " + first.dim(1) + " x " + first.dim(2) + " images; an image folder is read as square ones");
        }
        ByteImages real = ImageFolder.loadBytes(folder, first.dim(1), first.dim(3) == 3 ? ImageFolder.Color.RGB : ImageFolder.Color.GRAY,
                w -> System.err.println("wgan: warning: " + w));
        RandomFeatureEvaluation evaluation = RandomFeatureEvaluation.against(TrainingImages.of(real), "images of " + folder, Kid.SUBSETS);
        out.printf(Locale.ROOT, "Against %d of the %d %s, in a fixed random-feature space (rfd, rkid: comparable between wgan runs"
                + " on the same folder, not with published FIDs; docs/quality.md)%n", evaluation.realCount(), real.count(), evaluation.title());
        if (checkpoints.size() > 1) {
            out.printf(Locale.ROOT, "%-14s %10s %10s %9s%n", "checkpoint", "rfd", "rkid", "diversity");
            Path best = null;
            double bestFd = Double.POSITIVE_INFINITY;
            for (Path checkpoint : checkpoints) {
                RandomFeatureEvaluation.Scores s = evaluation.score(checkpoint == source ? first : generate(checkpoint), seed);
                out.printf(Locale.ROOT, "%-14s %10.4f %10.6f %9.3f%n", checkpoint.getFileName(), s.rfd(), s.kid(), s.diversity());
                if (s.rfd() < bestFd && !checkpoint.getFileName().toString().equals("best")) {
                    bestFd = s.rfd();
                    best = checkpoint;
                }
            }
            out.printf(Locale.ROOT, "Lowest random-feature Fréchet distance: %s (%.4f)%n", best.getFileName(), bestFd);
            return 0;
        }
        RandomFeatureEvaluation.Scores s = evaluation.score(first, seed);
        out.printf(Locale.ROOT, "%d samples: random-feature Fréchet distance %.4f, KID %.6f (+- %.6f), diversity %.3f"
                + " (1 = as varied as the folder's images, near 0 = mode collapse)%n", s.count(), s.rfd(), s.kid(), s.kidStd(), s.diversity());
        out.printf(Locale.ROOT, "evaluate rfd=%.4f rkid=%.6f diversity=%.4f%n", s.rfd(), s.kid(), s.diversity());
        return 0;
    }

    private static String orDash(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** The settings in the run's config.json, found beside the path or up to two folders above it; null if none. */
    private TrainConfig runConfig() throws IOException {
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        for (int up = 0; up < 3 && dir != null; up++, dir = dir.getParent()) {
            Path file = dir.resolve("config.json");
            if (Files.isRegularFile(file)) return TrainingRun.settingsOf(file);
        }
        return null;
    }

    private DatasetFiles chosenDataset(TrainConfig config) throws IOException {
        String name = dataset;
        if (name == null && config != null) {
            if (config.get(Settings.DATASET).isToy()) {
                throw new IOException(path + " was trained on 2-D points; the judges know only MNIST and Fashion-MNIST images"
                        + " (a toy run's frames and critic.csv show how it went: docs/teaching.md)");
            }
            if (config.get(Settings.DATASET) == TrainConfig.Dataset.FOLDER) {
                throw new IOException(path + " was trained on an image folder; the judges know only MNIST and Fashion-MNIST"
                        + " (docs/quality.md says what can be measured without one)");
            }
            name = Ids.id(config.get(Settings.DATASET));
        }
        if (name == null) name = "mnist";
        try {
            return DatasetFiles.byName(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--dataset: " + e.getMessage());
        }
    }

    /** --class, read by the training setting's own rules (0-9 or all), else the run's. */
    private int chosenClass(TrainConfig config) {
        if (label == null) return config != null ? config.get(Settings.CLASS).orElse(LabeledImages.ALL) : LabeledImages.ALL;
        try {
            return Settings.CLASS.parse(label).orElse(LabeledImages.ALL);
        } catch (InvalidSettingException e) {
            throw new ParameterException(spec.commandLine(), e.asFlag());
        }
    }

    /** The checkpoint folders (or the one generator file) a path holds, in order. */
    private static List<Path> checkpointsOf(Path path) throws IOException {
        if (Files.isRegularFile(path) || Sampler.generatorIn(path).isPresent()) return List.of(path);
        Path checkpoints = path.resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) {
            throw new IOException(path + " is neither a run folder (with checkpoints/), a checkpoint folder (with " + GENERATOR_FILE
                    + " or an autoencoder's decoder.safetensors), a generator file nor an .npy of samples");
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(checkpoints)) {
            entries.filter(p -> Sampler.generatorIn(p).isPresent()).sorted().forEach(found::add);
        }
        if (found.isEmpty()) throw new IOException(checkpoints + " holds no checkpoint (no folder with " + GENERATOR_FILE + ")");
        return found;
    }

    /** {@code count} images from the generator at fixed latent points. */
    private Tensor generate(Path checkpoint) throws IOException {
        Sampler generator = Sampler.load(checkpoint);
        Tensor z = Tensor.zeros(count, generator.latent());
        new Rng(seed).fillGaussian(z.data(), 0f, 1f);
        return generator.generate(z);
    }

    /** Samples from an .npy, (N, C, H, W) with 1 or 3 channels in [-1, 1], as NHWC. */
    private static Tensor readSamples(Path file) throws IOException {
        Tensor t = Npy.read(file);
        if (t.rank() != 4 || (t.dim(1) != 1 && t.dim(1) != 3)) {
            throw new FileFormatException(file, "has shape " + Arrays.toString(t.shape()) + "; evaluate reads grey or colour samples"
                    + " (N, 1, H, W) or (N, 3, H, W)");
        }
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : t.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (!(min >= -1.01f && max <= 1.01f)) {
            throw new FileFormatException(file, String.format(Locale.ROOT, "holds values from %g to %g; samples must be in [-1, 1]"
                    + " (scale images in [0, 1] by 2x - 1, in [0, 255] by x / 127.5 - 1)", min, max));
        }
        return Layouts.toChannelsLast(t);
    }

    private static Tensor judgeSized(Tensor images, Path source) throws IOException {
        if (images.dim(3) != 1) {
            throw new IOException(source + " holds colour images; the judges read grey 28 x 28 images: give --data DIR to score them"
                    + " against an image folder in the random-feature space (docs/quality.md)");
        }
        if (images.dim(0) < 2) throw new IOException(source + " holds " + images.dim(0) + " sample; scoring needs at least 2");
        // E2 and E3 make 32 x 32 images; the judge reads MNIST's 28 x 28.
        return images.dim(1) == 28 && images.dim(2) == 28 ? images : Resize.bilinear(images, 28, 28);
    }
}
