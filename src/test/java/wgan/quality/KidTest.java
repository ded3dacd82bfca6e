package wgan.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** KID against a plain O(n^2) reference, and the properties of an unbiased MMD^2. */
class KidTest {
    static double[][] gaussian(Random rnd, int n, int d, double shift) {
        double[][] x = new double[n][d];
        for (double[] row : x) for (int j = 0; j < d; j++) row[j] = shift + rnd.nextGaussian();
        return x;
    }

    /** The definition read literally: every ordered pair, k written out as a power. */
    static double reference(double[][] x, double[][] y) {
        int m = x.length, n = y.length, d = x[0].length;
        double xx = 0, yy = 0, xy = 0;
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) if (i != j) xx += k(x[i], x[j], d);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) yy += k(y[i], y[j], d);
        for (double[] a : x) for (double[] b : y) xy += k(a, b, d);
        return xx / (m * (m - 1.0)) + yy / (n * (n - 1.0)) - 2 * xy / ((double) m * n);
    }

    static double k(double[] a, double[] b, int d) {
        double dot = 0;
        for (int j = 0; j < d; j++) dot += a[j] * b[j];
        return Math.pow(dot / d + 1, 3);
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void wholeSetsGiveTheReference(long seed) {
        Random rnd = new Random(seed);
        double[][] x = gaussian(rnd, 20 + (int) seed, 6, 0), y = gaussian(rnd, 20 + (int) seed, 6, 0.3 * seed);
        double expected = reference(x, y);
        Kid.Estimate e = Kid.between(x, y, 1);
        // The dot products are float32: about 1e-6 of the kernel's values.
        double tol = 1e-5 * (1 + Math.abs(expected));
        assertEquals(expected, e.mean(), tol);
        assertEquals(0, e.std());
        assertEquals(expected, Kid.mmd2(y, x), tol, "symmetric");
    }

    /** Sets of different sizes: KID is the mean of the reference over subsets, so near the whole sets' value. */
    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1, 2})
    void subsetsAverageNearTheWholeSetsValue(long seed) {
        Random rnd = new Random(seed);
        double[][] x = gaussian(rnd, Kid.SUBSET + 200, 4, 0), y = gaussian(rnd, Kid.SUBSET + 50, 4, 1);
        Kid.Estimate e = Kid.between(x, y, seed);
        double whole = Kid.mmd2(x, y);
        assertTrue(e.std() > 0, "subsets differ");
        assertEquals(whole, e.mean(), 3 * e.std() / Math.sqrt(Kid.SUBSETS) + 0.01 * whole);
    }

    /**
     * Unbiased: over many pairs of small sets from one distribution the mean is 0 (each value may
     * be negative), while sets whose means differ by 1 in each coordinate are far above that noise.
     */
    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1, 2})
    void sameDistributionAveragesZeroAndShiftsArePositive(long seed) {
        Random rnd = new Random(seed);
        double same = 0;
        int trials = 200;
        double[] values = new double[trials];
        for (int t = 0; t < trials; t++) {
            values[t] = Kid.mmd2(gaussian(rnd, 10, 3, 0), gaussian(rnd, 10, 3, 0));
            same += values[t] / trials;
        }
        double var = 0;
        for (double v : values) var += (v - same) * (v - same) / (trials - 1);
        assertEquals(0, same, 4 * Math.sqrt(var / trials), "unbiased: mean over trials");
        double shifted = Kid.mmd2(gaussian(rnd, 200, 3, 0), gaussian(rnd, 200, 3, 1));
        assertTrue(shifted > 10 * Math.sqrt(var), "a shift of 1 in each coordinate: " + shifted);
    }
}
