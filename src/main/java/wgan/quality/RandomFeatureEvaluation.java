package wgan.quality;

import java.util.Arrays;
import wgan.data.TrainingImages;
import wgan.tensor.Tensor;

/**
 * Scores generated images against the real images of an image folder in the fixed random-feature
 * space of {@link RandomFeatures}: the random-feature Fréchet distance ({@code rfd}), KID in the
 * same space ({@code rkid}) and diversity. There is no pretrained network for arbitrary photos, so
 * these are comparable between wgan runs on the same folder, never with published FIDs. The
 * reference is at most {@link #MOST_REAL} of the folder's images, evenly spaced over its (sorted)
 * order, computed once.
 */
public final class RandomFeatureEvaluation {
    /** Most real images in the reference: a stable covariance of 230 features, a few seconds to read. */
    public static final int MOST_REAL = 2000;
    /** Real images read at a time, so that a folder held as bytes is converted a slice at a time. */
    private static final int SLICE = 500;

    private final RandomFeatures network;
    private final FeatureReference reference;
    private final String title;

    /** What one set of samples scored. */
    public record Scores(int count, double rfd, double kid, double kidStd, double diversity) {}

    private RandomFeatureEvaluation(RandomFeatures network, double[][] realFeatures, String title, int kidSubsets) {
        this.network = network;
        this.reference = new FeatureReference(realFeatures, kidSubsets);
        this.title = title;
    }

    /**
     * Against {@code real} (at most {@link #MOST_REAL} of them, evenly spaced), described as
     * {@code title}; KID over {@code kidSubsets} subsets where the sets are bigger than one.
     */
    public static RandomFeatureEvaluation against(TrainingImages real, String title, int kidSubsets) {
        if (real.count() < 2) throw new IllegalArgumentException("a reference needs at least 2 real images, got " + real.count());
        int[] chosen = evenlySpaced(real.count(), Math.min(MOST_REAL, real.count()));
        RandomFeatures network = new RandomFeatures();
        double[][] features = new double[chosen.length][];
        for (int from = 0; from < chosen.length; from += SLICE) {
            int[] slice = Arrays.copyOfRange(chosen, from, Math.min(chosen.length, from + SLICE));
            System.arraycopy(network.read(real.batch(slice)), 0, features, from, slice.length);
        }
        return new RandomFeatureEvaluation(network, features, title, kidSubsets);
    }

    /** {@code k} of the indices 0..n-1, evenly spaced from 0. */
    static int[] evenlySpaced(int n, int k) {
        int[] out = new int[k];
        for (int i = 0; i < k; i++) out[i] = (int) ((long) i * n / k);
        return out;
    }

    /** What the samples are compared with, in words. */
    public String title() {
        return title;
    }

    public int realCount() {
        return reference.count();
    }

    /** Scores images [N, H, W, 1 or 3] in [-1, 1], N >= 2; KID's subsets are drawn from {@code seed}. */
    public Scores score(Tensor images, long seed) {
        if (images.dim(0) < 2) throw new IllegalArgumentException("scoring needs at least 2 images, got " + images.dim(0));
        FeatureReference.Distances d = reference.compare(network.read(images), seed);
        return new Scores(images.dim(0), d.fd(), d.kid(), d.kidStd(), d.diversity());
    }
}
