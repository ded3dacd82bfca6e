package wgan.autodiff;

import static wgan.autodiff.OpCase.ANY;
import static wgan.autodiff.OpCase.NO_KINK;
import static wgan.autodiff.OpCase.POSITIVE;
import static wgan.autodiff.OpCase.WIDE;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import wgan.kernels.ConvGeometry;
import wgan.kernels.ConvGeometry.Padding;

/** Every op of {@link Ops} as seeded random cases, each with a plain reference of its value. */
final class OpCases {
    private OpCases() {}

    static final long[] SEEDS = {1, 2};

    static Stream<OpCase> all() {
        return Stream.of(elementwise(), variational(), reductions(), normalisation(), shapes(), matmuls(), convolutions(), upsampling())
                .flatMap(List::stream);
    }

    private static List<OpCase> forSeeds(Function<Long, List<OpCase>> cases) {
        return LongStream.of(SEEDS).boxed().flatMap(s -> cases.apply(s).stream()).toList();
    }

    static List<OpCase> elementwise() {
        return forSeeds(s -> List.of(
            OpCase.unary("neg", s, Ops::neg, v -> -v, ANY, 2, 3, 4),
            OpCase.unary("scale", s, v -> Ops.scale(v, 1.7f), v -> 1.7 * v, ANY, 2, 3, 4),
            OpCase.unary("addScalar", s, v -> Ops.addScalar(v, 0.3f), v -> v + 0.3, ANY, 5),
            OpCase.unary("square", s, Ops::square, v -> v * v, ANY, 2, 3, 4),
            OpCase.unary("sqrt", s, Ops::sqrt, Math::sqrt, POSITIVE, 2, 3, 4),
            OpCase.unary("rsqrt", s, Ops::rsqrt, v -> 1 / Math.sqrt(v), POSITIVE, 7),
            OpCase.unary("reciprocal", s, Ops::reciprocal, v -> 1 / v, POSITIVE, 7),
            OpCase.unary("exp", s, Ops::exp, Math::exp, ANY, 2, 3, 4),
            OpCase.unary("log", s, Ops::log, Math::log, POSITIVE, 2, 3, 4),
            OpCase.unary("tanh", s, Ops::tanh, Math::tanh, WIDE, 3, 37),
            OpCase.unary("sigmoid", s, Ops::sigmoid, v -> 1 / (1 + Math.exp(-v)), WIDE, 2, 3, 4),
            OpCase.unary("softplus", s, Ops::softplus, v -> Math.log(1 + Math.exp(v)), WIDE, 2, 3, 4),
            OpCase.unary("relu", s, Ops::relu, v -> Math.max(v, 0), NO_KINK, 2, 3, 4),
            OpCase.unary("leakyRelu", s, v -> Ops.leakyRelu(v, 0.2f), v -> v > 0 ? v : 0.2 * v, NO_KINK, 3, 37),
            OpCase.binary("add", s, v -> Ops.add(v.get(0), v.get(1)), Double::sum, ANY, 3, 37),
            OpCase.binary("sub", s, v -> Ops.sub(v.get(0), v.get(1)), (a, b) -> a - b, ANY, 2, 3, 4),
            OpCase.binary("mul", s, v -> Ops.mul(v.get(0), v.get(1)), (a, b) -> a * b, ANY, 3, 37),
            OpCase.binary("div", s, v -> Ops.div(v.get(0), v.get(1)), (a, b) -> a / b, POSITIVE, 2, 3, 4)));
    }

    /**
     * The variational autoencoder's element-wise terms: the cross-entropy from logits (targets in
     * [0, 1], as images are), the Gaussian KL to N(0, 1) and the reparameterised draw, each
     * differentiated in every input (the noise eps too). Log-variances run from -2.5 to 2.5.
     */
    static List<OpCase> variational() {
        return forSeeds(s -> List.of(
            OpCase.of("sigmoidCrossEntropy", s, v -> Ops.sigmoidCrossEntropy(v.get(0), Ops.addScalar(Ops.scale(v.get(1), 0.2f), 0.5f)),
                in -> crossEntropy(in.get(0), in.get(1)), WIDE, new int[] {3, 7}, new int[] {3, 7}),
            OpCase.binary("gaussianKl", s, v -> Ops.gaussianKl(v.get(0), v.get(1)),
                (m, lv) -> 0.5 * (m * m + Math.exp(lv) - 1 - lv), WIDE, 4, 5),
            OpCase.of("reparameterise", s, v -> Ops.reparameterise(v.get(0), v.get(1), v.get(2)),
                in -> reparameterised(in.get(0), in.get(1), in.get(2)), WIDE, new int[] {4, 5}, new int[] {4, 5}, new int[] {4, 5})));
    }

    static List<OpCase> reductions() {
        return forSeeds(s -> List.of(
            OpCase.of("sum", s, v -> Ops.sum(v.get(0)), in -> new double[] {total(in.get(0))}, ANY, new int[] {2, 3, 4}),
            OpCase.of("mean", s, v -> Ops.mean(v.get(0)), in -> new double[] {total(in.get(0)) / 24}, ANY, new int[] {2, 3, 4}),
            OpCase.of("broadcastScalar", s, v -> Ops.broadcastScalar(v.get(0), 2, 3),
                in -> OpCase.map(new float[6], x -> in.get(0)[0]), ANY, new int[0]),
            OpCase.of("sumRows", s, v -> Ops.sumRows(v.get(0)), in -> sumRows(in.get(0), 5), ANY, new int[] {2, 3, 5}),
            OpCase.of("broadcastRows", s, v -> Ops.broadcastRows(v.get(0), 2, 3, 5),
                in -> broadcastRows(in.get(0), 6), ANY, new int[] {5}),
            OpCase.of("addBias", s, v -> Ops.addBias(v.get(0), v.get(1)),
                in -> add(in.get(0), broadcastRows(in.get(1), 6)), ANY, new int[] {2, 3, 5}, new int[] {5}),
            OpCase.of("mulChannels", s, v -> Ops.mulChannels(v.get(0), v.get(1)),
                in -> mul(in.get(0), broadcastRows(in.get(1), 6)), ANY, new int[] {2, 3, 5}, new int[] {5}),
            OpCase.of("sumPerSample", s, v -> Ops.sumPerSample(v.get(0)), in -> sumPerSample(in.get(0), 3),
                ANY, new int[] {3, 2, 2, 2}),
            OpCase.of("broadcastPerSample", s, v -> Ops.broadcastPerSample(v.get(0), 3, 2, 4),
                in -> broadcastPerSample(in.get(0), 8), ANY, new int[] {3}),
            OpCase.of("mulPerSample", s, v -> Ops.mulPerSample(v.get(0), v.get(1)),
                in -> mul(in.get(0), broadcastPerSample(in.get(1), 8)), ANY, new int[] {3, 2, 4}, new int[] {3}),
            OpCase.of("logSoftmax", s, v -> Ops.logSoftmax(v.get(0)), in -> logSoftmax(in.get(0), 5), WIDE, new int[] {2, 3, 5}),
            // Logits near 100, whose e^x overflows float: the same values as near 0.
            OpCase.of("logSoftmax+100", s, v -> Ops.logSoftmax(Ops.addScalar(v.get(0), 100f)), in -> logSoftmax(in.get(0), 4),
                ANY, new int[] {3, 4})));
    }

    /** Batch norm over 6 rows of 5 channels and 7 rows of 1 channel, and the per-channel scale and shift. */
    static List<OpCase> normalisation() {
        float eps = 1e-3f;
        return forSeeds(s -> List.of(
            OpCase.of("batchNorm", s, v -> Ops.batchNorm(v.get(0), v.get(1), v.get(2), eps).y(),
                in -> batchNorm(in.get(0), in.get(1), in.get(2), eps), ANY, new int[] {2, 3, 5}, new int[] {5}, new int[] {5}),
            OpCase.of("batchNorm", s, v -> Ops.batchNorm(v.get(0), v.get(1), v.get(2), eps).y(),
                in -> batchNorm(in.get(0), in.get(1), in.get(2), eps), ANY, new int[] {7, 1}, new int[] {1}, new int[] {1}),
            OpCase.of("scaleShiftChannels", s, v -> Ops.scaleShiftChannels(v.get(0), v.get(1), v.get(2)),
                in -> scaleShiftChannels(in.get(0), in.get(1), in.get(2)),
                ANY, new int[] {2, 3, 5}, new int[] {5}, new int[] {5})));
    }

    static List<OpCase> shapes() {
        return forSeeds(s -> List.of(
            OpCase.of("reshape", s, v -> Ops.reshape(v.get(0), 6, 4), in -> OpCase.map(in.get(0), x -> x),
                ANY, new int[] {2, 3, 4}),
            OpCase.of("flattenCHW", s, v -> Ops.flattenCHW(v.get(0)), in -> flattenCHW(in.get(0), 2, 3, 4, 5),
                ANY, new int[] {2, 3, 4, 5}),
            OpCase.of("unflattenCHW", s, v -> Ops.unflattenCHW(v.get(0), 3, 4, 5), in -> unflattenCHW(in.get(0), 2, 3, 4, 5),
                ANY, new int[] {2, 60})));
    }

    /**
     * A general product, and the shapes the GEMM runs by paths of their own (a Dense layer with one
     * output, as the critic's last: n = 1, its gradients k = 1 and m = 1), each long enough to
     * reach those paths' vector loops.
     */
    static List<OpCase> matmuls() {
        int[][] mkn = {{3, 4, 5}, {3, 40, 1}, {20, 1, 18}, {1, 3, 140}};
        List<OpCase> cases = new ArrayList<>();
        for (long s : SEEDS) {
            for (int[] shape : mkn) {
                int m = shape[0], k = shape[1], n = shape[2];
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        cases.add(OpCase.of("matmul " + m + "x" + k + "x" + n + " transA=" + ta + " transB=" + tb, s,
                            v -> Ops.matmul(v.get(0), v.get(1), ta, tb), in -> matmul(in.get(0), in.get(1), m, n, k, ta, tb),
                            ANY, ta ? new int[] {k, m} : new int[] {m, k}, tb ? new int[] {n, k} : new int[] {k, n}));
                    }
                }
            }
        }
        return cases;
    }

    /**
     * Geometries covering stride 1 and 2, same and valid padding, odd and even kernels, uneven
     * padding, and two that the kernels compute by Winograd's minimal filtering, forward,
     * transposed and weight gradient: 4 x 4 at stride 2 (F(2x2, 2x2)) and 5 x 5 at stride 1 (F(2x2, 5x5)), 8 channels
     * each side, 6 x 6 outputs (enough blocks for the forward pass).
     */
    static List<ConvGeometry> geometries() {
        return List.of(
            ConvGeometry.conv(2, 4, 4, 3, 2, 3, 3, 1, Padding.SAME),
            ConvGeometry.conv(1, 12, 12, 8, 8, 4, 4, 2, Padding.SAME),
            ConvGeometry.conv(1, 6, 6, 8, 8, 5, 5, 1, Padding.SAME),
            ConvGeometry.conv(2, 6, 5, 2, 3, 4, 4, 2, Padding.SAME),
            ConvGeometry.conv(1, 7, 6, 2, 3, 5, 5, 2, Padding.SAME),
            ConvGeometry.conv(2, 5, 5, 2, 2, 3, 3, 2, Padding.VALID),
            ConvGeometry.transposed(2, 3, 3, 3, 2, 4, 4, 2, Padding.SAME),
            ConvGeometry.transposed(1, 2, 3, 2, 3, 3, 3, 2, Padding.VALID));
    }

    static List<OpCase> convolutions() {
        List<OpCase> cases = new ArrayList<>();
        for (long s : SEEDS) {
            for (ConvGeometry g : geometries()) {
                int[] x = {g.batch(), g.inH(), g.inW(), g.inC()};
                int[] y = {g.batch(), g.outH(), g.outW(), g.outC()};
                int[] w = {g.outC(), g.kH(), g.kW(), g.inC()};
                cases.add(OpCase.of("conv2d " + g, s, v -> Ops.conv2d(v.get(0), v.get(1), g),
                    in -> ConvReference.forward(g, in.get(0), in.get(1)), ANY, x, w));
                cases.add(OpCase.of("convTranspose2d " + g, s, v -> Ops.convTranspose2d(v.get(0), v.get(1), g),
                    in -> ConvReference.inputGrad(g, in.get(0), in.get(1)), ANY, y, w));
                cases.add(OpCase.of("convWeightGrad " + g, s, v -> Ops.convWeightGrad(v.get(0), v.get(1), g),
                    in -> ConvReference.weightGrad(g, in.get(0), in.get(1)), ANY, x, y));
            }
        }
        return cases;
    }

    /** Nearest and bilinear upsampling of [2, 3, 4, 2] by (2, 2) and (3, 2), and their adjoints. */
    static List<OpCase> upsampling() {
        int n = 2, h = 3, w = 4, c = 2;
        List<OpCase> cases = new ArrayList<>();
        for (long s : SEEDS) {
            for (int[] f : new int[][] {{2, 2}, {3, 2}}) {
                int fh = f[0], fw = f[1];
                int[] small = {n, h, w, c}, big = {n, h * fh, w * fw, c};
                String factors = " factors=" + fh + "x" + fw;
                cases.add(OpCase.of("upsampleNearest" + factors, s, v -> Ops.upsampleNearest(v.get(0), fh, fw),
                    in -> Upsampling.nearest(in.get(0), n, h, w, c, fh, fw), ANY, small));
                cases.add(OpCase.of("upsampleNearestAdjoint" + factors, s, v -> Ops.upsampleNearestAdjoint(v.get(0), fh, fw),
                    in -> Upsampling.adjoint(x -> Upsampling.nearest(x, n, h, w, c, fh, fw), n * h * w * c, in.get(0)), ANY, big));
                cases.add(OpCase.of("upsampleBilinear" + factors, s, v -> Ops.upsampleBilinear(v.get(0), fh, fw),
                    in -> Upsampling.bilinear(in.get(0), n, h, w, c, fh, fw), ANY, small));
                cases.add(OpCase.of("upsampleBilinearAdjoint" + factors, s, v -> Ops.upsampleBilinearAdjoint(v.get(0), fh, fw),
                    in -> Upsampling.adjoint(x -> Upsampling.bilinear(x, n, h, w, c, fh, fw), n * h * w * c, in.get(0)), ANY, big));
            }
        }
        return cases;
    }

    // ------------------------------------------------------------ plain references

    /** -t log s(z) - (1 - t) log(1 - s(z)) with t = 0.5 + 0.2 u (in [0, 1] for u in [-2.5, 2.5]), by the definition. */
    static double[] crossEntropy(float[] z, float[] u) {
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            double t = 0.5 + 0.2 * u[i], s = 1 / (1 + Math.exp(-z[i]));
            out[i] = -t * Math.log(s) - (1 - t) * Math.log(1 - s);
        }
        return out;
    }

    /** mean + sigma * eps with sigma the square root of the variance e^logVar. */
    static double[] reparameterised(float[] mean, float[] logVar, float[] eps) {
        double[] out = new double[mean.length];
        for (int i = 0; i < mean.length; i++) out[i] = mean[i] + Math.sqrt(Math.exp(logVar[i])) * eps[i];
        return out;
    }

    static double total(float[] x) {
        double s = 0;
        for (float v : x) s += v;
        return s;
    }

    static double[] add(float[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] + b[i];
        return out;
    }

    static double[] mul(float[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] * b[i];
        return out;
    }

    /** gamma (x - mean) / sqrt(var + eps) + beta per channel of x[rows, C], with the biased variance. */
    static double[] batchNorm(float[] x, float[] gamma, float[] beta, float eps) {
        int c = gamma.length, rows = x.length / c;
        double[] mean = sumRows(x, c), variance = new double[c], y = new double[x.length];
        for (int k = 0; k < c; k++) mean[k] /= rows;
        for (int i = 0; i < x.length; i++) variance[i % c] += Math.pow(x[i] - mean[i % c], 2) / rows;
        for (int i = 0; i < x.length; i++) {
            int k = i % c;
            y[i] = gamma[k] * (x[i] - mean[k]) / Math.sqrt(variance[k] + eps) + beta[k];
        }
        return y;
    }

    static double[] scaleShiftChannels(float[] x, float[] scale, float[] shift) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (double) x[i] * scale[i % scale.length] + shift[i % scale.length];
        return out;
    }

    static double[] sumRows(float[] x, int c) {
        double[] out = new double[c];
        for (int i = 0; i < x.length; i++) out[i % c] += x[i];
        return out;
    }

    static double[] broadcastRows(float[] v, int rows) {
        double[] out = new double[rows * v.length];
        for (int i = 0; i < out.length; i++) out[i] = v[i % v.length];
        return out;
    }

    static double[] sumPerSample(float[] x, int n) {
        double[] out = new double[n];
        for (int i = 0; i < x.length; i++) out[i / (x.length / n)] += x[i];
        return out;
    }

    static double[] broadcastPerSample(float[] s, int per) {
        double[] out = new double[s.length * per];
        for (int i = 0; i < out.length; i++) out[i] = s[i / per];
        return out;
    }

    /** x - log sum e^x over each row of c values, summed in double with no shift. */
    static double[] logSoftmax(float[] x, int c) {
        double[] out = new double[x.length];
        for (int r = 0; r < x.length; r += c) {
            double sum = 0;
            for (int k = r; k < r + c; k++) sum += Math.exp(x[k]);
            for (int k = r; k < r + c; k++) out[k] = x[k] - Math.log(sum);
        }
        return out;
    }

    static double[] flattenCHW(float[] x, int n, int h, int w, int c) {
        return permute(x, n, h, w, c, true);
    }

    static double[] unflattenCHW(float[] x, int n, int h, int w, int c) {
        return permute(x, n, h, w, c, false);
    }

    /** Element (s, y, x, ch) at NHWC index ((s*h + y)*w + x)*c + ch and NCHW index ((s*c + ch)*h + y)*w + x. */
    private static double[] permute(float[] in, int n, int h, int w, int c, boolean toCHW) {
        double[] out = new double[in.length];
        for (int s = 0; s < n; s++)
            for (int yy = 0; yy < h; yy++)
                for (int xx = 0; xx < w; xx++)
                    for (int ch = 0; ch < c; ch++) {
                        int nhwc = ((s * h + yy) * w + xx) * c + ch;
                        int nchw = ((s * c + ch) * h + yy) * w + xx;
                        if (toCHW) out[nchw] = in[nhwc]; else out[nhwc] = in[nchw];
                    }
        return out;
    }

    /** op(A) op(B) with op(A)[i][p] read from A stored k x m when transposed, m x k otherwise. */
    static double[] matmul(float[] a, float[] b, int m, int n, int k, boolean ta, boolean tb) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++)
                    c[i * n + j] += (double) (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
        return c;
    }
}
