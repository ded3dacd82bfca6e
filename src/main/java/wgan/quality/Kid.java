package wgan.quality;

import wgan.tensor.Rng;

/**
 * The kernel inception distance (Binkowski et al. 2018, "Demystifying MMD GANs", section 4):
 * the unbiased estimate of the squared maximum mean discrepancy between two sets of feature
 * vectors under the cubic polynomial kernel k(x, y) = (x.y / d + 1)^3,
 * <pre>
 *   MMD^2 = 1/(m(m-1)) sum_{i != j} k(x_i, x_j) + 1/(n(n-1)) sum_{i != j} k(y_i, y_j) - 2/(mn) sum_{i,j} k(x_i, y_j),
 * </pre>
 * averaged over random subsets of both sets as in their code: it is unbiased for any set size,
 * so unlike the Fréchet distance its value does not grow as fewer samples are judged, and it can
 * be slightly negative when the sets are alike.
 */
public final class Kid {
    /** Their subset size. */
    public static final int SUBSET = 1000;
    /** Their number of subsets. */
    public static final int SUBSETS = 100;

    private Kid() {}

    /** The mean over subsets and its standard deviation over them (0 where one subset is the whole of both sets). */
    public record Estimate(double mean, double std) {}

    /**
     * KID over {@link #SUBSETS} subsets of min({@link #SUBSET}, |x|, |y|) vectors from each set,
     * drawn without replacement by a seeded Rng; where each set is no bigger than that, the one
     * subset is both whole sets and the estimate is exact.
     */
    public static Estimate between(double[][] x, double[][] y, long seed) {
        int size = Math.min(SUBSET, Math.min(x.length, y.length));
        if (size < 2) throw new IllegalArgumentException("KID needs at least 2 vectors in each set, got " + x.length + " and " + y.length);
        if (x.length == size && y.length == size) return new Estimate(mmd2(x, y), 0);
        Rng rng = new Rng(seed);
        double[] values = new double[SUBSETS];
        double mean = 0;
        for (int s = 0; s < SUBSETS; s++) {
            values[s] = mmd2(subset(x, size, rng), subset(y, size, rng));
            mean += values[s] / SUBSETS;
        }
        double var = 0;
        for (double v : values) var += (v - mean) * (v - mean) / (SUBSETS - 1);
        return new Estimate(mean, Math.sqrt(var));
    }

    /** The unbiased MMD^2 between x and y under the cubic kernel. */
    static double mmd2(double[][] x, double[][] y) {
        int m = x.length, n = y.length, d = x[0].length;
        double xx = 0, yy = 0, xy = 0;
        for (int i = 0; i < m; i++) for (int j = i + 1; j < m; j++) xx += kernel(x[i], x[j], d);
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) yy += kernel(y[i], y[j], d);
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) xy += kernel(x[i], y[j], d);
        return 2 * xx / ((double) m * (m - 1)) + 2 * yy / ((double) n * (n - 1)) - 2 * xy / ((double) m * n);
    }

    static double kernel(double[] a, double[] b, int d) {
        double dot = 0;
        for (int k = 0; k < d; k++) dot += a[k] * b[k];
        double base = dot / d + 1;
        return base * base * base;
    }

    /** {@code size} rows of x drawn without replacement (a partial Fisher-Yates shuffle). */
    private static double[][] subset(double[][] x, int size, Rng rng) {
        int[] index = new int[x.length];
        for (int i = 0; i < index.length; i++) index[i] = i;
        double[][] out = new double[size][];
        for (int i = 0; i < size; i++) {
            int j = i + rng.nextInt(index.length - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
            out[i] = x[index[i]];
        }
        return out;
    }
}
