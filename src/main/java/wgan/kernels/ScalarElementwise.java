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

    /** The first j with m[row + j] != 0, or -1. */
    static int firstNonZero(float[] m, int row, int inputs) {
        for (int j = 0; j < inputs; j++) if (m[row + j] != 0f) return j;
        return -1;
    }
}
