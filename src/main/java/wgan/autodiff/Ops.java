package wgan.autodiff;

import java.util.Arrays;
import wgan.kernels.ConvGeometry;
import wgan.kernels.Devices;
import wgan.kernels.Elementwise;
import wgan.kernels.FlopCounter;
import wgan.kernels.Resample;
import wgan.kernels.Resample.Axis;
import wgan.tensor.Tensor;

/**
 * The differentiable ops. Each primitive computes its value and records a backward rule written
 * with these same ops, so that gradients are Vars that can be differentiated again; composite
 * ops (sub, square, div, ...) are built from primitives and need no rule of their own. In a rule,
 * {@code g} is the gradient flowing into the op's output and {@code out} is that output.
 *
 * <p>Shapes: images are NHWC; "rows x channels" means every axis but the last flattened into rows.
 * Element-wise binary ops need equal shapes; broadcasting is explicit (addBias, broadcastRows,
 * broadcastPerSample, broadcastScalar).
 */
public final class Ops {
    private static final Var[] NO_PARENTS = {};

    private Ops() {}

    /** A recorded node when recording is on and some parent needs a gradient, else a constant. */
    static Var op(Tensor value, Var.Backward rule, Var... parents) {
        if (Grad.isRecording()) {
            for (Var p : parents) {
                if (p.requiresGrad()) return new Var(value, parents, rule, true);
            }
        }
        return new Var(value, NO_PARENTS, null, false);
    }

    private static float[] data(Var x) {
        return x.value().data();
    }

    /** An output of x's shape for a kernel that writes every element of it. */
    private static Tensor like(Var x) {
        return Tensor.uninitialised(x.shape());
    }

    private static void requireSameShape(Var a, Var b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("shapes differ: " + a + " and " + b);
        }
    }

    /** The number of channels (last axis) of x. */
    private static int channels(Var x) {
        return x.value().dim(-1);
    }

    /** The same value as x, cut from the graph. */
    public static Var detach(Var x) {
        return Var.constant(x.value());
    }

    // ---------------------------------------------------------------- element-wise

    /** a + b. d/da = d/db = 1. */
    public static Var add(Var a, Var b) {
        requireSameShape(a, b);
        Tensor y = like(a);
        Elementwise.add(data(a), data(b), y.data());
        return op(y, (out, g, need) -> new Var[] {g, g}, a, b);
    }

    /** a * b. d/da = b, d/db = a. */
    public static Var mul(Var a, Var b) {
        requireSameShape(a, b);
        Tensor y = like(a);
        Elementwise.mul(data(a), data(b), y.data());
        return op(y, (out, g, need) -> new Var[] {need[0] ? mul(g, b) : null, need[1] ? mul(g, a) : null}, a, b);
    }

    /** c * x. d/dx = c. */
    public static Var scale(Var x, float c) {
        Tensor y = like(x);
        Elementwise.scaleShift(data(x), c, 0f, y.data());
        return op(y, (out, g, need) -> new Var[] {scale(g, c)}, x);
    }

    /** x + c. d/dx = 1. */
    public static Var addScalar(Var x, float c) {
        Tensor y = like(x);
        Elementwise.scaleShift(data(x), 1f, c, y.data());
        return op(y, (out, g, need) -> new Var[] {g}, x);
    }

    /** -x. */
    public static Var neg(Var x) {
        return scale(x, -1f);
    }

    /** a - b. */
    public static Var sub(Var a, Var b) {
        return add(a, neg(b));
    }

    /** x^2 (as x * x, whose rule gives g*x + g*x = 2 g x). */
    public static Var square(Var x) {
        return mul(x, x);
    }

    /** a / b. */
    public static Var div(Var a, Var b) {
        return mul(a, reciprocal(b));
    }

    /** 1 / sqrt(x). */
    public static Var rsqrt(Var x) {
        return reciprocal(sqrt(x));
    }

    /** c - x. */
    private static Var rsubScalar(float c, Var x) {
        Tensor y = like(x);
        Elementwise.scaleShift(data(x), -1f, c, y.data());
        return op(y, (out, g, need) -> new Var[] {neg(g)}, x);
    }

    /** A float function applied to every element. */
    @FunctionalInterface
    private interface FloatFn {
        float apply(float v);
    }

    private static Tensor map(Var x, FloatFn f) {
        Tensor y = like(x);
        float[] in = data(x);
        float[] o = y.data();
        for (int i = 0; i < o.length; i++) o[i] = f.apply(in[i]);
        return y;
    }

    /** 1 / x. d/dx = -1/x^2 = -y^2. */
    public static Var reciprocal(Var x) {
        return op(map(x, v -> 1f / v), (out, g, need) -> new Var[] {neg(mul(g, square(out)))}, x);
    }

    /** sqrt(x). d/dx = 1 / (2 sqrt(x)) = 0.5 / y. */
    public static Var sqrt(Var x) {
        return op(map(x, v -> (float) Math.sqrt(v)), (out, g, need) -> new Var[] {scale(div(g, out), 0.5f)}, x);
    }

    /** e^x. d/dx = e^x = y. */
    public static Var exp(Var x) {
        return op(map(x, v -> (float) Math.exp(v)), (out, g, need) -> new Var[] {mul(g, out)}, x);
    }

    /** ln x. d/dx = 1/x. */
    public static Var log(Var x) {
        return op(map(x, v -> (float) Math.log(v)), (out, g, need) -> new Var[] {div(g, x)}, x);
    }

    /** tanh x. d/dx = 1 - tanh^2 x = 1 - y^2. */
    public static Var tanh(Var x) {
        Tensor y = like(x);
        Elementwise.tanh(data(x), y.data());
        return op(y, (out, g, need) -> new Var[] {mul(g, rsubScalar(1f, square(out)))}, x);
    }

    /** 1 / (1 + e^-x). d/dx = y (1 - y). */
    public static Var sigmoid(Var x) {
        return op(map(x, Ops::sigmoid), (out, g, need) -> new Var[] {mul(g, mul(out, rsubScalar(1f, out)))}, x);
    }

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    /** ln(1 + e^x), computed stably as max(x, 0) + log1p(e^-|x|). d/dx = sigmoid(x). */
    public static Var softplus(Var x) {
        Tensor y = map(x, v -> (float) (Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v)))));
        return op(y, (out, g, need) -> new Var[] {mul(g, sigmoid(x))}, x);
    }

    /**
     * The binary cross-entropy of sigmoid(z) against targets t in [0, 1], element by element, from
     * the logits z: -t log s(z) - (1 - t) log(1 - s(z)) = softplus(z) - t z, finite for any z (the
     * form of tf.nn.sigmoid_cross_entropy_with_logits). -log of a Bernoulli likelihood when t is 0
     * or 1, and the cross-entropy of two Bernoullis between.
     */
    public static Var sigmoidCrossEntropy(Var logits, Var targets) {
        return sub(softplus(logits), mul(targets, logits));
    }

    /**
     * KL(N(mean, e^logVar) || N(0, 1)) of each element: (mean^2 + e^logVar - 1 - logVar) / 2, the
     * closed form of Kingma and Welling 2014 (appendix B) per latent dimension; summed over the
     * dimensions it is the KL term of the ELBO (their eq. 10). Taking log-variances keeps the
     * variance positive without a constraint.
     */
    public static Var gaussianKl(Var mean, Var logVar) {
        return scale(sub(add(square(mean), exp(logVar)), addScalar(logVar, 1f)), 0.5f);
    }

    /**
     * The reparameterisation trick (Kingma and Welling 2014, section 2.4): a draw from
     * N(mean, e^logVar) written as mean + e^(logVar / 2) * eps with eps from N(0, 1), so that it is
     * a differentiable function of mean and logVar and the randomness sits in eps alone.
     */
    public static Var reparameterise(Var mean, Var logVar, Var eps) {
        return add(mean, mul(exp(scale(logVar, 0.5f)), eps));
    }

    /** max(x, 0). */
    public static Var relu(Var x) {
        return leakyRelu(x, 0f);
    }

    /** x > 0 ? x : alpha x. d/dx = (x > 0 ? 1 : alpha): a constant slope mask, exact to any order. */
    public static Var leakyRelu(Var x, float alpha) {
        Tensor y = like(x);
        Elementwise.leakyRelu(data(x), alpha, y.data());
        return op(y, (out, g, need) -> new Var[] {slopeMask(g, x.value(), alpha)}, x);
    }

    /** g * (x > 0 ? 1 : alpha), linear in g; x is only a mask. d/dg = the same mask. */
    private static Var slopeMask(Var g, Tensor x, float alpha) {
        Tensor y = like(g);
        Elementwise.leakyReluBackward(data(g), x.data(), alpha, y.data());
        return op(y, (out, gg, need) -> new Var[] {slopeMask(gg, x, alpha)}, g);
    }

    // ---------------------------------------------------------------- reductions and broadcasts

    /** The sum of all elements, a scalar (shape []). d/dx_i = 1: broadcast g back. */
    public static Var sum(Var x) {
        double s = 0;
        for (float v : data(x)) s += v;
        int[] shape = x.shape();
        return op(Tensor.scalar((float) s), (out, g, need) -> new Var[] {broadcastScalar(g, shape)}, x);
    }

    /** The mean of all elements, a scalar. */
    public static Var mean(Var x) {
        return scale(sum(x), 1f / x.value().size());
    }

    /** A tensor of the given shape filled with the single value of s. Its adjoint is sum. */
    public static Var broadcastScalar(Var s, int... shape) {
        Tensor y = Tensor.zeros(shape);
        Arrays.fill(y.data(), s.value().item());
        int[] sShape = s.shape();
        return op(y, (out, g, need) -> new Var[] {reshape(sum(g), sShape)}, s);
    }

    /** x[.., C] + b[C] on every row. d/dx = g, d/db = sumRows(g). */
    public static Var addBias(Var x, Var b) {
        requireChannelVector(x, b);
        Tensor y = like(x);
        Elementwise.addBias(data(x), data(b), y.data());
        return op(y, (out, g, need) -> new Var[] {g, need[1] ? sumRows(g) : null}, x, b);
    }

    /** x[.., C] * s[C] on every row. d/dx = g * s (per channel), d/ds = sumRows(g * x). */
    public static Var mulChannels(Var x, Var s) {
        requireChannelVector(x, s);
        Tensor y = like(x);
        Elementwise.mulChannels(data(x), data(s), y.data());
        return op(y, (out, g, need) -> new Var[] {
            need[0] ? mulChannels(g, s) : null,
            need[1] ? sumRows(mul(g, x)) : null}, x, s);
    }

    /** x[.., C] * scale[C] + shift[C] on every row. d/dx = g * scale, d/dscale = sumRows(g * x), d/dshift = sumRows(g). */
    public static Var scaleShiftChannels(Var x, Var scale, Var shift) {
        requireChannelVector(x, scale);
        requireChannelVector(x, shift);
        Tensor y = like(x);
        Elementwise.scaleShiftChannels(data(x), data(scale), data(shift), y.data());
        return op(y, (out, g, need) -> new Var[] {
            need[0] ? mulChannels(g, scale) : null,
            need[1] ? sumRows(mul(g, x)) : null,
            need[2] ? sumRows(g) : null}, x, scale, shift);
    }

    private static void requireChannelVector(Var x, Var v) {
        if (v.value().rank() != 1 || v.value().dim(0) != channels(x)) {
            throw new IllegalArgumentException(v + " is not a per-channel vector of " + x);
        }
    }

    /** The column sums of x[.., C] (sum over every axis but the last): [C]. Its adjoint is broadcastRows. */
    public static Var sumRows(Var x) {
        int[] shape = x.shape();
        Tensor y = Tensor.zeros(channels(x));
        Elementwise.columnSums(data(x), y.data());
        return op(y, (out, g, need) -> new Var[] {broadcastRows(g, shape)}, x);
    }

    /** v[C] copied to every row of a tensor of the given shape (last axis C). Its adjoint is sumRows. */
    public static Var broadcastRows(Var v, int... shape) {
        Tensor y = Tensor.uninitialised(shape);
        int c = v.value().size();
        if (y.dim(-1) != c) throw new IllegalArgumentException(v + " does not broadcast to " + Arrays.toString(shape));
        for (int r = 0; r < y.size(); r += c) System.arraycopy(data(v), 0, y.data(), r, c);
        return op(y, (out, g, need) -> new Var[] {sumRows(g)}, v);
    }

    /** The sum of each sample of x[N, ...]: [N]. Its adjoint is broadcastPerSample. */
    public static Var sumPerSample(Var x) {
        int[] shape = x.shape();
        int n = shape[0];
        int per = x.value().size() / n;
        Tensor y = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = i * per; j < (i + 1) * per; j++) s += data(x)[j];
            y.data()[i] = (float) s;
        }
        return op(y, (out, g, need) -> new Var[] {broadcastPerSample(g, shape)}, x);
    }

    /** s[N] spread over each sample of a tensor of the given shape [N, ...]. Its adjoint is sumPerSample. */
    public static Var broadcastPerSample(Var s, int... shape) {
        Tensor y = Tensor.uninitialised(shape);
        int n = s.value().size();
        if (shape[0] != n) throw new IllegalArgumentException(s + " does not broadcast to " + Arrays.toString(shape));
        int per = y.size() / n;
        for (int i = 0; i < n; i++) Arrays.fill(y.data(), i * per, (i + 1) * per, data(s)[i]);
        return op(y, (out, g, need) -> new Var[] {sumPerSample(g)}, s);
    }

    /**
     * log softmax over the last axis of x[.., C]: x - log sum_c e^x_c on every row. Each row is
     * first shifted by its largest value, a constant of the graph, so that no e^x overflows; the
     * shift cancels in the value and so in every derivative, which the ops below then give.
     */
    public static Var logSoftmax(Var x) {
        int c = channels(x);
        int rows = x.value().size() / c;
        float[] v = data(x);
        Tensor max = Tensor.uninitialised(rows);
        for (int r = 0; r < rows; r++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int k = r * c; k < (r + 1) * c; k++) m = Math.max(m, v[k]);
            max.data()[r] = m;
        }
        int[] byRow = {rows, c};
        Var shifted = sub(reshape(x, byRow), broadcastPerSample(Var.constant(max), byRow));
        Var logSum = log(sumPerSample(exp(shifted)));
        return reshape(sub(shifted, broadcastPerSample(logSum, byRow)), x.shape());
    }

    /** x[N, ...] with sample i multiplied by s[i]. */
    public static Var mulPerSample(Var x, Var s) {
        return mul(x, broadcastPerSample(s, x.shape()));
    }

    // ---------------------------------------------------------------- batch normalisation

    /** The result of {@link #batchNorm}: the output y and the batch's mean and biased variance per channel. */
    public record BatchNorm(Var y, Tensor mean, Tensor variance) {}

    /**
     * Training-mode batch normalisation (Ioffe and Szegedy 2015, Algorithm 1) of x[.., C] per
     * channel over all rows: y = gamma (x - mean) / sqrt(var + eps) + beta, with the batch's mean
     * and biased variance. Two passes: the statistics ({@link Elementwise#channelMoments}), then
     * y = x * scale + shift with scale = gamma inv, shift = beta - mean * scale, inv = 1 / sqrt(var + eps).
     * The statistics are constants of the result: the backward differentiates through them.
     */
    public static BatchNorm batchNorm(Var x, Var gamma, Var beta, float eps) {
        requireChannelVector(x, gamma);
        requireChannelVector(x, beta);
        int c = channels(x);
        float[] mean = new float[c], variance = new float[c], inv = new float[c];
        Elementwise.channelMoments(data(x), mean, variance);
        float[] scale = new float[c], shift = new float[c];
        for (int i = 0; i < c; i++) {
            inv[i] = (float) (1 / Math.sqrt(variance[i] + eps));
            scale[i] = data(gamma)[i] * inv[i];
            shift[i] = data(beta)[i] - mean[i] * scale[i];
        }
        Tensor y = like(x);
        Elementwise.scaleShiftChannels(data(x), scale, shift, y.data());
        Var out = op(y, (o, g, need) -> Grad.isRecording()
                ? batchNormGradientGraph(x, gamma, eps, g, need)
                : batchNormGradient(x, gamma, mean, inv, g, need), x, gamma, beta);
        return new BatchNorm(out, Tensor.of(mean, c), Tensor.of(variance, c));
    }

    /**
     * The gradients of batchNorm (Ioffe and Szegedy 2015, section 3: the chain rule through
     * Algorithm 1), with xhat = (x - mean) inv and m rows:
     * dbeta = sum(g), dgamma = sum(g xhat), dx = (gamma inv / m) (m g - sum(g) - xhat sum(g xhat)),
     * sums over rows per channel. Fused for the training path (no graph recorded): one pass for
     * the two sums, with sum(g xhat) = inv sum(g (x - mean)), and one for dx.
     */
    private static Var[] batchNormGradient(Var x, Var gamma, float[] mean, float[] inv, Var g, boolean[] need) {
        int c = mean.length;
        float[] sumG = new float[c], sumGXhat = new float[c];
        Elementwise.columnSumsWithCentredProducts(data(g), data(x), mean, sumG, sumGXhat);
        for (int i = 0; i < c; i++) sumGXhat[i] *= inv[i];
        return new Var[] {
            need[0] ? Var.constant(batchNormInputGradient(x, data(gamma), mean, inv, g, sumG, sumGXhat)) : null,
            need[1] ? Var.constant(Tensor.of(sumGXhat, c)) : null,
            need[2] ? Var.constant(Tensor.of(sumG, c)) : null};
    }

    /**
     * dx = (gamma inv / m) (m g - sum(g) - xhat sum(g xhat)) as one pass dx = g a + x b + s per
     * channel: a = gamma inv, b = -a inv sum(g xhat) / m, s = -a sum(g) / m - b mean.
     */
    private static Tensor batchNormInputGradient(Var x, float[] gamma, float[] mean, float[] inv, Var g,
                                                 float[] sumG, float[] sumGXhat) {
        int c = mean.length;
        float rows = x.value().size() / c;
        float[] a = new float[c], b = new float[c], s = new float[c];
        for (int i = 0; i < c; i++) {
            a[i] = gamma[i] * inv[i];
            b[i] = -a[i] * inv[i] * sumGXhat[i] / rows;
            s[i] = -a[i] * sumG[i] / rows - b[i] * mean[i];
        }
        Tensor dx = like(x);
        Elementwise.mulAddChannels(data(g), a, data(x), b, s, dx.data());
        return dx;
    }

    /**
     * The same gradients as {@link #batchNormGradient}, written with recorded ops and with xhat
     * and inv recomputed from x, so that they can be differentiated again exactly.
     */
    private static Var[] batchNormGradientGraph(Var x, Var gamma, float eps, Var g, boolean[] need) {
        float rows = x.value().size() / channels(x);
        Var sumG = sumRows(g);
        if (!need[0] && !need[1]) return new Var[] {null, null, sumG};
        Standardised z = standardise(x, eps);
        Var sumGXhat = sumRows(mul(g, z.xhat()));
        Var dx = null;
        if (need[0]) {
            Var meanG = broadcastRows(scale(sumG, 1 / rows), x.shape());
            Var alongXhat = mulChannels(z.xhat(), scale(sumGXhat, 1 / rows));
            dx = mulChannels(sub(g, add(meanG, alongXhat)), mul(gamma, z.inv()));
        }
        return new Var[] {dx, need[1] ? sumGXhat : null, need[2] ? sumG : null};
    }

    /** xhat = (x - mean) inv per channel of x[.., C], and inv = 1 / sqrt(var + eps) (biased variance). */
    private record Standardised(Var xhat, Var inv) {}

    private static Standardised standardise(Var x, float eps) {
        float rows = x.value().size() / channels(x);
        Var mean = scale(sumRows(x), 1 / rows);
        Var centred = sub(x, broadcastRows(mean, x.shape()));
        Var variance = scale(sumRows(square(centred)), 1 / rows);
        Var inv = rsqrt(addScalar(variance, eps));
        return new Standardised(mulChannels(centred, inv), inv);
    }

    // ---------------------------------------------------------------- shapes

    /** The same values with another shape. d/dx = g reshaped back. */
    public static Var reshape(Var x, int... shape) {
        int[] xShape = x.shape();
        return op(x.value().reshape(shape), (out, g, need) -> new Var[] {reshape(g, xShape)}, x);
    }

    /** x[N, H, W, C] to [N, C*H*W] in PyTorch's (C, H, W) feature order. Its gradient is unflattenCHW. */
    public static Var flattenCHW(Var x) {
        int n = x.value().dim(0), h = x.value().dim(1), w = x.value().dim(2), c = x.value().dim(3);
        Tensor y = Tensor.uninitialised(n, c * h * w);
        permuteHWC(data(x), y.data(), n, h, w, c, true);
        return op(y, (out, g, need) -> new Var[] {unflattenCHW(g, h, w, c)}, x);
    }

    /** x[N, C*H*W] in (C, H, W) order to [N, H, W, C]. Its gradient is flattenCHW. */
    public static Var unflattenCHW(Var x, int h, int w, int c) {
        int n = x.value().dim(0);
        if (x.value().size() != n * h * w * c) throw new IllegalArgumentException(x + " is not [N, " + c * h * w + "]");
        Tensor y = Tensor.uninitialised(n, h, w, c);
        permuteHWC(data(x), y.data(), n, h, w, c, false);
        return op(y, (out, g, need) -> new Var[] {flattenCHW(g)}, x);
    }

    /** Copies between NHWC index (n,y,x,c) and NCHW index (n,c,y,x), one way or the other. */
    private static void permuteHWC(float[] src, float[] dst, int n, int h, int w, int c, boolean toCHW) {
        for (int s = 0; s < n; s++) {
            for (int p = 0; p < h * w; p++) {
                for (int ch = 0; ch < c; ch++) {
                    int hwc = (s * h * w + p) * c + ch;
                    int chw = (s * c + ch) * h * w + p;
                    if (toCHW) dst[chw] = src[hwc]; else dst[hwc] = src[chw];
                }
            }
        }
    }

    // ---------------------------------------------------------------- linear maps

    /**
     * op(a) op(b) for 2-D a, b, where op transposes when asked. With G = dL/dC:
     * dA = G op(B)^T (transposed back when transA), dB = op(A)^T G (transposed back when transB).
     */
    public static Var matmul(Var a, Var b, boolean transA, boolean transB) {
        Tensor ta = a.value(), tb = b.value();
        int m = transA ? ta.dim(1) : ta.dim(0), k = transA ? ta.dim(0) : ta.dim(1);
        int n = transB ? tb.dim(0) : tb.dim(1), kb = transB ? tb.dim(1) : tb.dim(0);
        if (ta.rank() != 2 || tb.rank() != 2 || k != kb) {
            throw new IllegalArgumentException("matmul of " + a + (transA ? "^T" : "") + " and " + b + (transB ? "^T" : ""));
        }
        Tensor c = Tensor.uninitialised(m, n);
        Devices.current().matmul(transA, transB, m, n, k, ta.data(), tb.data(), c.data());
        FlopCounter.add(2L * m * n * k);
        return op(c, (out, g, need) -> new Var[] {
            need[0] ? (transA ? matmul(b, g, transB, true) : matmul(g, b, false, !transB)) : null,
            need[1] ? (transB ? matmul(g, a, true, transA) : matmul(a, g, !transA, false)) : null}, a, b);
    }

    /** The geometry for x's batch size. */
    private static ConvGeometry forBatch(ConvGeometry geo, Var x) {
        int batch = x.value().dim(0);
        return geo.batch() == batch ? geo : geo.withBatch(batch);
    }

    private static void requireSize(Var v, int size, String what) {
        if (v.value().size() != size) throw new IllegalArgumentException(v + " does not fit the " + what + " of the geometry");
    }

    /**
     * The convolution y = conv(x, w) (NHWC x, OHWI w). It is linear in x and in w:
     * dx = conv^T(g, w) = convTranspose2d(g, w), dw = convWeightGrad(x, g).
     */
    public static Var conv2d(Var x, Var w, ConvGeometry geometry) {
        ConvGeometry geo = forBatch(geometry, x);
        requireSize(x, geo.inputSize(), "input");
        requireSize(w, geo.weightSize(), "weights");
        Tensor y = Tensor.uninitialised(geo.batch(), geo.outH(), geo.outW(), geo.outC());
        Devices.current().convForward(geo, data(x), data(w), y.data());
        FlopCounter.add(geo.flops());
        return op(y, (out, g, need) -> new Var[] {
            need[0] ? convTranspose2d(g, w, geo) : null,
            need[1] ? convWeightGrad(x, g, geo) : null}, x, w);
    }

    /**
     * The transposed convolution y = conv^T(x, w): x has the geometry's output shape, y its input
     * shape. With L = &lt;g, conv^T(x, w)&gt; = &lt;conv(g, w), x&gt;:
     * dx = conv2d(g, w), dw = convWeightGrad(g, x).
     */
    public static Var convTranspose2d(Var x, Var w, ConvGeometry geometry) {
        ConvGeometry geo = forBatch(geometry, x);
        requireSize(x, geo.outputSize(), "output");
        requireSize(w, geo.weightSize(), "weights");
        Tensor y = Tensor.uninitialised(geo.batch(), geo.inH(), geo.inW(), geo.inC());
        Devices.current().convInputGrad(geo, data(x), data(w), y.data());
        FlopCounter.add(geo.flops());
        return op(y, (out, g, need) -> new Var[] {
            need[0] ? conv2d(g, w, geo) : null,
            need[1] ? convWeightGrad(g, x, geo) : null}, x, w);
    }

    /**
     * The convolution's weight gradient W(x, dy) (OHWI). With H the gradient flowing in,
     * L = &lt;H, W(x, dy)&gt; = &lt;conv(x, H), dy&gt; = &lt;x, conv^T(dy, H)&gt;:
     * dx = convTranspose2d(dy, H), d dy = conv2d(x, H).
     */
    public static Var convWeightGrad(Var x, Var dy, ConvGeometry geometry) {
        ConvGeometry geo = forBatch(geometry, x);
        requireSize(x, geo.inputSize(), "input");
        requireSize(dy, geo.outputSize(), "output");
        Tensor dw = Tensor.uninitialised(geo.outC(), geo.kH(), geo.kW(), geo.inC());
        Devices.current().convWeightGrad(geo, data(x), data(dy), dw.data());
        FlopCounter.add(geo.flops());
        return op(dw, (out, h, need) -> new Var[] {
            need[0] ? convTranspose2d(dy, h, geo) : null,
            need[1] ? conv2d(x, h, geo) : null}, x, dy);
    }

    // ---------------------------------------------------------------- upsampling

    /** x[N, H, W, C] to [N, H*fh, W*fw, C], each pixel repeated (Keras UpSampling2D nearest). */
    public static Var upsampleNearest(Var x, int fh, int fw) {
        return resample(x, Axis.nearest(x.value().dim(1), fh), Axis.nearest(x.value().dim(2), fw));
    }

    /** The adjoint of upsampleNearest: g[N, H*fh, W*fw, C] to [N, H, W, C], summing each block. */
    public static Var upsampleNearestAdjoint(Var g, int fh, int fw) {
        return resampleAdjoint(g, Axis.nearest(g.value().dim(1) / fh, fh), Axis.nearest(g.value().dim(2) / fw, fw));
    }

    /** x[N, H, W, C] to [N, H*fh, W*fw, C], bilinear with half-pixel centres (TF2 tf.image.resize). */
    public static Var upsampleBilinear(Var x, int fh, int fw) {
        return resample(x, Axis.bilinear(x.value().dim(1), fh), Axis.bilinear(x.value().dim(2), fw));
    }

    /** The adjoint of upsampleBilinear: g[N, H*fh, W*fw, C] to [N, H, W, C]. */
    public static Var upsampleBilinearAdjoint(Var g, int fh, int fw) {
        return resampleAdjoint(g, Axis.bilinear(g.value().dim(1) / fh, fh), Axis.bilinear(g.value().dim(2) / fw, fw));
    }

    /** y = R x, a linear map: dx = R^T g. */
    private static Var resample(Var x, Axis ay, Axis ax) {
        Tensor t = x.value();
        requireSize(x, t.dim(0) * ay.in() * ax.in() * t.dim(3), "resampling");
        Tensor y = Tensor.uninitialised(t.dim(0), ay.out(), ax.out(), t.dim(3));
        Resample.forward(ay, ax, t.dim(0), t.dim(3), t.data(), y.data());
        return op(y, (out, g, need) -> new Var[] {resampleAdjoint(g, ay, ax)}, x);
    }

    /** y = R^T x: dx = R g. */
    private static Var resampleAdjoint(Var x, Axis ay, Axis ax) {
        Tensor t = x.value();
        requireSize(x, t.dim(0) * ay.out() * ax.out() * t.dim(3), "resampling");
        Tensor y = Tensor.uninitialised(t.dim(0), ay.in(), ax.in(), t.dim(3));
        Resample.adjoint(ay, ax, t.dim(0), t.dim(3), t.data(), y.data());
        return op(y, (out, g, need) -> new Var[] {resample(g, ay, ax)}, x);
    }
}
