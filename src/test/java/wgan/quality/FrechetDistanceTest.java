package wgan.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.quality.FrechetDistance.Statistics;

/** The Fréchet distance against closed forms, and its eigen-decomposition against its definition. */
class FrechetDistanceTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 5);
    }

    /** n vectors of d Gaussian values, column j scaled by scale[j] and shifted by shift[j]. */
    static double[][] gaussian(Random rnd, int n, double[] scale, double[] shift) {
        double[][] x = new double[n][scale.length];
        for (double[] row : x) for (int j = 0; j < scale.length; j++) row[j] = shift[j] + scale[j] * rnd.nextGaussian();
        return x;
    }

    static double[][] randomSymmetric(Random rnd, int n) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = i; j < n; j++) a[i][j] = a[j][i] = rnd.nextGaussian();
        return a;
    }

    /** A random positive semi-definite matrix X X^T / k, of rank min(k, n). */
    static double[][] randomCovariance(Random rnd, int n, int k) {
        double[][] x = new double[n][k];
        for (double[] row : x) for (int j = 0; j < k; j++) row[j] = rnd.nextGaussian();
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) c[i][j] += x[i][p] * x[j][p] / k;
        return c;
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void eigenDecompositionRebuildsTheMatrix(long seed) {
        Random rnd = new Random(seed);
        int n = 2 + (int) (seed * 7);
        double[][] a = randomSymmetric(rnd, n);
        SymmetricEigen e = SymmetricEigen.of(a);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double rebuilt = 0, orthogonal = 0;
                for (int k = 0; k < n; k++) {
                    rebuilt += e.vectors[i][k] * e.values[k] * e.vectors[j][k];
                    orthogonal += e.vectors[k][i] * e.vectors[k][j];
                }
                assertEquals(a[i][j], rebuilt, 1e-10, "V diag V^T [" + i + "][" + j + "]");
                assertEquals(i == j ? 1 : 0, orthogonal, 1e-12, "V^T V [" + i + "][" + j + "]");
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void squareRootSquaresToTheMatrix(long seed) {
        Random rnd = new Random(seed);
        int n = 3 + (int) seed * 5;
        // Rank n - 2: the root of a singular matrix too.
        double[][] c = randomCovariance(rnd, n, n - 2);
        double[][] root = SymmetricEigen.of(c).sqrtMatrix();
        double[][] square = FrechetDistance.multiply(root, root);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(c[i][j], square[i][j], 1e-9);
    }

    /**
     * Diagonal covariances commute, so (S1 S2)^(1/2) = diag(sqrt(a_j b_j)) and
     * d^2 = |mu1 - mu2|^2 + sum_j (sqrt(a_j) - sqrt(b_j))^2.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void diagonalCovariancesGiveTheClosedForm(long seed) {
        Random rnd = new Random(seed);
        int d = 4 + (int) seed;
        double[] mu1 = new double[d], mu2 = new double[d];
        double[][] s1 = new double[d][d], s2 = new double[d][d];
        double expected = 0;
        for (int j = 0; j < d; j++) {
            mu1[j] = rnd.nextGaussian();
            mu2[j] = rnd.nextGaussian();
            s1[j][j] = 0.1 + rnd.nextDouble() * 3;
            s2[j][j] = 0.1 + rnd.nextDouble() * 3;
            expected += Math.pow(mu1[j] - mu2[j], 2) + Math.pow(Math.sqrt(s1[j][j]) - Math.sqrt(s2[j][j]), 2);
        }
        double actual = FrechetDistance.between(new Statistics(mu1, s1, 10), new Statistics(mu2, s2, 10));
        assertEquals(expected, actual, 1e-10 * (1 + expected));
    }

    /** One set against itself moved by a vector delta: only the mean term is left, |delta|^2. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void shiftedSetIsItsShiftSquaredAway(long seed) {
        Random rnd = new Random(seed);
        int d = 8;
        double[] scale = new double[d], zero = new double[d];
        for (int j = 0; j < d; j++) scale[j] = 0.5 + rnd.nextDouble();
        double[][] x = gaussian(rnd, 200, scale, zero);
        double[] delta = new double[d];
        double expected = 0;
        double[][] y = new double[x.length][d];
        for (int j = 0; j < d; j++) {
            delta[j] = rnd.nextGaussian();
            expected += delta[j] * delta[j];
        }
        for (int i = 0; i < x.length; i++) for (int j = 0; j < d; j++) y[i][j] = x[i][j] + delta[j];
        assertEquals(0, FrechetDistance.between(x, x), 1e-9, "a set against itself");
        assertEquals(expected, FrechetDistance.between(x, y), 1e-9 * (1 + expected));
    }

    /**
     * Full covariances: symmetric in its arguments, and for the (commuting) pair S and c^2 S it is
     * Tr(S) (1 - c)^2 + |mu1 - mu2|^2, which tests the cross term with non-diagonal matrices.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void symmetricAndExactForScaledCovariances(long seed) {
        Random rnd = new Random(seed);
        int d = 12;
        double[][] s = randomCovariance(rnd, d, d + 3);
        double[][] t = randomCovariance(rnd, d, d - 4);
        double[] mu = new double[d], nu = new double[d];
        double meanTerm = 0, trace = 0;
        for (int j = 0; j < d; j++) {
            mu[j] = rnd.nextGaussian();
            nu[j] = rnd.nextGaussian();
            meanTerm += Math.pow(mu[j] - nu[j], 2);
            trace += s[j][j];
        }
        double c = 0.3 + rnd.nextDouble();
        double[][] scaled = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) scaled[i][j] = c * c * s[i][j];
        Statistics a = new Statistics(mu, s, 10), b = new Statistics(nu, scaled, 10), other = new Statistics(nu, t, 10);
        assertEquals(meanTerm + trace * (1 - c) * (1 - c), FrechetDistance.between(a, b), 1e-9 * (1 + meanTerm + trace));
        double ab = FrechetDistance.between(a, other), ba = FrechetDistance.between(other, a);
        // t is singular: the square root of its rounding-level eigenvalues (1e-16) is 1e-8, so
        // the two orders agree to about the root of double's precision, not to its last digits.
        assertEquals(ab, ba, 1e-7 * (1 + ab), "symmetric");
    }

    @Test
    void statisticsAreTheMeanAndUnbiasedCovariance() {
        Statistics s = Statistics.of(new double[][] {{1, 2}, {3, 0}, {5, 4}});
        assertEquals(3, s.mean()[0], 1e-15);
        assertEquals(2, s.mean()[1], 1e-15);
        // Deviations (-2, 0), (0, -2), (2, 2): sums of products 8, 4, 8 over n - 1 = 2.
        assertEquals(4, s.covariance()[0][0], 1e-15);
        assertEquals(2, s.covariance()[0][1], 1e-15);
        assertEquals(2, s.covariance()[1][0], 1e-15);
        assertEquals(4, s.covariance()[1][1], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Statistics.of(new double[][] {{1, 2}}));
    }
}
