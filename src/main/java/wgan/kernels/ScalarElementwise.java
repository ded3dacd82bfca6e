package wgan.kernels;

/** The plain-loop element-wise kernels: the path used without the Vector API, and vector tails. */
final class ScalarElementwise implements ElementwiseKernels {
    static final ScalarElementwise INSTANCE = new ScalarElementwise();

    @Override
    public void add(float[] a, float[] b, float[] out, int lo, int hi) {
        for (int i = lo; i < hi; i++) out[i] = a[i] + b[i];
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
        for (int i = lo; i < hi; i++) out[i] = (float) Math.tanh(x[i]);
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
    public void columnSums(float[] x, boolean squares, float[] acc, int rowLo, int rowHi) {
        int channels = acc.length;
        for (int r = rowLo; r < rowHi; r++) {
            for (int c = 0, i = r * channels; c < channels; c++, i++) acc[c] += squares ? x[i] * x[i] : x[i];
        }
    }
}
