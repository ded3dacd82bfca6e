package wgan.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DiversityTest {
    @Test
    void meanPairwiseDistanceOfATriangle() {
        // Sides 3, 4, 5.
        double[][] x = {{0, 0}, {3, 0}, {0, 4}};
        assertEquals(4, Diversity.meanPairwiseDistance(x), 1e-12);
    }

    @Test
    void collapsedSamplesScoreZeroAndScaledOnesTheScale() {
        double[][] real = {{0, 0}, {3, 0}, {0, 4}, {1, 1}};
        double[][] collapsed = {{1, 2}, {1, 2}, {1, 2}};
        double[][] half = new double[real.length][];
        for (int i = 0; i < real.length; i++) half[i] = new double[] {real[i][0] / 2 + 7, real[i][1] / 2 - 1};
        assertEquals(0, Diversity.relative(collapsed, real), 1e-15);
        assertEquals(0.5, Diversity.relative(half, real), 1e-12);
        assertEquals(1, Diversity.relative(real, real), 1e-15);
    }
}
