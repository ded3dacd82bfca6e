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

    /**
     * out[r, c] = leakyRelu((x[r, c] + bias[c]) * scale[c] + shift[c], alpha), bias optional (null):
     * {@link #addBias}, {@link #scaleShiftChannels} and {@link #leakyRelu} in one pass, with the
     * same roundings as the three in turn.
     */
    void biasScaleShiftLeakyRelu(float[] x, float[] bias, float[] scale, float[] shift, float alpha, float[] out,
                                 int rowLo, int rowHi);

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

    /**
     * The data transform of F(2x2, 2x2), V = B^T d B, for a 3 x 3 window of n channels, both
     * passes at once: with d[r][j] = d[from + r*rowStride + j*colStride + c], first
     * e[r][j] = (B^T d)[r][j] = (d[0][j] - d[1][j], d[1][j], d[2][j] - d[1][j]) down each column,
     * then v[to + (3r + s)*positionStride + c] = (e[r][0] - e[r][1], e[r][1], e[r][2] - e[r][1])
     * along each row. The same roundings as two {@link #linearCombinations} passes with
     * {@link WinogradTransform#F2}'s B^T, whose coefficients are 1, -1 and 0.
     */
    void winogradData2x2(float[] d, int from, int rowStride, int colStride, float[] v, int to, int positionStride, int n);

    /**
     * The output transform of F(2x2, 2x2), Y = A^T M A, for a 3 x 3 tile of n channels, both
     * passes at once: with m[r][j] = m[from + (3r + j)*positionStride + c], first
     * z[r][b] = (m[r][0] + m[r][1], m[r][1] + m[r][2]) along each row, then
     * y[to + a*rowStride + b*colStride + c] = (z[0][b] + z[1][b], z[1][b] + z[2][b]) down each
     * column. The same roundings as two {@link #linearCombinations} passes with F2's A^T.
     */
    void winogradOutput2x2(float[] m, int from, int positionStride, float[] y, int to, int rowStride, int colStride, int n);

    /**
     * The adjoint of {@link #winogradOutput2x2}, dM = A dY A^T, for a 2 x 2 block of n channels,
     * both passes at once: with d[a][b] = dy[from + a*rowStride + b*colStride + c], first
     * z[a][j] = (d[a][0], d[a][0] + d[a][1], d[a][1]) along each row, then
     * m[to + (3r + j)*positionStride + c] = (z[0][j], z[0][j] + z[1][j], z[1][j]) down each
     * column. The same roundings as two {@link #linearCombinations} passes with the transpose of
     * F2's A^T.
     */
    void winogradGradient2x2(float[] dy, int from, int rowStride, int colStride, float[] m, int to, int positionStride, int n);
}
