package wgan.kernels;

/** The plain-loop element-wise kernels: the path used without the Vector API, and vector tails. */
final class ScalarElementwise implements ElementwiseKernels {
    static final ScalarElementwise INSTANCE = new ScalarElementwise();

    @Override
    public void add(float[] a, float[] b, float[] out, int lo, int hi) {
        for (int i = lo; i < hi; i++) out[i] = a[i] + b[i];
    }

    @Override
    public void accumulate(float[] x, int from, float[] acc, int to, int n) {
        for (int i = 0; i < n; i++) acc[to + i] += x[from + i];
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int lo, int hi) {
        for (int i = lo; i < hi; i++) out[i] = a[i] * b[i];
    }

    @Override
    public void scaleShift(float[] x, float scale, float shift, float[] out, int lo, int hi) {
        for (int i = lo; i < hi; i++) out[i] = scale * x[i] + shift;
    }

    @Override
    public void leakyRelu(float[] x, float alpha, float[] out, int lo, int hi) {
        for (int i = lo; i < hi; i++) out[i] = x[i] > 0f ? x[i] : alpha * x[i];
    }

    @Override
    public void leakyReluBackward(float[] g, float[] x, float alpha, float[] out, int lo, int hi) {
        for (int i = lo; i < hi; i++) out[i] = x[i] > 0f ? g[i] : alpha * g[i];
    }

    @Override
    public void tanh(float[] x, float[] out, int lo, int hi) {
        for (int i = lo; i < hi; i++) out[i] = Tanh.of(x[i]);
    }

    @Override
    public void addBias(float[] x, float[] bias, float[] out, int rowLo, int rowHi) {
        int channels = bias.length;
        for (int r = rowLo; r < rowHi; r++) {
            for (int c = 0, i = r * channels; c < channels; c++, i++) out[i] = x[i] + bias[c];
        }
    }

    @Override
    public void mulChannels(float[] x, float[] s, float[] out, int rowLo, int rowHi) {
        int channels = s.length;
        for (int r = rowLo; r < rowHi; r++) {
            for (int c = 0, i = r * channels; c < channels; c++, i++) out[i] = x[i] * s[c];
        }
    }

    @Override
    public void scaleShiftChannels(float[] x, float[] scale, float[] shift, float[] out, int rowLo, int rowHi) {
        for (int r = rowLo; r < rowHi; r++) scaleShiftChannels(x, scale, shift, out, r * scale.length, 0, scale.length);
    }

    @Override
    public void biasScaleShiftLeakyRelu(float[] x, float[] bias, float[] scale, float[] shift, float alpha, float[] out,
                                        int rowLo, int rowHi) {
        for (int r = rowLo; r < rowHi; r++) biasScaleShiftLeakyRelu(x, bias, scale, shift, alpha, out, r * scale.length, 0, scale.length);
    }

    /** {@link #biasScaleShiftLeakyRelu} on channels [cLo, cHi) of the row that starts at {@code row}. */
    void biasScaleShiftLeakyRelu(float[] x, float[] bias, float[] scale, float[] shift, float alpha, float[] out,
                                 int row, int cLo, int cHi) {
        for (int c = cLo; c < cHi; c++) {
            float v = (bias == null ? x[row + c] : x[row + c] + bias[c]) * scale[c] + shift[c];
            out[row + c] = v > 0f ? v : alpha * v;
        }
    }

    /** {@link #scaleShiftChannels} on channels [cLo, cHi) of the row that starts at {@code row}. */
    void scaleShiftChannels(float[] x, float[] scale, float[] shift, float[] out, int row, int cLo, int cHi) {
        for (int c = cLo; c < cHi; c++) out[row + c] = x[row + c] * scale[c] + shift[c];
    }

    @Override
    public void mulAddChannels(float[] g, float[] a, float[] x, float[] b, float[] shift, float[] out, int rowLo, int rowHi) {
        for (int r = rowLo; r < rowHi; r++) mulAddChannels(g, a, x, b, shift, out, r * a.length, 0, a.length);
    }

    /** {@link #mulAddChannels} on channels [cLo, cHi) of the row that starts at {@code row}. */
    void mulAddChannels(float[] g, float[] a, float[] x, float[] b, float[] shift, float[] out, int row, int cLo, int cHi) {
        for (int c = cLo; c < cHi; c++) out[row + c] = g[row + c] * a[c] + (x[row + c] * b[c] + shift[c]);
    }

    @Override
    public void columnSums(float[] x, float[] acc, int rowLo, int rowHi) {
        for (int r = rowLo; r < rowHi; r++) columnSums(x, acc, r * acc.length, 0, acc.length);
    }

    /** {@link #columnSums} of channels [cLo, cHi) of the row that starts at {@code row}. */
    void columnSums(float[] x, float[] acc, int row, int cLo, int cHi) {
        for (int c = cLo; c < cHi; c++) acc[c] += x[row + c];
    }

    @Override
    public void columnDeviations(float[] x, float[] centre, float[] sum, float[] squares, int rowLo, int rowHi) {
        for (int r = rowLo; r < rowHi; r++) columnDeviations(x, centre, sum, squares, r * centre.length, 0, centre.length);
    }

    /** {@link #columnDeviations} of channels [cLo, cHi) of the row that starts at {@code row}. */
    void columnDeviations(float[] x, float[] centre, float[] sum, float[] squares, int row, int cLo, int cHi) {
        for (int c = cLo; c < cHi; c++) {
            float d = x[row + c] - centre[c];
            sum[c] += d;
            squares[c] += d * d;
        }
    }

    @Override
    public void columnSumsWithCentredProducts(float[] g, float[] x, float[] centre, float[] sumG, float[] sumGX,
                                              int rowLo, int rowHi) {
        int channels = centre.length;
        for (int r = rowLo; r < rowHi; r++) columnSumsWithCentredProducts(g, x, centre, sumG, sumGX, r * channels, 0, channels);
    }

    /** {@link #columnSumsWithCentredProducts} of channels [cLo, cHi) of the row that starts at {@code row}. */
    void columnSumsWithCentredProducts(float[] g, float[] x, float[] centre, float[] sumG, float[] sumGX,
                                       int row, int cLo, int cHi) {
        for (int c = cLo; c < cHi; c++) {
            sumG[c] += g[row + c];
            sumGX[c] += g[row + c] * (x[row + c] - centre[c]);
        }
    }

    @Override
    public void linearCombinations(float[] coefficients, int inputs, float[] x, int from, int fromStride,
                                   float[] out, int to, int toStride, int n) {
        for (int row = 0; row < coefficients.length; row += inputs) {
            int first = firstNonZero(coefficients, row, inputs), o = to + row / inputs * toStride;
            for (int c = 0; c < n; c++) {
                float acc = first < 0 ? 0f : coefficients[row + first] * x[from + first * fromStride + c];
                for (int j = first + 1; j < inputs && first >= 0; j++) {
                    float m = coefficients[row + j];
                    if (m != 0f) acc = Math.fma(m, x[from + j * fromStride + c], acc);
                }
                out[o + c] = acc;
            }
        }
    }

    @Override
    public void winogradData2x2(float[] d, int from, int rowStride, int colStride, float[] v, int to, int positionStride, int n) {
        for (int c = 0; c < n; c++) {
            int at = from + c;
            float[] e = new float[9];
            for (int j = 0; j < 3; j++) {
                float d0 = d[at + j * colStride], d1 = d[at + rowStride + j * colStride], d2 = d[at + 2 * rowStride + j * colStride];
                e[j] = d0 - d1;
                e[3 + j] = d1;
                e[6 + j] = d2 - d1;
            }
            for (int r = 0; r < 3; r++) {
                int o = to + 3 * r * positionStride + c;
                v[o] = e[3 * r] - e[3 * r + 1];
                v[o + positionStride] = e[3 * r + 1];
                v[o + 2 * positionStride] = e[3 * r + 2] - e[3 * r + 1];
            }
        }
    }

    @Override
    public void winogradOutput2x2(float[] m, int from, int positionStride, float[] y, int to, int rowStride, int colStride, int n) {
        for (int c = 0; c < n; c++) {
            float[] z = new float[6];
            for (int r = 0; r < 3; r++) {
                int at = from + 3 * r * positionStride + c;
                float m1 = m[at + positionStride];
                z[2 * r] = m[at] + m1;
                z[2 * r + 1] = m1 + m[at + 2 * positionStride];
            }
            for (int b = 0; b < 2; b++) {
                y[to + b * colStride + c] = z[b] + z[2 + b];
                y[to + rowStride + b * colStride + c] = z[2 + b] + z[4 + b];
            }
        }
    }

    @Override
    public void winogradGradient2x2(float[] dy, int from, int rowStride, int colStride, float[] m, int to, int positionStride, int n) {
        float[] z = new float[6];
        for (int c = 0; c < n; c++) {
            for (int a = 0; a < 2; a++) {
                int at = from + a * rowStride + c;
                float d0 = dy[at], d1 = dy[at + colStride];
                z[3 * a] = d0;
                z[3 * a + 1] = d0 + d1;
                z[3 * a + 2] = d1;
            }
            for (int j = 0; j < 3; j++) {
                int o = to + j * positionStride + c;
                m[o] = z[j];
                m[o + 3 * positionStride] = z[j] + z[3 + j];
                m[o + 6 * positionStride] = z[3 + j];
            }
        }
    }

    /** The first j with m[row + j] != 0, or -1. */
    static int firstNonZero(float[] m, int row, int inputs) {
        for (int j = 0; j < inputs; j++) if (m[row + j] != 0f) return j;
        return -1;
    }
}
