package wgan.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import wgan.data.DataHome;
import wgan.data.DatasetFiles;
import wgan.data.LabeledImages;
import wgan.data.Resize;
import wgan.io.AtomicFiles;
import wgan.io.LossPlot;
import wgan.data.TrainingImages;
import wgan.quality.Evaluation;
import wgan.quality.RandomFeatureEvaluation;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * A run's quality metrics ({@code metrics.csv}), its best checkpoint ({@code checkpoints/best},
 * by the lowest Fréchet distance, never deleted) and its health warnings, measured at every sample
 * step on {@link #SAMPLES} fixed latent points by the judge of the run's dataset, or, for a run on
 * an image folder, in the fixed random-feature space against the run's training images (rfd: not
 * comparable to published FIDs; docs/quality.md).
 */
final class RunMetrics {
    static final int SAMPLES = 1000;
    static final String FILE = "metrics.csv";
    static final String BEST = "best";
    static final String PLOT = "metrics.png";
    static final String HEADER = "iteration,fd,kid,class_rate,confidence,diversity,classes,seconds,warnings";
    /** An image folder run's: the same columns, the distances named as measured in the random-feature space, no classes. */
    static final String RANDOM_FEATURE_HEADER = "iteration,rfd,rkid,class_rate,confidence,diversity,classes,seconds,warnings";
    /** KID's subsets against an all-class reference (10,000 test images); against one class both sets fit in one. */
    private static final int KID_SUBSETS = 10;
    /** The latent points' stream: a fork id apart from WganTrainer's streams (1-6). */
    private static final long LATENT_STREAM = 1000;
    /** Diversity below this share of the test images' is called a collapse. */
    static final double COLLAPSED = 0.5;
    /** Above this share of the clipped weights at the clipping bound, the critic is called saturated. */
    static final double SATURATED = 0.5;
    /** The penalty's interpolates' mean gradient norm outside [1 / NORM_FAR, NORM_FAR] is called far from 1. */
    static final double NORM_FAR = 2;
    /** What each warning code of metrics.csv means, for the report. */
    static final Map<String, String> MEANINGS = Map.of(
            "mode-collapse", "the samples vary much less than real images: the generator draws the same few images",
            "off-class", "the judge sees the run's class in under half of the samples",
            "worse-than-best", "the Fréchet distance is over twice its best: the samples got worse; checkpoints/best keeps the best",
            "negative-wasserstein", "the critic scores fake images above real ones and cannot guide the generator",
            "drifting-losses", "a critic loss moves in a straight line: a layer the Lipschitz constraint does not reach is growing",
            "clipped-at-bound", "most clipped critic weights sit at the clipping bound: the critic is saturated and has lost capacity",
            "penalty-norm", "the critic's gradient norm at the penalty's interpolates is far from the 1 the penalty asks for");
    /** Fewest iterations over which a drift of the losses is judged. */
    static final int DRIFT_ROWS = 20;

    private final Path dir;
    private final Reference reference;
    /** Null until the first measurement: reading the real images and their features takes seconds a run need not wait for. */
    private Scorer scorer;
    /** The reference could not be read: this run has no metrics, as it said once. */
    private boolean noReference;
    private final int label;
    private final Tensor latent;
    private final boolean wasserstein;
    private double bestFd = Double.POSITIVE_INFINITY;
    private int bestIteration;
    private int lastMeasured;

    /** What one measurement found; classRate and confidence are NaN and classes -1 where there are no classes (an image folder). */
    record Measurement(double fd, double kid, double classRate, double confidence, double diversity, int classes) {
        static Measurement of(Evaluation.Scores s) {
            return new Measurement(s.fd(), s.kid(), s.classRate(), s.meanConfidence(), s.diversity(), s.classesCovered());
        }
    }

    /** Scores samples, its reference read. */
    interface Scorer {
        /** What the samples are compared with, in words, with the count ("40 MNIST test images of class 7"). */
        String against();

        /** The same, short, for the plot's title ("MNIST test images of class 7"). */
        String title();

        /** Scores the generator's images [N, H, W, C] in [-1, 1]; KID's subsets are drawn from {@code seed}. */
        Measurement score(Tensor images, long seed);
    }

    /** What the samples are compared with, in which feature space, and how its figures are named. */
    interface Reference {
        /** metrics.csv's first line. */
        String header();

        /** The distance's name in the plot's title. */
        String distance();

        /** The plot's vertical axis. */
        String axis();

        Scorer load() throws IOException;
    }

    /** The test images of {@code label} (or all) in {@code files}, read from {@code data} or the usual places, by their judge. */
    record JudgeReference(DatasetFiles files, Path data, int label) implements Reference {
        @Override
        public String header() {
            return HEADER;
        }

        @Override
        public String distance() {
            return "Fréchet distance";
        }

        @Override
        public String axis() {
            return "Fréchet distance (judge features)";
        }

        @Override
        public Scorer load() throws IOException {
            Evaluation e = Evaluation.against(files, data, label, DataHome.standard(), w -> System.err.println("wgan: warning: " + w), KID_SUBSETS);
            return new Scorer() {
                @Override
                public String against() {
                    return e.realCount() + " " + e.title();
                }

                @Override
                public String title() {
                    return e.title();
                }

                @Override
                public Measurement score(Tensor images, long seed) {
                    // E2 and E3 make 32 x 32 images; the judge reads MNIST's 28 x 28.
                    Tensor judged = images.dim(1) == 28 && images.dim(2) == 28 ? images : Resize.bilinear(images, 28, 28);
                    return Measurement.of(e.score(judged, seed));
                }
            };
        }
    }

    /**
     * The run's own training images (an image folder has no held-out split, and holding some out
     * would change what the run trains on), in the random-feature space of
     * {@link RandomFeatureEvaluation}.
     */
    record FolderReference(TrainingImages images, String title) implements Reference {
        @Override
        public String header() {
            return RANDOM_FEATURE_HEADER;
        }

        @Override
        public String distance() {
            return "Random-feature Fréchet distance (not an FID)";
        }

        @Override
        public String axis() {
            return "rfd (random features)";
        }

        @Override
        public Scorer load() {
            RandomFeatureEvaluation e = RandomFeatureEvaluation.against(images, title, KID_SUBSETS);
            return new Scorer() {
                @Override
                public String against() {
                    return e.realCount() + " of the " + images.count() + " " + e.title() + " in a fixed random-feature space"
                            + " (rfd, rkid: comparable between wgan runs, not with published FIDs)";
                }

                @Override
                public String title() {
                    return e.title();
                }

                @Override
                public Measurement score(Tensor samples, long seed) {
                    RandomFeatureEvaluation.Scores s = e.score(samples, seed);
                    return new Measurement(s.rfd(), s.kid(), Double.NaN, Double.NaN, s.diversity(), -1);
                }
            };
        }
    }

    RunMetrics(Path dir, Reference reference, int label, Tensor latent, boolean wasserstein) {
        this.dir = dir;
        this.reference = reference;
        this.label = label;
        this.latent = latent;
        this.wasserstein = wasserstein;
    }

    /**
     * The metrics of the run in {@code dir} whose last checkpoint is at {@code start}: rows of
     * metrics.csv after it are dropped, as log.csv's are. {@code real}: the run's training images,
     * the reference of a run on an image folder.
     */
    static RunMetrics open(Path dir, TrainConfig config, int start, TrainingImages real) throws IOException {
        TrainConfig.Dataset dataset = config.get(Settings.DATASET);
        int label = config.get(Settings.CLASS).orElse(LabeledImages.ALL);
        Reference reference;
        if (dataset == TrainConfig.Dataset.FOLDER) {
            reference = new FolderReference(real, "training images in " + config.get(Settings.DATA).map(Path::toString).orElse("the folder"));
        } else {
            DatasetFiles files = dataset == TrainConfig.Dataset.MNIST ? DatasetFiles.MNIST : DatasetFiles.FASHION_MNIST;
            reference = new JudgeReference(files, config.get(Settings.DATA).orElse(null), label);
        }
        Tensor latent = Tensor.zeros(SAMPLES, config.get(Settings.LATENT));
        new Rng(config.get(Settings.SEED)).fork(LATENT_STREAM).fillGaussian(latent.data(), 0f, 1f);
        RunMetrics metrics = new RunMetrics(dir, reference, label, latent, config.get(Settings.LOSS) == TrainConfig.Loss.WASSERSTEIN);
        metrics.keepRowsUpTo(start);
        return metrics;
    }

    private void keepRowsUpTo(int start) throws IOException {
        Path file = dir.resolve(FILE);
        StringBuilder kept = new StringBuilder(reference.header()).append('\n');
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",", -1);
                try {
                    int iteration = Integer.parseInt(f[0]);
                    if (iteration > start) continue;
                    double fd = Double.parseDouble(f[1]);
                    if (fd < bestFd && Files.isDirectory(dir.resolve("checkpoints").resolve(BEST))) {
                        bestFd = fd;
                        bestIteration = iteration;
                    }
                    lastMeasured = iteration;
                } catch (RuntimeException e) {
                    throw new IOException(file + " line " + (i + 1) + " is not a metrics row: " + lines.get(i), e);
                }
                kept.append(lines.get(i)).append('\n');
            }
        }
        AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Scores the generator after {@code iteration}, appends the row, prints it with any warnings,
     * and makes {@code checkpoint} (the one just saved at this iteration, if any) the best when its
     * Fréchet distance is the lowest so far.
     */
    void measure(int iteration, WganTrainer trainer, Path checkpoint, List<LossLog.Row> rows, Consumer<String> print) throws IOException {
        long t0 = System.nanoTime();
        if (noReference) return;
        if (scorer == null) {
            try {
                scorer = reference.load();
            } catch (IOException e) {
                // Metrics never stop a run: say why there are none and train on.
                print.accept("Quality metrics: none for this run: " + e.getMessage());
                noReference = true;
                return;
            }
            print.accept(String.format(Locale.ROOT, "Quality metrics: %d samples against %s at every sample step, in %s",
                    SAMPLES, scorer.against(), FILE));
        }
        Measurement s = scorer.score(trainer.generate(latent), iteration);
        boolean best = s.fd() < bestFd && checkpoint != null && checkpoint.getFileName().toString().equals(Checkpoint.folderName(iteration));
        if (best) {
            keepAsBest(checkpoint);
            bestFd = s.fd();
            bestIteration = iteration;
        }
        List<String> warnings = warnings(s, rows, trainer.criticHealth());
        double seconds = (System.nanoTime() - t0) / 1e9;
        String row = String.format(Locale.ROOT, "%d,%.4f,%.6f,%s,%s,%.4f,%s,%.2f,%s", iteration, s.fd(), s.kid(),
                csv(s.classRate()), csv(s.confidence()), s.diversity(), s.classes() < 0 ? "" : Integer.toString(s.classes()), seconds,
                String.join(";", warnings.stream().map(w -> w.substring(0, w.indexOf(':'))).toList()));
        Files.writeString(dir.resolve(FILE), row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        boolean folder = s.classes() < 0;
        print.accept(String.format(Locale.ROOT, "quality @%d: %s %s%s, %s %.4f, %sdiversity %.2f (%.1f s)", iteration,
                folder ? "rFD" : "FD", distance(s.fd()),
                best ? " (best so far: checkpoints/best)" : String.format(Locale.ROOT, " (best %s @%d)", distance(bestFd), bestIteration),
                folder ? "rKID" : "KID", s.kid(), folder ? "" : label == LabeledImages.ALL ? s.classes() + " of 10 classes, "
                        : String.format(Locale.ROOT, "class %d %.1f%% (confidence %.2f), ", label, 100 * s.classRate(), s.confidence()),
                s.diversity(), seconds));
        for (String w : warnings) print.accept("wgan: warning: " + w.substring(w.indexOf(':') + 2));
        lastMeasured = iteration;
        plot();
    }

    /** A distance as printed: the judge's are tens to thousands, the random features' tenths to tens. */
    private static String distance(double d) {
        return String.format(Locale.ROOT, d < 10 ? "%.3f" : "%.2f", d);
    }

    /** metrics.png: the Fréchet distance at every measurement so far, from metrics.csv. */
    private void plot() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(FILE), StandardCharsets.UTF_8);
        double[] iterations = new double[lines.size() - 1], fd = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            iterations[i - 1] = Double.parseDouble(f[0]);
            fd[i - 1] = Double.parseDouble(f[1]);
        }
        String column = reference.header().split(",")[1];
        LossPlot.write(dir.resolve(PLOT), reference.distance() + " to " + scorer.title() + " (lower is better)",
                reference.axis(), iterations, Map.of(column, fd));
    }

    private static String csv(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * Plain-language warnings, each "code: text", from the scores and the losses since the last
     * measurement: what WGAN users keep asking about in the peers' issue trackers.
     */
    List<String> warnings(Measurement s, List<LossLog.Row> rows, WganTrainer.CriticHealth health) {
        List<String> w = new ArrayList<>();
        if (s.diversity() < COLLAPSED) {
            w.add(String.format(Locale.ROOT, "mode-collapse: the samples vary %.0f%% as much as real images do: the generator is"
                    + " drawing the same few images (mode collapse); an earlier checkpoint (checkpoints/best) may be better", 100 * s.diversity()));
        }
        if (label != LabeledImages.ALL && s.classRate() < 0.5) {
            w.add(String.format(Locale.ROOT, "off-class: the judge sees class %d in only %.0f%% of the samples", label, 100 * s.classRate()));
        }
        if (bestIteration > 0 && s.fd() > 2 * bestFd && lastMeasured > bestIteration) {
            w.add(String.format(Locale.ROOT, "worse-than-best: the Fréchet distance (%.1f) is over twice its best (%.1f at iteration %d):"
                    + " the samples have been getting worse; checkpoints/best keeps the best", s.fd(), bestFd, bestIteration));
        }
        List<LossLog.Row> recent = rows.stream().filter(r -> r.iteration() > lastMeasured).toList();
        double meanW = recent.stream().mapToDouble(LossLog.Row::wasserstein).average().orElse(0);
        if (wasserstein && !recent.isEmpty() && meanW < 0) {
            w.add(String.format(Locale.ROOT, "negative-wasserstein: the critic's Wasserstein estimate averaged %.3g since iteration %d:"
                    + " below 0 the critic scores fake images above real ones, and cannot guide the generator", meanW, lastMeasured));
        }
        if (recent.size() >= DRIFT_ROWS && drifts(recent)) {
            LossLog.Row first = recent.get(0), last = recent.get(recent.size() - 1);
            w.add(String.format(Locale.ROOT, "drifting-losses: the critic's loss on real images went from %.3g to %.3g in a straight line"
                    + " over iterations %d-%d: a layer the Lipschitz constraint does not reach (E1's unclipped Dense) is growing,"
                    + " so the losses' scale says nothing about quality; judge the samples by the Fréchet distance",
                    first.c1(), last.c1(), first.iteration(), last.iteration()));
        }
        // Arjovsky et al. 2017, section 3, and Gulrajani et al. 2017, section 3: clipped weights pile up at the bound.
        if (health.clippedAtBound() > SATURATED) {
            w.add(String.format(Locale.ROOT, "clipped-at-bound: %.0f%% of the clipped critic weights sit at the clipping bound (within 1%%):"
                    + " the critic is saturated and has lost capacity; a smaller learning rate, a larger --clip or the gradient"
                    + " penalty (--lipschitz gp) helps", 100 * health.clippedAtBound()));
        }
        double norm = health.penaltyNormMean();
        if (norm < 1 / NORM_FAR || norm > NORM_FAR) {
            w.add(String.format(Locale.ROOT, "penalty-norm: the critic's gradient norm at the penalty's interpolates is %.3g"
                    + " (spread %.3g) in the last critic round, far from the 1 the penalty asks for: the critic is not near"
                    + " 1-Lipschitz; a larger --gp-weight or more critic rounds help", norm, health.penaltyNormStd()));
        }
        return w;
    }

    /**
     * Whether c1 moves along a straight line: a least-squares line through it explains at least
     * 90% of its variance, and moves it by more than 10 over the rows (E1's drift: hundreds).
     */
    static boolean drifts(List<LossLog.Row> rows) {
        int n = rows.size();
        double mx = 0, my = 0;
        for (LossLog.Row r : rows) {
            mx += r.iteration() / (double) n;
            my += r.c1() / n;
        }
        double sxx = 0, sxy = 0, syy = 0;
        for (LossLog.Row r : rows) {
            double dx = r.iteration() - mx, dy = r.c1() - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) return false;
        double slope = sxy / sxx, explained = sxy * sxy / (sxx * syy);
        double span = rows.get(n - 1).iteration() - rows.get(0).iteration();
        return explained >= 0.9 && Math.abs(slope * span) > 10;
    }

    /** Copies a checkpoint folder to checkpoints/best, replacing the old best only once the copy is whole. */
    private void keepAsBest(Path checkpoint) throws IOException {
        Path checkpoints = checkpoint.getParent();
        Path tmp = Files.createTempDirectory(checkpoints, ".tmp-" + BEST + "-");
        try (Stream<Path> files = Files.list(checkpoint)) {
            for (Path f : files.toList()) Files.copy(f, tmp.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path best = checkpoints.resolve(BEST);
        Path old = checkpoints.resolve(".old-" + BEST);
        Checkpoint.delete(old);
        if (Files.exists(best)) Files.move(best, old);
        Files.move(tmp, best);
        Checkpoint.delete(old);
    }
}
