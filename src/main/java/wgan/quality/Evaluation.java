package wgan.quality;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import wgan.data.DataHome;
import wgan.data.DatasetFiles;
import wgan.data.LabeledImages;
import wgan.tensor.Tensor;

/**
 * Scores generated images against the held-out test images of a built-in dataset, of one class
 * or of all: the reference side (the judge, the test images' features and their statistics) is
 * computed once, so that scoring many checkpoints or many sample steps costs only the samples'
 * side.
 */
public final class Evaluation {
    private final Judge judge;
    private final String title;
    private final int label;
    private final FeatureReference reference;

    /** What one set of samples scored. classRate and meanConfidence are NaN for an all-class reference. */
    public record Scores(int count, double fd, double kid, double kidStd, double classRate, double meanConfidence,
                         double[] classShares, double diversity) {
        /** The classes the judge sees in at least 2% of the samples (of 10): a short measure of coverage. */
        public int classesCovered() {
            int n = 0;
            for (double s : classShares) if (s >= 0.02) n++;
            return n;
        }
    }

    Evaluation(Judge judge, String title, int label, Tensor realImages, int kidSubsets) {
        this.judge = judge;
        this.title = title;
        this.label = label;
        this.reference = new FeatureReference(judge.read(realImages).features(), kidSubsets);
    }

    /**
     * Against the test split of a built-in dataset (in {@code dataDir}, or where training finds it
     * when null), class {@code label} or {@link LabeledImages#ALL}, with the judge shipped for it;
     * KID over {@code kidSubsets} subsets where the sets are bigger than one ({@link Kid#SUBSETS}
     * as its authors).
     */
    public static Evaluation against(DatasetFiles dataset, Path dataDir, int label, DataHome home, Consumer<String> warnings,
                                     int kidSubsets) throws IOException {
        return against(Judge.forDataset(dataset), dataset, dataDir, label, home, warnings, kidSubsets);
    }

    /** The same with another judge, e.g. one trained with another seed to check a ranking. */
    public static Evaluation against(Judge judge, DatasetFiles dataset, Path dataDir, int label, DataHome home,
                                     Consumer<String> warnings, int kidSubsets) throws IOException {
        LabeledImages test = dataset.load(dataDir, DatasetFiles.Split.TEST, home, warnings);
        Tensor real = test.images(label);
        if (real.dim(0) < 2) throw new IOException("the " + dataset.title() + " test files hold no images of class " + label);
        String title = dataset.title() + " test images" + (label == LabeledImages.ALL ? "" : " of class " + label);
        return new Evaluation(judge, title, label, real, kidSubsets);
    }

    /** What the samples are compared with, in words ("MNIST test images of class 7"). */
    public String title() {
        return title;
    }

    public int label() {
        return label;
    }

    public int realCount() {
        return reference.count();
    }

    /** Scores images [N, 28, 28, 1] in [-1, 1], N >= 2; KID's subsets are drawn from {@code seed}. */
    public Scores score(Tensor images, long seed) {
        if (images.dim(0) < 2) throw new IllegalArgumentException("scoring needs at least 2 images, got " + images.dim(0));
        Judge.Outputs out = judge.read(images);
        int n = out.features().length;
        FeatureReference.Distances d = reference.compare(out.features(), seed);
        double[] shares = new double[Judge.CLASSES];
        for (int c : out.classes()) shares[c] += 1.0 / n;
        double classRate = Double.NaN, confidence = Double.NaN;
        if (label != LabeledImages.ALL) {
            classRate = shares[label];
            confidence = 0;
            for (double[] p : out.probabilities()) confidence += p[label] / n;
        }
        return new Scores(n, d.fd(), d.kid(), d.kidStd(), classRate, confidence, shares, d.diversity());
    }
}
