package wgan.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.autodiff.Var;
import wgan.kernels.ConvGeometry.Padding;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * Each layer's forward pass against a plain loop written from the Keras / PyTorch definition,
 * and its first-order gradients (input and every parameter) against finite differences.
 * Forward tolerance: float32 sums of at most a few hundred products of O(1) values, about
 * 1e-5 absolute; the loops accumulate in double.
 */
class LayersTest {
    private static final float TOL = 2e-5f;

    /** Sets every parameter to N(0, 0.5^2) so that biases, gamma and beta are not trivial. */
    private static void randomise(Layer l, Rng rng) {
        for (Parameter p : l.parameters()) rng.fillGaussian(p.var().value().data(), 0f, 0.5f);
    }

    private static float[] param(Layer l, String name) {
        return l.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().var().value().data();
    }

    static Stream<Arguments> convCases() {
        // seed, in (H=W), C, filters, k, stride, padding: includes odd total padding (8, k5, s2, same)
        return Stream.of(
                Arguments.of(1, 8, 3, 4, 4, 2, Padding.SAME),
                Arguments.of(2, 7, 2, 3, 3, 1, Padding.SAME),
                Arguments.of(3, 8, 2, 3, 5, 2, Padding.SAME),
                Arguments.of(4, 7, 3, 2, 3, 2, Padding.VALID),
                Arguments.of(5, 9, 1, 2, 5, 3, Padding.VALID));
    }

    /** Keras same: out = ceil(in/s), total pad max((out-1)s + k - in, 0), the smaller half first. */
    private static int[] outAndPad(int in, int k, int s, Padding p) {
        if (p == Padding.VALID) return new int[] {(in - k) / s + 1, 0};
        int out = (in + s - 1) / s;
        return new int[] {out, Math.max((out - 1) * s + k - in, 0) / 2};
    }

    @ParameterizedTest(name = "seed={0} in={1}x{1}x{2} filters={3} k={4} s={5} {6}")
    @MethodSource("convCases")
    void conv2dMatchesLoops(int seed, int in, int c, int filters, int k, int s, Padding padding) {
        Rng rng = new Rng(seed);
        Conv2D conv = new Conv2D(new int[] {in, in, c}, filters, k, s, padding, true, Initializer.glorotUniform(), rng);
        randomise(conv, rng);
        int n = 2;
        Tensor x = GradCheck.gaussian(rng, n, in, in, c);
        float[] y = conv.forward(Var.constant(x), true).value().data();
        int[] op = outAndPad(in, k, s, padding);
        int out = op[0], pad = op[1];
        assertArrayEquals(new int[] {out, out, filters}, conv.outputShape());
        float[] w = param(conv, "weight"), b = param(conv, "bias");
        float[] expected = new float[n * out * out * filters];
        for (int b0 = 0; b0 < n; b0++)
            for (int oy = 0; oy < out; oy++)
                for (int ox = 0; ox < out; ox++)
                    for (int o = 0; o < filters; o++) {
                        double acc = b[o];
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                                for (int i = 0; i < c; i++) {
                                    int iy = oy * s - pad + ky, ix = ox * s - pad + kx;
                                    if (iy < 0 || iy >= in || ix < 0 || ix >= in) continue;
                                    acc += x.data()[((b0 * in + iy) * in + ix) * c + i] * w[((o * k + ky) * k + kx) * c + i];
                                }
                        expected[((b0 * out + oy) * out + ox) * filters + o] = (float) acc;
                    }
        assertArrayEquals(expected, y, TOL);
        checkGradients(conv, x, rng, "Conv2D");
    }

    @ParameterizedTest(name = "seed={0} in={1}x{1}x{2} filters={3} k={4} s={5} {6}")
    @MethodSource("convCases")
    void conv2dTransposeMatchesLoops(int seed, int in, int c, int filters, int k, int s, Padding padding) {
        Rng rng = new Rng(seed);
        in = Math.max(2, in / 2);
        Conv2DTranspose conv = new Conv2DTranspose(new int[] {in, in, c}, filters, k, s, padding, Initializer.glorotUniform(), rng);
        randomise(conv, rng);
        int n = 2;
        Tensor x = GradCheck.gaussian(rng, n, in, in, c);
        float[] y = conv.forward(Var.constant(x), true).value().data();
        // Keras deconv_output_length: in*s ("same"), in*s + max(k - s, 0) ("valid"); the crop at
        // the top/left is half the total padding of the corresponding convolution.
        int out = padding == Padding.SAME ? in * s : in * s + Math.max(k - s, 0);
        int pad = padding == Padding.SAME ? Math.max((in - 1) * s + k - out, 0) / 2 : 0;
        assertArrayEquals(new int[] {out, out, filters}, conv.outputShape());
        float[] w = param(conv, "weight"), b = param(conv, "bias");
        double[] acc = new double[n * out * out * filters];
        for (int b0 = 0; b0 < n; b0++)
            for (int iy = 0; iy < in; iy++)
                for (int ix = 0; ix < in; ix++)
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++) {
                            int oy = iy * s - pad + ky, ox = ix * s - pad + kx;
                            if (oy < 0 || oy >= out || ox < 0 || ox >= out) continue;
                            for (int i = 0; i < c; i++)
                                for (int o = 0; o < filters; o++) {
                                    acc[((b0 * out + oy) * out + ox) * filters + o] +=
                                            x.data()[((b0 * in + iy) * in + ix) * c + i] * w[((i * k + ky) * k + kx) * filters + o];
                                }
                        }
        float[] expected = new float[acc.length];
        for (int j = 0; j < acc.length; j++) expected[j] = (float) (acc[j] + b[j % filters]);
        assertArrayEquals(expected, y, TOL);
        checkGradients(conv, x, rng, "Conv2DTranspose");
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void denseMatchesLoops(int seed) {
        Rng rng = new Rng(seed);
        Dense dense = new Dense(7, 5, Initializer.glorotUniform(), rng);
        randomise(dense, rng);
        Tensor x = GradCheck.gaussian(rng, 3, 7);
        float[] y = dense.forward(Var.constant(x), true).value().data();
        float[] w = param(dense, "weight"), b = param(dense, "bias");
        for (int n = 0; n < 3; n++)
            for (int o = 0; o < 5; o++) {
                double acc = b[o];
                for (int i = 0; i < 7; i++) acc += x.data()[n * 7 + i] * w[i * 5 + o];
                assertEquals(acc, y[n * 5 + o], TOL);
            }
        checkGradients(dense, x, rng, "Dense");
    }

    static Stream<Arguments> seeds() {
        return Stream.of(Arguments.of(11), Arguments.of(12));
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void batchNormTrainingInferenceAndRunningStatistics(int seed) {
        Rng rng = new Rng(seed);
        int n = 3, h = 2, w = 3, c = 4, m = n * h * w;
        BatchNormalization bn = new BatchNormalization(new int[] {h, w, c}, 0.99f, 1e-3f);
        randomise(bn, rng);
        float[] gamma = param(bn, "weight"), beta = param(bn, "bias");
        Tensor x = GradCheck.gaussian(rng, n, h, w, c);
        for (int i = 0; i < x.size(); i++) x.data()[i] = 2 * x.data()[i] + (i % c); // channel means 0..3
        float[] y = bn.forward(Var.constant(x), true).value().data();
        float[] runMean = new float[c], runVar = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double mean = 0, ss = 0;
            for (int r = 0; r < m; r++) mean += x.data()[r * c + ch];
            mean /= m;
            for (int r = 0; r < m; r++) ss += Math.pow(x.data()[r * c + ch] - mean, 2);
            double biased = ss / m;
            for (int r = 0; r < m; r++) {
                double expected = gamma[ch] * (x.data()[r * c + ch] - mean) / Math.sqrt(biased + 1e-3) + beta[ch];
                assertEquals(expected, y[r * c + ch], TOL, "training output");
            }
            // Keras momentum 0.99 from running mean 0 and variance 1; unbiased variance (PyTorch).
            runMean[ch] = (float) (0.01 * mean);
            runVar[ch] = (float) (0.99 + 0.01 * ss / (m - 1));
        }
        var sd = bn.stateDict();
        assertArrayEquals(runMean, sd.get("running_mean").data(), 1e-6f);
        assertArrayEquals(runVar, sd.get("running_var").data(), 1e-6f);
        assertEquals(1f, sd.get("num_batches_tracked").item());

        float[] yInf = bn.forward(Var.constant(x), false).value().data();
        for (int i = 0; i < x.size(); i++) {
            int ch = i % c;
            double expected = gamma[ch] * (x.data()[i] - runMean[ch]) / Math.sqrt(runVar[ch] + 1e-3) + beta[ch];
            assertEquals(expected, yInf[i], TOL, "inference output");
        }
        assertEquals(1f, bn.stateDict().get("num_batches_tracked").item(), "inference must not update statistics");
        checkGradients(bn, x, rng, "BatchNorm training");
        checkGradientsInference(bn, x, rng);
    }

    private static void checkGradientsInference(Layer l, Tensor x, Rng rng) {
        Var xv = Var.param(x.copy());
        Tensor r = GradCheck.gaussian(rng, l.forward(Var.constant(x), false).shape());
        List<Var> wrt = new ArrayList<>(GradCheck.vars(l.parameters()));
        wrt.add(xv);
        GradCheck.check(() -> new GradCheck.Eval(GradCheck.weightedSum(l.forward(xv, false), r), List.of()), wrt, rng,
                "BatchNorm inference");
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void layerNormMatchesLoops(int seed) {
        Rng rng = new Rng(seed);
        int n = 3, h = 2, w = 3, c = 4, d = h * w * c;
        LayerNormalization ln = new LayerNormalization(new int[] {h, w, c}, 1e-5f);
        randomise(ln, rng);
        float[] gamma = param(ln, "weight"), beta = param(ln, "bias");
        Tensor x = GradCheck.gaussian(rng, n, h, w, c);
        float[] y = ln.forward(Var.constant(x), true).value().data();
        for (int s = 0; s < n; s++) {
            double mean = 0, ss = 0;
            for (int j = 0; j < d; j++) mean += x.data()[s * d + j];
            mean /= d;
            for (int j = 0; j < d; j++) ss += Math.pow(x.data()[s * d + j] - mean, 2);
            for (int j = 0; j < d; j++) {
                double expected = gamma[j] * (x.data()[s * d + j] - mean) / Math.sqrt(ss / d + 1e-5) + beta[j];
                assertEquals(expected, y[s * d + j], TOL);
            }
        }
        checkGradients(ln, x, rng, "LayerNorm");
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void activationsFlattenAndReshape(int seed) {
        Rng rng = new Rng(seed);
        int[] shape = {2, 3, 4};
        Tensor x = GradCheck.gaussian(rng, 2, 2, 3, 4);
        float[] in = x.data();
        Activation[] acts = {Activation.leakyRelu(shape, 0.2f), Activation.relu(shape), Activation.tanh(shape), Activation.sigmoid(shape)};
        for (Activation a : acts) {
            float[] y = a.forward(Var.constant(x), true).value().data();
            for (int i = 0; i < in.length; i++) {
                double v = in[i];
                double expected = switch (a.torchModules().get(0)) {
                    case "nn.LeakyReLU(0.2)" -> v > 0 ? v : 0.2 * v;
                    case "nn.ReLU()" -> Math.max(v, 0);
                    case "nn.Tanh()" -> Math.tanh(v);
                    default -> 1 / (1 + Math.exp(-v));
                };
                assertEquals(expected, y[i], 1e-6, a.torchModules().get(0));
            }
            checkGradients(a, x, rng, a.torchModules().get(0));
        }
        Flatten flatten = new Flatten(shape);
        float[] flat = flatten.forward(Var.constant(x), true).value().data();
        for (int s = 0; s < 2; s++)
            for (int yy = 0; yy < 2; yy++)
                for (int xx = 0; xx < 3; xx++)
                    for (int ch = 0; ch < 4; ch++) {
                        // PyTorch's flatten of NCHW: feature index (c*H + y)*W + x.
                        assertEquals(in[((s * 2 + yy) * 3 + xx) * 4 + ch], flat[s * 24 + (ch * 2 + yy) * 3 + xx]);
                    }
        Reshape reshape = new Reshape(new int[] {24}, 2, 3, 4);
        assertArrayEquals(in, reshape.forward(Var.constant(Tensor.of(flat, 2, 24)), true).value().data());
        checkGradients(flatten, x, rng, "Flatten");
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void upSamplingMatchesLoops(int seed) {
        Rng rng = new Rng(seed);
        int h = 3, w = 4, c = 2, f = 2;
        Tensor x = GradCheck.gaussian(rng, 2, h, w, c);
        UpSampling2D nearest = new UpSampling2D(new int[] {h, w, c}, f, UpSampling2D.Interpolation.NEAREST);
        UpSampling2D bilinear = new UpSampling2D(new int[] {h, w, c}, f, UpSampling2D.Interpolation.BILINEAR);
        float[] yn = nearest.forward(Var.constant(x), true).value().data();
        float[] yb = bilinear.forward(Var.constant(x), true).value().data();
        int oh = h * f, ow = w * f;
        for (int n = 0; n < 2; n++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++) {
                        int o = ((n * oh + oy) * ow + ox) * c + ch;
                        assertEquals(x.data()[((n * h + oy / f) * w + ox / f) * c + ch], yn[o]);
                        // Half-pixel centres: source coordinate (o + 0.5) / f - 0.5, clamped at 0.
                        double sy = Math.max((oy + 0.5) / f - 0.5, 0), sx = Math.max((ox + 0.5) / f - 0.5, 0);
                        int y0 = (int) sy, x0 = (int) sx, y1 = Math.min(y0 + 1, h - 1), x1 = Math.min(x0 + 1, w - 1);
                        double ty = sy - y0, tx = sx - x0;
                        double expected = (1 - ty) * ((1 - tx) * at(x, n, y0, x0, ch, h, w, c) + tx * at(x, n, y0, x1, ch, h, w, c))
                                + ty * ((1 - tx) * at(x, n, y1, x0, ch, h, w, c) + tx * at(x, n, y1, x1, ch, h, w, c));
                        assertEquals(expected, yb[o], 1e-6);
                    }
        checkGradients(nearest, x, rng, "UpSampling2D nearest");
        checkGradients(bilinear, x, rng, "UpSampling2D bilinear");
    }

    private static double at(Tensor x, int n, int y, int xx, int ch, int h, int w, int c) {
        return x.data()[((n * h + y) * w + xx) * c + ch];
    }

    /** First-order gradients of sum(layer(x) * r) with respect to x and every parameter. */
    private static void checkGradients(Layer l, Tensor x, Rng rng, String what) {
        Var xv = Var.param(x.copy());
        Tensor r = GradCheck.gaussian(rng, l.forward(Var.constant(x), true).shape());
        List<Var> wrt = new ArrayList<>(GradCheck.vars(l.parameters()));
        wrt.add(xv);
        GradCheck.check(() -> {
            // Only activations have kinks, at the signs of their input.
            List<boolean[]> pattern = new ArrayList<>();
            if (l instanceof Activation) pattern.add(GradCheck.signs(xv.value()));
            return new GradCheck.Eval(GradCheck.weightedSum(l.forward(xv, true), r), pattern);
        }, wrt, rng, what);
    }
}
