package wgan.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API element-wise kernels: full vectors over the body of each range (or row), the
 * scalar kernels over the tail. Loaded only when {@link Simd#AVAILABLE}.
 */
final class VectorElementwise implements ElementwiseKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ScalarElementwise TAIL = ScalarElementwise.INSTANCE;

    private static int bodyEnd(int lo, int hi) {
        return lo + S.loopBound(hi - lo);
    }

    private static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(S, a, i);
    }

    @Override
    public void add(float[] a, float[] b, float[] out, int lo, int hi) {
        int end = bodyEnd(lo, hi);
        for (int i = lo; i < end; i += S.length()) load(a, i).add(load(b, i)).intoArray(out, i);
        TAIL.add(a, b, out, end, hi);
    }

    @Override
    public void accumulate(float[] x, int from, float[] acc, int to, int n) {
        int end = bodyEnd(0, n);
        for (int i = 0; i < end; i += S.length()) load(acc, to + i).add(load(x, from + i)).intoArray(acc, to + i);
        TAIL.accumulate(x, from + end, acc, to + end, n - end);
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int lo, int hi) {
        int end = bodyEnd(lo, hi);
        for (int i = lo; i < end; i += S.length()) load(a, i).mul(load(b, i)).intoArray(out, i);
        TAIL.mul(a, b, out, end, hi);
    }

    @Override
    public void scaleShift(float[] x, float scale, float shift, float[] out, int lo, int hi) {
        int end = bodyEnd(lo, hi);
        for (int i = lo; i < end; i += S.length()) load(x, i).fma(scale, shift).intoArray(out, i);
        TAIL.scaleShift(x, scale, shift, out, end, hi);
    }

    @Override
    public void leakyRelu(float[] x, float alpha, float[] out, int lo, int hi) {
        int end = bodyEnd(lo, hi);
        for (int i = lo; i < end; i += S.length()) {
            FloatVector v = load(x, i);
            v.blend(v.mul(alpha), v.compare(VectorOperators.LE, 0f)).intoArray(out, i);
        }
        TAIL.leakyRelu(x, alpha, out, end, hi);
    }

    @Override
    public void leakyReluBackward(float[] g, float[] x, float alpha, float[] out, int lo, int hi) {
        int end = bodyEnd(lo, hi);
        for (int i = lo; i < end; i += S.length()) {
            FloatVector v = load(g, i);
            VectorMask<Float> notPositive = load(x, i).compare(VectorOperators.LE, 0f);
            v.blend(v.mul(alpha), notPositive).intoArray(out, i);
        }
        TAIL.leakyReluBackward(g, x, alpha, out, end, hi);
    }

    @Override
    public void tanh(float[] x, float[] out, int lo, int hi) {
        int end = bodyEnd(lo, hi);
        for (int i = lo; i < end; i += S.length()) tanh(load(x, i)).intoArray(out, i);
        TAIL.tanh(x, out, end, hi);
    }

    /**
     * {@link Tanh}'s rational function, lane by lane, in the same operations as the scalar path.
     * Not VectorOperators.TANH: compiled, it calls an intrinsic whose rounding differs from the
     * Math.tanh fallback the interpreter uses, so results would depend on when the JIT kicks in.
     */
    private static FloatVector tanh(FloatVector v) {
        FloatVector x = v.max(-Tanh.CLAMP).min(Tanh.CLAMP);
        FloatVector x2 = x.mul(x);
        FloatVector p = FloatVector.broadcast(S, Tanh.A[0]);
        for (int k = 1; k < Tanh.A.length; k++) p = p.fma(x2, FloatVector.broadcast(S, Tanh.A[k]));
        FloatVector q = FloatVector.broadcast(S, Tanh.B[0]);
        for (int k = 1; k < Tanh.B.length; k++) q = q.fma(x2, FloatVector.broadcast(S, Tanh.B[k]));
        return x.mul(p).div(q);
    }

    @Override
    public void addBias(float[] x, float[] bias, float[] out, int rowLo, int rowHi) {
        int channels = bias.length;
        int end = S.loopBound(channels);
        for (int r = rowLo; r < rowHi; r++) {
            int row = r * channels;
            for (int c = 0; c < end; c += S.length()) load(x, row + c).add(load(bias, c)).intoArray(out, row + c);
            for (int c = end; c < channels; c++) out[row + c] = x[row + c] + bias[c];
        }
    }

    @Override
    public void mulChannels(float[] x, float[] s, float[] out, int rowLo, int rowHi) {
        int channels = s.length;
        int end = S.loopBound(channels);
        for (int r = rowLo; r < rowHi; r++) {
            int row = r * channels;
            for (int c = 0; c < end; c += S.length()) load(x, row + c).mul(load(s, c)).intoArray(out, row + c);
            for (int c = end; c < channels; c++) out[row + c] = x[row + c] * s[c];
        }
    }

    @Override
    public void scaleShiftChannels(float[] x, float[] scale, float[] shift, float[] out, int rowLo, int rowHi) {
        int channels = scale.length;
        int end = S.loopBound(channels);
        for (int r = rowLo; r < rowHi; r++) {
            int row = r * channels;
            for (int c = 0; c < end; c += S.length()) {
                load(x, row + c).fma(load(scale, c), load(shift, c)).intoArray(out, row + c);
            }
            TAIL.scaleShiftChannels(x, scale, shift, out, row, end, channels);
        }
    }

    @Override
    public void mulAddChannels(float[] g, float[] a, float[] x, float[] b, float[] shift, float[] out, int rowLo, int rowHi) {
        int channels = a.length;
        int end = S.loopBound(channels);
        for (int r = rowLo; r < rowHi; r++) {
            int row = r * channels;
            for (int c = 0; c < end; c += S.length()) {
                FloatVector xbs = load(x, row + c).fma(load(b, c), load(shift, c));
                load(g, row + c).fma(load(a, c), xbs).intoArray(out, row + c);
            }
            TAIL.mulAddChannels(g, a, x, b, shift, out, row, end, channels);
        }
    }

    @Override
    public void columnSums(float[] x, float[] acc, int rowLo, int rowHi) {
        int channels = acc.length;
        int end = S.loopBound(channels);
        for (int r = rowLo; r < rowHi; r++) {
            int row = r * channels;
            for (int c = 0; c < end; c += S.length()) load(acc, c).add(load(x, row + c)).intoArray(acc, c);
            TAIL.columnSums(x, acc, row, end, channels);
        }
    }

    @Override
    public void columnDeviations(float[] x, float[] centre, float[] sum, float[] squares, int rowLo, int rowHi) {
        int channels = centre.length;
        int end = S.loopBound(channels);
        for (int r = rowLo; r < rowHi; r++) {
            int row = r * channels;
            for (int c = 0; c < end; c += S.length()) {
                FloatVector d = load(x, row + c).sub(load(centre, c));
                load(sum, c).add(d).intoArray(sum, c);
                d.fma(d, load(squares, c)).intoArray(squares, c);
            }
            TAIL.columnDeviations(x, centre, sum, squares, row, end, channels);
        }
    }

    @Override
    public void columnSumsWithCentredProducts(float[] g, float[] x, float[] centre, float[] sumG, float[] sumGX,
                                              int rowLo, int rowHi) {
        int channels = centre.length;
        int end = S.loopBound(channels);
        for (int r = rowLo; r < rowHi; r++) {
            int row = r * channels;
            for (int c = 0; c < end; c += S.length()) {
                FloatVector gv = load(g, row + c);
                load(sumG, c).add(gv).intoArray(sumG, c);
                gv.fma(load(x, row + c).sub(load(centre, c)), load(sumGX, c)).intoArray(sumGX, c);
            }
            TAIL.columnSumsWithCentredProducts(g, x, centre, sumG, sumGX, row, end, channels);
        }
    }

    @Override
    public void linearCombinations(float[] coefficients, int inputs, float[] x, int from, int fromStride,
                                   float[] out, int to, int toStride, int n) {
        int end = S.loopBound(n);
        for (int row = 0; row < coefficients.length; row += inputs) {
            int first = ScalarElementwise.firstNonZero(coefficients, row, inputs), o = to + row / inputs * toStride;
            for (int c = 0; c < end; c += S.length()) {
                FloatVector acc = first < 0 ? FloatVector.zero(S) : load(x, from + first * fromStride + c).mul(coefficients[row + first]);
                for (int j = first + 1; j < inputs && first >= 0; j++) {
                    float m = coefficients[row + j];
                    if (m != 0f) acc = load(x, from + j * fromStride + c).fma(FloatVector.broadcast(S, m), acc);
                }
                acc.intoArray(out, o + c);
            }
        }
        TAIL.linearCombinations(coefficients, inputs, x, from + end, fromStride, out, to + end, toStride, n - end);
    }
}
