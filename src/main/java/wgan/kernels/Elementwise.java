package wgan.kernels;

import java.util.Arrays;

/**
 * Element-wise and per-channel kernels on raw {@code float[]}: the hot non-GEMM work of the
 * layers and their gradients. Each runs the Vector API path when {@link Simd#AVAILABLE} and the
 * scalar path otherwise. Big arrays are split into fixed chunks run by {@link Parallel}; chunks
 * write disjoint outputs, and column sums reduce fixed blocks of rows in a fixed order, so every
 * result is bitwise identical for any thread count.
 *
 * <p>Per-channel kernels view an array as rows x channels (NHWC: rows = every pixel of every
 * image), with the channel count given by the length of the per-channel array. {@code out} may
 * be the same array as an input.
 */
public final class Elementwise {
    /** Elements per parallel task. */
    static final int CHUNK = 1 << 15;
    /** Rows per partial column sum: fixed, so the reduction order never depends on threads. */
    static final int SUM_BLOCK_ROWS = 256;

    private static final ElementwiseKernels K = Simd.AVAILABLE ? new VectorElementwise() : ScalarElementwise.INSTANCE;

    private Elementwise() {}

    @FunctionalInterface
    private interface RangeBody {
        void run(int lo, int hi);
    }

    /** Runs body over [0, n) in chunks of {@code grain}, in parallel when there are several. */
    private static void chunks(int n, int grain, RangeBody body) {
        int count = (n + grain - 1) / grain;
        Parallel.forEach(count, c -> body.run(c * grain, Math.min(n, (c + 1) * grain)));
    }

    private static int rowGrain(int channels) {
        return Math.max(1, CHUNK / Math.max(1, channels));
    }

    private static int rows(float[] x, int channels) {
        if (channels < 1 || x.length % channels != 0) {
            throw new IllegalArgumentException(x.length + " values are not rows of " + channels + " channels");
        }
        return x.length / channels;
    }

    /** out = a + b. */
    public static void add(float[] a, float[] b, float[] out) {
        chunks(out.length, CHUNK, (lo, hi) -> K.add(a, b, out, lo, hi));
    }

    /** out = a * b. */
    public static void mul(float[] a, float[] b, float[] out) {
        chunks(out.length, CHUNK, (lo, hi) -> K.mul(a, b, out, lo, hi));
    }

    /** out = scale * x + shift. */
    public static void scaleShift(float[] x, float scale, float shift, float[] out) {
        chunks(out.length, CHUNK, (lo, hi) -> K.scaleShift(x, scale, shift, out, lo, hi));
    }

    /** out = x > 0 ? x : alpha * x (alpha = 0 is the ReLU). */
    public static void leakyRelu(float[] x, float alpha, float[] out) {
        chunks(out.length, CHUNK, (lo, hi) -> K.leakyRelu(x, alpha, out, lo, hi));
    }

    /** out = g * (x > 0 ? 1 : alpha): the gradient of the leaky ReLU at x applied to g. */
    public static void leakyReluBackward(float[] g, float[] x, float alpha, float[] out) {
        chunks(out.length, CHUNK, (lo, hi) -> K.leakyReluBackward(g, x, alpha, out, lo, hi));
    }

    /** out = tanh(x). */
    public static void tanh(float[] x, float[] out) {
        chunks(out.length, CHUNK, (lo, hi) -> K.tanh(x, out, lo, hi));
    }

    /** out[r, c] = x[r, c] + bias[c]. */
    public static void addBias(float[] x, float[] bias, float[] out) {
        chunks(rows(x, bias.length), rowGrain(bias.length), (lo, hi) -> K.addBias(x, bias, out, lo, hi));
    }

    /** out[r, c] = x[r, c] * s[c]. */
    public static void mulChannels(float[] x, float[] s, float[] out) {
        chunks(rows(x, s.length), rowGrain(s.length), (lo, hi) -> K.mulChannels(x, s, out, lo, hi));
    }

    /** out[c] = sum over rows of x[r, c], with out.length channels. */
    public static void columnSums(float[] x, float[] out) {
        columnSums(x, false, out);
    }

    /** out[c] = sum over rows of x[r, c]^2, with out.length channels. */
    public static void columnSumsOfSquares(float[] x, float[] out) {
        columnSums(x, true, out);
    }

    /** Each block of SUM_BLOCK_ROWS rows is summed by one task; the blocks are added in order. */
    private static void columnSums(float[] x, boolean squares, float[] out) {
        int channels = out.length;
        int rows = rows(x, channels);
        int blocks = (rows + SUM_BLOCK_ROWS - 1) / SUM_BLOCK_ROWS;
        float[][] partial = new float[blocks][channels];
        Parallel.forEach(blocks, b -> K.columnSums(x, squares, partial[b], b * SUM_BLOCK_ROWS,
                Math.min(rows, (b + 1) * SUM_BLOCK_ROWS)));
        Arrays.fill(out, 0f);
        for (float[] p : partial) K.add(out, p, out, 0, channels);
    }
}
