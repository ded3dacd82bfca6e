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
    public void biasScaleShiftLeakyRelu(float[] x, float[] bias, float[] scale, float[] shift, float alpha, float[] out,
                                        int rowLo, int rowHi) {
        int channels = scale.length;
        int end = S.loopBound(channels);
        for (int r = rowLo; r < rowHi; r++) {
            int row = r * channels;
            for (int c = 0; c < end; c += S.length()) {
                FloatVector v = load(x, row + c);
                if (bias != null) v = v.add(load(bias, c));
                v = v.fma(load(scale, c), load(shift, c));
                v.blend(v.mul(alpha), v.compare(VectorOperators.LE, 0f)).intoArray(out, row + c);
            }
            TAIL.biasScaleShiftLeakyRelu(x, bias, scale, shift, alpha, out, row, end, channels);
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

    /** Three columns of the window: each vector of e is computed as soon as its column is loaded. */
    @Override
    public void winogradData2x2(float[] d, int from, int rowStride, int colStride, float[] v, int to, int positionStride, int n) {
        int end = S.loopBound(n);
        for (int c = 0; c < end; c += S.length()) {
            int at = from + c;
            FloatVector d10 = load(d, at + rowStride), d11 = load(d, at + rowStride + colStride), d12 = load(d, at + rowStride + 2 * colStride);
            FloatVector e00 = load(d, at).sub(d10), e01 = load(d, at + colStride).sub(d11), e02 = load(d, at + 2 * colStride).sub(d12);
            int r2 = at + 2 * rowStride;
            FloatVector e20 = load(d, r2).sub(d10), e21 = load(d, r2 + colStride).sub(d11), e22 = load(d, r2 + 2 * colStride).sub(d12);
            storeDataRow(e00, e01, e02, v, to + c, positionStride);
            storeDataRow(d10, d11, d12, v, to + 3 * positionStride + c, positionStride);
            storeDataRow(e20, e21, e22, v, to + 6 * positionStride + c, positionStride);
        }
        TAIL.winogradData2x2(d, from + end, rowStride, colStride, v, to + end, positionStride, n - end);
    }

    /** One row of V from one row of e: (e0 - e1, e1, e2 - e1). */
    private static void storeDataRow(FloatVector e0, FloatVector e1, FloatVector e2, float[] v, int o, int positionStride) {
        e0.sub(e1).intoArray(v, o);
        e1.intoArray(v, o + positionStride);
        e2.sub(e1).intoArray(v, o + 2 * positionStride);
    }

    @Override
    public void winogradOutput2x2(float[] m, int from, int positionStride, float[] y, int to, int rowStride, int colStride, int n) {
        int end = S.loopBound(n);
        for (int c = 0; c < end; c += S.length()) {
            int at = from + c, p = positionStride;
            FloatVector m01 = load(m, at + p), m11 = load(m, at + 4 * p), m21 = load(m, at + 7 * p);
            FloatVector z00 = load(m, at).add(m01), z01 = m01.add(load(m, at + 2 * p));
            FloatVector z10 = load(m, at + 3 * p).add(m11), z11 = m11.add(load(m, at + 5 * p));
            FloatVector z20 = load(m, at + 6 * p).add(m21), z21 = m21.add(load(m, at + 8 * p));
            int o = to + c;
            z00.add(z10).intoArray(y, o);
            z01.add(z11).intoArray(y, o + colStride);
            z10.add(z20).intoArray(y, o + rowStride);
            z11.add(z21).intoArray(y, o + rowStride + colStride);
        }
        TAIL.winogradOutput2x2(m, from + end, positionStride, y, to + end, rowStride, colStride, n - end);
    }

    @Override
    public void winogradGradient2x2(float[] dy, int from, int rowStride, int colStride, float[] m, int to, int positionStride, int n) {
        int end = S.loopBound(n);
        for (int c = 0; c < end; c += S.length()) {
            int at = from + c, p = positionStride;
            FloatVector d00 = load(dy, at), d01 = load(dy, at + colStride);
            FloatVector d10 = load(dy, at + rowStride), d11 = load(dy, at + rowStride + colStride);
            FloatVector z01 = d00.add(d01), z11 = d10.add(d11);
            int o = to + c;
            d00.intoArray(m, o);
            z01.intoArray(m, o + p);
            d01.intoArray(m, o + 2 * p);
            d00.add(d10).intoArray(m, o + 3 * p);
            z01.add(z11).intoArray(m, o + 4 * p);
            d01.add(d11).intoArray(m, o + 5 * p);
            d10.intoArray(m, o + 6 * p);
            z11.intoArray(m, o + 7 * p);
            d11.intoArray(m, o + 8 * p);
        }
        TAIL.winogradGradient2x2(dy, from + end, rowStride, colStride, m, to + end, positionStride, n - end);
    }
}
