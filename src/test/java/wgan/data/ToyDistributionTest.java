package wgan.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The toy distributions' statistics against the parameters their javadoc states: where the modes
 * are, how many points each gets, how far points spread around them, and the Swiss roll's radii.
 */
class ToyDistributionTest {
    private static final int N = 80_000;

    /** Per mode: count, mean x, mean y, and the spread (standard deviation) of x and y about the mode's own mean. */
    private static double[][] modeStatistics(Tensor points, double[][] centres) {
        double[][] s = new double[centres.length][5];
        float[] xy = points.data();
        for (int i = 0; i < xy.length; i += 2) {
            int nearest = 0;
            for (int k = 1; k < centres.length; k++) {
                if (Math.hypot(xy[i] - centres[k][0], xy[i + 1] - centres[k][1])
                        < Math.hypot(xy[i] - centres[nearest][0], xy[i + 1] - centres[nearest][1])) nearest = k;
            }
            s[nearest][0]++;
            s[nearest][1] += xy[i];
            s[nearest][2] += xy[i + 1];
            s[nearest][3] += (double) xy[i] * xy[i];
            s[nearest][4] += (double) xy[i + 1] * xy[i + 1];
        }
        for (double[] m : s) {
            m[1] /= m[0];
            m[2] /= m[0];
            m[3] = Math.sqrt(m[3] / m[0] - m[1] * m[1]);
            m[4] = Math.sqrt(m[4] / m[0] - m[2] * m[2]);
        }
        return s;
    }

    private static void assertModes(Tensor points, double[][] centres, double spread) {
        double[][] stats = modeStatistics(points, centres);
        double expectedCount = (double) N / centres.length;
        for (int k = 0; k < centres.length; k++) {
            double[] m = stats[k];
            // Binomial counts: 5 standard deviations.
            assertEquals(expectedCount, m[0], 5 * Math.sqrt(expectedCount), "points of mode " + k);
            // The mean of ~3,000-10,000 points is within a few spread / sqrt(count) of the centre.
            assertEquals(centres[k][0], m[1], 5 * spread / Math.sqrt(m[0]), "mode " + k + " x");
            assertEquals(centres[k][1], m[2], 5 * spread / Math.sqrt(m[0]), "mode " + k + " y");
            assertEquals(spread, m[3], 0.05 * spread, "mode " + k + " spread in x");
            assertEquals(spread, m[4], 0.05 * spread, "mode " + k + " spread in y");
        }
    }

    @Test
    void eightGaussiansSitOnTheCircleOfRadius1414WithSpread00141() {
        double[][] centres = new double[8][];
        for (int k = 0; k < 8; k++) centres[k] = new double[] {2 * Math.cos(k * Math.PI / 4) / 1.414, 2 * Math.sin(k * Math.PI / 4) / 1.414};
        assertModes(ToyDistribution.EIGHT_GAUSSIANS.sample(N, new Rng(1)), centres, 0.02 / 1.414);
    }

    @Test
    void twentyFiveGaussiansSitOnA5x5GridWithSpread00177() {
        double[][] centres = new double[25][];
        for (int k = 0; k < 25; k++) centres[k] = new double[] {2 * (k % 5 - 2) / 2.828, 2 * (k / 5 - 2) / 2.828};
        assertModes(ToyDistribution.TWENTY_FIVE_GAUSSIANS.sample(N, new Rng(2)), centres, 0.05 / 2.828);
    }

    /**
     * A point at parameter t lies at radius about t / 7.5 with t uniform in [1.5 pi, 4.5 pi]: radii
     * uniform from 0.628 to 1.885 (mean 1.257, standard deviation 1.257 / sqrt(12) = 0.363),
     * and at the angle t, so the angle of a point follows from its radius.
     */
    @Test
    void theSwissRollsRadiiAreUniformAndItsAnglesFollowThem() {
        float[] xy = ToyDistribution.SWISS_ROLL.sample(N, new Rng(3)).data();
        double sum = 0, squares = 0, angleError = 0;
        for (int i = 0; i < xy.length; i += 2) {
            double r = Math.hypot(xy[i], xy[i + 1]);
            sum += r;
            squares += r * r;
            assertTrue(r > 0.5 && r < 2.05, "radius " + r);
            // t from the radius, then the angle t should have: the noise's 0.033 along the radius moves t by 7.5 times that.
            double t = 7.5 * r, expected = Math.atan2(Math.sin(t), Math.cos(t)), actual = Math.atan2(xy[i + 1], xy[i]);
            double d = Math.abs(expected - actual);
            angleError += Math.min(d, 2 * Math.PI - d);
        }
        double mean = sum / N, std = Math.sqrt(squares / N - mean * mean);
        assertEquals(3 * Math.PI / 7.5, mean, 0.005);
        assertEquals(3 * Math.PI / 7.5 / Math.sqrt(12), std, 0.005);
        // 0.2 from the noise; angles unrelated to the radii would be pi / 2 off on average.
        assertTrue(angleError / N < 0.3, "mean angle error " + angleError / N);
    }

    @ParameterizedTest
    @EnumSource(ToyDistribution.class)
    void theSameRngStateDrawsTheSamePointsAsOneImagePerPoint(ToyDistribution toy) {
        Tensor a = toy.sample(100, new Rng(9)), b = toy.sample(100, new Rng(9));
        assertArrayEquals(new int[] {100, 1, 1, 2}, a.shape());
        assertArrayEquals(a.data(), b.data());
    }
}
