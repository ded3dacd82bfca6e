package wgan.quality;

import wgan.kernels.Gemm;
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

    /** {@link #between(double[][], double[][], long, int)} over their {@link #SUBSETS} subsets. */
    public static Estimate between(double[][] x, double[][] y, long seed) {
        return between(x, y, seed, SUBSETS);
    }

    /**
     * KID over {@code subsets} subsets of min({@link #SUBSET}, |x|, |y|) vectors from each set,
     * drawn without replacement by a seeded Rng; where each set is no bigger than that, the one
     * subset is both whole sets and the estimate is exact.
     */
    public static Estimate between(double[][] x, double[][] y, long seed, int subsets) {
        if (subsets < 2) throw new IllegalArgumentException("KID needs at least 2 subsets to estimate a spread, got " + subsets);
        int size = Math.min(SUBSET, Math.min(x.length, y.length));
        if (size < 2) throw new IllegalArgumentException("KID needs at least 2 vectors in each set, got " + x.length + " and " + y.length);
        if (x.length == size && y.length == size) return new Estimate(mmd2(x, y), 0);
        Rng rng = new Rng(seed);
        double[] values = new double[subsets];
        double mean = 0;
        for (int s = 0; s < subsets; s++) {
            values[s] = mmd2(subset(x, size, rng), subset(y, size, rng));
            mean += values[s] / subsets;
        }
        double var = 0;
        for (double v : values) var += (v - mean) * (v - mean) / (subsets - 1);
        return new Estimate(mean, Math.sqrt(var));
    }

    /**
     * The unbiased MMD^2 between x and y under the cubic kernel. The dot products come from float
     * GEMMs (X X^T, Y Y^T, X Y^T: relative error about 1e-6 over the judge's 128 features), the
     * cubes and sums in double.
     */
    static double mmd2(double[][] x, double[][] y) {
        int m = x.length, n = y.length, d = x[0].length;
        float[] fx = flat(x, d), fy = flat(y, d);
        double xx = kernelSum(fx, fx, m, m, d, true), yy = kernelSum(fy, fy, n, n, d, true), xy = kernelSum(fx, fy, m, n, d, false);
        return xx / ((double) m * (m - 1)) + yy / ((double) n * (n - 1)) - 2 * xy / ((double) m * n);
    }

    /** The sum of k(a_i, b_j) over all pairs (i, j), or over i != j when {@code offDiagonal}. */
    private static double kernelSum(float[] a, float[] b, int m, int n, int d, boolean offDiagonal) {
        float[] dots = new float[m * n];
        Gemm.matmul(false, true, m, n, d, a, b, dots);
        double sum = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (offDiagonal && i == j) continue;
                double base = (double) dots[i * n + j] / d + 1;
                sum += base * base * base;
            }
        }
        return sum;
    }

    private static float[] flat(double[][] x, int d) {
        float[] out = new float[x.length * d];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != d) throw new IllegalArgumentException("vectors of " + x[i].length + " and " + d + " values");
            for (int k = 0; k < d; k++) out[i * d + k] = (float) x[i][k];
        }
        return out;
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
