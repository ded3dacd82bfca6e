package wgan.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RngTest {
    private static final int N = 200_000;

    /** Draws a mix of every kind of value, so a restore must carry the Gaussian spare too. */
    private static double[] draw(Rng r) {
        double[] out = new double[64];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (i % 4) {
                case 0 -> r.nextGaussian();
                case 1 -> r.nextFloat();
                case 2 -> r.nextInt(1000);
                default -> r.nextLong();
            };
        }
        return out;
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {0, 1, 42, -7, Long.MAX_VALUE})
    void restoreContinuesExactly(long seed) {
        Rng r = new Rng(seed);
        r.nextGaussian(); // leaves a spare Gaussian in the state
        long[] saved = r.state();
        double[] first = draw(r);
        assertArrayEquals(first, draw(Rng.fromState(saved)));
        r.restore(saved);
        assertArrayEquals(first, draw(r));
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {3, 99})
    void gaussianMoments(long seed) {
        float[] x = new float[N];
        new Rng(seed).fillGaussian(x, 2f, 3f);
        double[] m = moments(x);
        // Standard errors: mean 3/sqrt(N) = 0.0067, std about 3/sqrt(2N) = 0.0047; allow ~5 of them.
        assertEquals(2.0, m[0], 0.035);
        assertEquals(3.0, m[1], 0.025);
        // Fourth standardised moment of a normal is 3 (standard error about sqrt(96/N) = 0.022).
        assertEquals(3.0, m[2], 0.12);
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {5, 1234})
    void uniformMomentsAndRange(long seed) {
        float[] x = new float[N];
        new Rng(seed).fillUniform(x, -1f, 3f);
        for (float v : x) assertTrue(v >= -1f && v < 3f, "out of range: " + v);
        double[] m = moments(x);
        // U[-1,3): mean 1, std 4/sqrt(12) = 1.1547; standard error of the mean 0.0026.
        assertEquals(1.0, m[0], 0.015);
        assertEquals(4 / Math.sqrt(12), m[1], 0.01);
    }

    @Test
    void nextIntCoversBoundUniformly() {
        Rng r = new Rng(11);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[r.nextInt(7)]++;
        // Each count is Binomial(70000, 1/7): mean 10000, sd 92.6.
        for (int c : counts) assertEquals(10_000, c, 500, Arrays.toString(counts));
    }

    @Test
    void seedsAndStreamsDiffer() {
        assertNotEquals(new Rng(1).nextLong(), new Rng(2).nextLong());
        Rng parent = new Rng(1);
        long[] before = parent.state();
        long a = parent.fork(0).nextLong();
        long b = parent.fork(1).nextLong();
        assertNotEquals(a, b);
        assertArrayEquals(before, parent.state(), "fork must not advance the parent");
        assertEquals(a, parent.fork(0).nextLong(), "forks are reproducible");
    }

    @Test
    void shuffleIsAPermutation() {
        int[] a = new int[100];
        Arrays.setAll(a, i -> i);
        new Rng(8).shuffle(a);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
        assertTrue(Arrays.mismatch(a, sorted) >= 0, "a shuffle of 100 should move something");
    }

    /** Mean, standard deviation, and fourth standardised moment. */
    private static double[] moments(float[] x) {
        double mean = 0;
        for (float v : x) mean += v;
        mean /= x.length;
        double m2 = 0, m4 = 0;
        for (float v : x) {
            double d = v - mean;
            m2 += d * d;
            m4 += d * d * d * d;
        }
        m2 /= x.length;
        m4 /= x.length;
        return new double[] {mean, Math.sqrt(m2), m4 / (m2 * m2)};
    }
}
