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

    /** The path that runs: SIMD when the Vector API is loaded. */
    static final ElementwiseKernels K = Simd.AVAILABLE ? new VectorElementwise() : ScalarElementwise.INSTANCE;

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

    /** out = 0 everywhere, in parallel: a recycled array made like new. */
    public static void clear(float[] out) {
        chunks(out.length, CHUNK, (lo, hi) -> Arrays.fill(out, lo, hi, 0f));
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

    /** out[r, c] = x[r, c] * scale[c] + shift[c]. */
    public static void scaleShiftChannels(float[] x, float[] scale, float[] shift, float[] out) {
        chunks(rows(x, scale.length), rowGrain(scale.length), (lo, hi) -> K.scaleShiftChannels(x, scale, shift, out, lo, hi));
    }

    /**
     * out[r, c] = leakyRelu((x[r, c] + bias[c]) * scale[c] + shift[c], alpha), bias optional
     * (null): a bias, an affine map per channel and a (leaky) ReLU in one pass, with the roundings
     * of the three in turn.
     */
    public static void biasScaleShiftLeakyRelu(float[] x, float[] bias, float[] scale, float[] shift, float alpha, float[] out) {
        chunks(rows(x, scale.length), rowGrain(scale.length),
                (lo, hi) -> K.biasScaleShiftLeakyRelu(x, bias, scale, shift, alpha, out, lo, hi));
    }

    /** out[r, c] = g[r, c] * a[c] + x[r, c] * b[c] + shift[c]. */
    public static void mulAddChannels(float[] g, float[] a, float[] x, float[] b, float[] shift, float[] out) {
        chunks(rows(x, a.length), rowGrain(a.length), (lo, hi) -> K.mulAddChannels(g, a, x, b, shift, out, lo, hi));
    }

    /** A reduction of rows [rowLo, rowHi) into the accumulators acc[k][channels], which start at 0. */
    @FunctionalInterface
    private interface BlockSum {
        void run(float[][] acc, int rowLo, int rowHi);
    }

    /**
     * Runs body on each block of SUM_BLOCK_ROWS rows with its own {@code count} accumulators of
     * {@code channels}; returns them in block order. The blocks are fixed, so the result is the
     * same for any thread count.
     */
    private static float[][][] blockSums(int rows, int channels, int count, BlockSum body) {
        int blocks = (rows + SUM_BLOCK_ROWS - 1) / SUM_BLOCK_ROWS;
        float[][][] partial = new float[blocks][count][channels];
        Parallel.forEach(blocks, b -> body.run(partial[b], b * SUM_BLOCK_ROWS, b * SUM_BLOCK_ROWS + blockRows(rows, b)));
        return partial;
    }

    /** out = the sum of accumulator k over the blocks, added in block order. */
    private static void addBlocks(float[][][] partial, int k, float[] out) {
        Arrays.fill(out, 0f);
        for (float[][] p : partial) K.add(out, p[k], out, 0, out.length);
    }

    /** out[c] = sum over rows of x[r, c], with out.length channels. */
    public static void columnSums(float[] x, float[] out) {
        float[][][] partial = blockSums(rows(x, out.length), out.length, 1, (acc, lo, hi) -> K.columnSums(x, acc[0], lo, hi));
        addBlocks(partial, 0, out);
    }

    /**
     * sumG[c] = sum over rows of g[r, c] and sumGX[c] = sum over rows of g[r, c] * (x[r, c] - centre[c]),
     * with centre.length channels.
     */
    public static void columnSumsWithCentredProducts(float[] g, float[] x, float[] centre, float[] sumG, float[] sumGX) {
        float[][][] partial = blockSums(rows(x, centre.length), centre.length, 2,
                (acc, lo, hi) -> K.columnSumsWithCentredProducts(g, x, centre, acc[0], acc[1], lo, hi));
        addBlocks(partial, 0, sumG);
        addBlocks(partial, 1, sumGX);
    }

    /**
     * The mean and the biased variance of each column of x (mean.length channels), by a blocked
     * two-pass: each block of SUM_BLOCK_ROWS rows is summed, then the deviations from its float
     * mean m_b are summed, and squared and summed, while the block is still in cache (no
     * cancellation: the deviations are small where the values are large). The blocks are combined
     * exactly in double, in block order: with n_b rows, r_b and q_b the sums of the deviations and
     * of their squares, mean = sum over blocks of (n_b m_b + r_b) / rows, and with d_b = m_b - mean
     * the block adds q_b + 2 d_b r_b + n_b d_b^2 to the sum of (x - mean)^2.
     */
    public static void channelMoments(float[] x, float[] mean, float[] variance) {
        int channels = mean.length;
        int rows = rows(x, channels);
        float[][][] partial = blockSums(rows, channels, 4, (acc, lo, hi) -> blockMoments(x, acc, lo, hi));
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int b = 0; b < partial.length; b++) sum += blockRows(rows, b) * (double) partial[b][1][c] + partial[b][2][c];
            double m = sum / rows;
            double squares = 0;
            for (int b = 0; b < partial.length; b++) {
                double d = partial[b][1][c] - m;
                squares += partial[b][3][c] + 2 * d * partial[b][2][c] + blockRows(rows, b) * d * d;
            }
            mean[c] = (float) m;
            variance[c] = (float) (squares / rows);
        }
    }

    private static int blockRows(int rows, int block) {
        return Math.min(rows, (block + 1) * SUM_BLOCK_ROWS) - block * SUM_BLOCK_ROWS;
    }

    /** acc[0] = the block's column sums, acc[1] their means m_b, acc[2] and acc[3] the sums of x - m_b and (x - m_b)^2. */
    private static void blockMoments(float[] x, float[][] acc, int rowLo, int rowHi) {
        K.columnSums(x, acc[0], rowLo, rowHi);
        for (int c = 0; c < acc[1].length; c++) acc[1][c] = acc[0][c] / (rowHi - rowLo);
        K.columnDeviations(x, acc[1], acc[2], acc[3], rowLo, rowHi);
    }
}
