package wgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import wgan.tensor.Tensor;

/** Resize against values worked out by hand from TF2's half-pixel bilinear formula. */
class ResizeTest {

    @Test
    void twoByTwoToFourByFour() {
        // Per axis 2 -> 4: s = (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1].
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2, 1);
        float[] expected = {
            1.0f, 1.25f, 1.75f, 2.0f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3.0f, 3.25f, 3.75f, 4.0f};
        assertArrayEquals(expected, Resize.bilinear(x, 4, 4).data(), 1e-6f);
    }

    /** Source coordinate of output o, 28 -> 32, clamped to the image as TF's lo/hi clamping does. */
    private static double source28to32(int o) {
        return Math.min(Math.max((o + 0.5) * 28 / 32 - 0.5, 0), 27);
    }

    @Test
    void rampFrom28To32PerImageAndChannel() {
        // Bilinear interpolation reproduces a linear ramp exactly: image n, channel c holds
        // (n + 1) * (10 * row + col) + 1000 * c, so the output is the same ramp at the source coordinates.
        int n = 2, channels = 2;
        float[] x = new float[n * 28 * 28 * channels];
        for (int i = 0; i < n; i++)
            for (int r = 0; r < 28; r++)
                for (int col = 0; col < 28; col++)
                    for (int c = 0; c < channels; c++) x[((i * 28 + r) * 28 + col) * channels + c] = (i + 1) * (10 * r + col) + 1000 * c;
        float[] y = Resize.bilinear(Tensor.of(x, n, 28, 28, channels), 32, 32).data();
        for (int i = 0; i < n; i++)
            for (int r = 0; r < 32; r++)
                for (int col = 0; col < 32; col++)
                    for (int c = 0; c < channels; c++) {
                        double expected = (i + 1) * (10 * source28to32(r) + source28to32(col)) + 1000 * c;
                        assertEquals(expected, y[((i * 32 + r) * 32 + col) * channels + c], 1e-3,
                                "image " + i + " pixel " + r + "," + col + " channel " + c);
                    }
        // A few by hand: s(0) = -0.0625 -> 0; s(5) = 5.5 * 0.875 - 0.5 = 4.3125; s(31) = 27.0625 -> 27.
        assertEquals(4.3125f, y[(0 * 32 + 5) * channels], 1e-5f);
        assertEquals(43.125f, y[(5 * 32 + 0) * channels], 1e-5f);
        assertEquals(2 * 297f + 1000, y[((32 + 31) * 32 + 31) * channels + 1], 1e-3f);
    }

    @Test
    void shrinkingSamplesWithoutAveraging() {
        // 4 -> 2: s = (o + 0.5) * 2 - 0.5 = 0.5, 2.5: the mean of pixels 0, 1 and of 2, 3; no antialias.
        // 3 -> 2: s = (o + 0.5) * 1.5 - 0.5 = 0.25, 1.75.
        float[] x = new float[12];
        for (int k = 0; k < 12; k++) x[k] = k * k;  // not linear, so the weights show
        float[] y = Resize.bilinear(Tensor.of(x, 1, 4, 3, 1), 2, 2).data();
        float[] expected = new float[4];
        double[] sy = {0.5, 2.5}, sx = {0.25, 1.75};
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 2; c++) expected[r * 2 + c] = (float) bilinearByHand(x, 3, sy[r], sx[c]);
        assertArrayEquals(expected, y, 1e-4f);
    }

    /** The four-neighbour weighted sum at (sy, sx), for interior source coordinates. */
    private static double bilinearByHand(float[] x, int cols, double sy, double sx) {
        int r = (int) Math.floor(sy), c = (int) Math.floor(sx);
        double fy = sy - r, fx = sx - c;
        return (1 - fy) * ((1 - fx) * x[r * cols + c] + fx * x[r * cols + c + 1])
                + fy * ((1 - fx) * x[(r + 1) * cols + c] + fx * x[(r + 1) * cols + c + 1]);
    }

    @Test
    void sameSizeIsAnExactCopy() {
        Tensor x = random(new Random(1), 3, 5, 7, 2);
        Tensor y = Resize.bilinear(x, 5, 7);
        assertArrayEquals(x.shape(), y.shape());
        assertArrayEquals(x.data(), y.data(), 0f);
    }

    @Test
    void isLinear() {
        Random rnd = new Random(2);
        Tensor a = random(rnd, 2, 5, 7, 3), b = random(rnd, 2, 5, 7, 3);
        float[] mix = new float[a.size()];
        for (int k = 0; k < mix.length; k++) mix[k] = 2 * a.data()[k] - 3 * b.data()[k];
        float[] ra = Resize.bilinear(a, 3, 11).data(), rb = Resize.bilinear(b, 3, 11).data();
        float[] rmix = Resize.bilinear(Tensor.of(mix, 2, 5, 7, 3), 3, 11).data();
        for (int k = 0; k < rmix.length; k++) assertEquals(2 * ra[k] - 3 * rb[k], rmix[k], 1e-5f, "value " + k);
    }

    private static Tensor random(Random rnd, int... shape) {
        float[] data = new float[Tensor.sizeOf(shape)];
        for (int k = 0; k < data.length; k++) data[k] = (float) rnd.nextGaussian();
        return Tensor.of(data, shape);
    }

    @Test
    void squareResizeFromTheSampledPixelsOnlyIsBitwiseTheWholeResize() {
        Random rnd = new Random(11);
        for (int side = 1; side <= 70; side += 3) {
            for (int size : new int[] {1, 2, 5, 16, 32, 64}) {
                for (int channels : new int[] {1, 3}) {
                    float[] x = new float[side * side * channels];
                    for (int k = 0; k < x.length; k++) x[k] = rnd.nextFloat() * 255;
                    int s = side, c = channels;
                    float[] fromSampled = Resize.bilinearSquare(side, size, channels, sampled -> {
                        float[] picked = new float[sampled.length * sampled.length * c];
                        for (int r = 0; r < sampled.length; r++)
                            for (int col = 0; col < sampled.length; col++)
                                System.arraycopy(x, (sampled[r] * s + sampled[col]) * c, picked, (r * sampled.length + col) * c, c);
                        return picked;
                    });
                    String what = side + " -> " + size + ", " + channels + " channels";
                    assertArrayEquals(Resize.bilinear(Tensor.of(x, 1, side, side, channels), size, size).data(), fromSampled, what);
                }
            }
        }
    }

    @Test
    void squareResizeReadsAtMostTwoCoordinatesPerOutputPixel() {
        int[][] asked = new int[1][];
        Resize.bilinearSquare(10_000, 64, 1, sampled -> {
            asked[0] = sampled;
            return new float[sampled.length * sampled.length];
        });
        assertTrue(asked[0].length <= 128, asked[0].length + " coordinates");
        for (int k = 1; k < asked[0].length; k++) assertTrue(asked[0][k - 1] < asked[0][k], "ascending");
    }
}
