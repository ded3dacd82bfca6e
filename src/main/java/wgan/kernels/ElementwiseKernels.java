package wgan.kernels;

/**
 * The element-wise kernels over one range, implemented by a scalar path ({@link ScalarElementwise})
 * and a Vector API path ({@code VectorElementwise}). {@link Elementwise} splits the work into
 * ranges and picks the path. Element ranges are [lo, hi); per-channel kernels take whole rows
 * [rowLo, rowHi) of a rows x channels matrix whose channel count is {@code bias.length} (or
 * {@code acc.length}).
 */
interface ElementwiseKernels {
    /** out = a + b. */
    void add(float[] a, float[] b, float[] out, int lo, int hi);

    /** acc[to + i] += x[from + i] for i &lt; n: one shifted row added to another. */
    void accumulate(float[] x, int from, float[] acc, int to, int n);

    /** out = a * b. */
    void mul(float[] a, float[] b, float[] out, int lo, int hi);

    /** out = scale * x + shift. */
    void scaleShift(float[] x, float scale, float shift, float[] out, int lo, int hi);

    /** out = x > 0 ? x : alpha * x. */
    void leakyRelu(float[] x, float alpha, float[] out, int lo, int hi);

    /** out = g * (x > 0 ? 1 : alpha): the leaky ReLU's derivative applied to g. */
    void leakyReluBackward(float[] g, float[] x, float alpha, float[] out, int lo, int hi);

    /** out = tanh(x). */
    void tanh(float[] x, float[] out, int lo, int hi);

    /** out[r, c] = x[r, c] + bias[c]. */
    void addBias(float[] x, float[] bias, float[] out, int rowLo, int rowHi);

    /** out[r, c] = x[r, c] * s[c]. */
    void mulChannels(float[] x, float[] s, float[] out, int rowLo, int rowHi);

    /** out[r, c] = x[r, c] * scale[c] + shift[c]. */
    void scaleShiftChannels(float[] x, float[] scale, float[] shift, float[] out, int rowLo, int rowHi);

    /** out[r, c] = g[r, c] * a[c] + x[r, c] * b[c] + shift[c]. */
    void mulAddChannels(float[] g, float[] a, float[] x, float[] b, float[] shift, float[] out, int rowLo, int rowHi);

    /** acc[c] += sum over rows r of x[r, c], rows in order. */
    void columnSums(float[] x, float[] acc, int rowLo, int rowHi);

    /** With d = x[r, c] - centre[c]: sum[c] += the sum of d and squares[c] += the sum of d^2 over rows r, in order. */
    void columnDeviations(float[] x, float[] centre, float[] sum, float[] squares, int rowLo, int rowHi);

    /** sumG[c] += sum of g[r, c] and sumGX[c] += sum of g[r, c] * (x[r, c] - centre[c]), rows in order. */
    void columnSumsWithCentredProducts(float[] g, float[] x, float[] centre, float[] sumG, float[] sumGX,
                                       int rowLo, int rowHi);

    /**
     * Small matrix times a column of channel rows, channel by channel (the 1-D transforms of
     * {@link Winograd}): with x_j = x[from + j*fromStride + c] and m = coefficients (row-major,
     * {@code inputs} columns), out[to + i*toStride + c] = sum_j m[i][j] * x_j for c &lt; n.
     * Zero coefficients are skipped; the first term is a product and each later one a fused
     * multiply-add, in order of j, so a coefficient of 1 or -1 costs no rounding: (x0 - x1) is
     * rounded once, as written.
     */
    void linearCombinations(float[] coefficients, int inputs, float[] x, int from, int fromStride,
                            float[] out, int to, int toStride, int n);
}
