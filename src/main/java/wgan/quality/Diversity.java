package wgan.quality;

/**
 * A mode-collapse figure: the mean Euclidean distance between two different samples in the
 * judge's feature space, divided by the same mean over real images of the same class(es). Near 1
 * the samples are as varied as real images; a generator that draws the same few images for every
 * latent point (mode collapse) scores near 0; above 1, more spread than real images (often noise).
 * It sees variety only, not quality: random noise can score high. Read it beside the Fréchet
 * distance.
 */
public final class Diversity {
    private Diversity() {}

    /** The mean distance over every pair of different rows of x. */
    public static double meanPairwiseDistance(double[][] x) {
        int n = x.length;
        if (n < 2) throw new IllegalArgumentException("a pairwise distance needs at least 2 vectors, got " + n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < x[i].length; k++) {
                    double diff = x[i][k] - x[j][k];
                    s += diff * diff;
                }
                sum += Math.sqrt(s);
            }
        }
        return sum / ((double) n * (n - 1) / 2);
    }

    /** The samples' mean pairwise distance relative to the real images'. */
    public static double relative(double[][] samples, double[][] real) {
        return meanPairwiseDistance(samples) / meanPairwiseDistance(real);
    }
}
