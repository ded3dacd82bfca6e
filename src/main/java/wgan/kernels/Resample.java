package wgan.kernels;

import java.util.Arrays;

/**
 * Separable 2-D resampling of NHWC images: each output coordinate along an axis reads two input
 * coordinates {@code lo}, {@code hi} with weights {@code 1 - frac}, {@code frac}:
 * <pre>
 *   y[n,oy,ox,c] = sum_{a in {lo,hi}(oy), b in {lo,hi}(ox)} wy_a * wx_b * x[n,a,b,c]
 * </pre>
 * Nearest upsampling and bilinear resizing are two choices of the per-axis tables. {@link #adjoint} is the
 * transposed map (it scatters each output back with the same weights): the gradient of
 * {@link #forward}, and the other way round.
 */
public final class Resample {
    private Resample() {}

    /** The interpolation table of one axis from {@code in} to {@code out} coordinates. */
    public record Axis(int in, int out, int[] lo, int[] hi, float[] frac) {
        /** Nearest neighbour upsampling by an integer factor: out coordinate o reads o / factor. */
        public static Axis nearest(int in, int factor) {
            int out = in * factor;
            int[] src = new int[out];
            for (int o = 0; o < out; o++) src[o] = o / factor;
            return new Axis(in, out, src, src, new float[out]);
        }

        /**
         * Bilinear upsampling by an integer factor with half-pixel centres, as TF2's
         * {@code tf.image.resize} (Keras UpSampling2D bilinear): {@link #bilinearTo} with
         * {@code out = in * factor}.
         */
        public static Axis bilinear(int in, int factor) {
            return bilinearTo(in, in * factor);
        }

        /**
         * Bilinear resampling from {@code in} to any {@code out} coordinates with half-pixel
         * centres, as TF2's {@code tf.image.resize(method="bilinear", antialias=False)}: source
         * s = (o + 0.5) * in / out - 0.5, lo = max(floor(s), 0), hi = min(ceil(s), in - 1),
         * frac = s - floor(s). Downsampling samples the input at s without averaging (no antialias).
         *
         * <p>s is computed in double; TF uses float32 with scale = in / out. They agree exactly when
         * in / out is a short binary fraction (28 to 32, anything to 64, integer factors) and to
         * float rounding otherwise.
         */
        public static Axis bilinearTo(int in, int out) {
            int[] lo = new int[out], hi = new int[out];
            float[] frac = new float[out];
            for (int o = 0; o < out; o++) {
                double s = (o + 0.5) * in / out - 0.5;
                lo[o] = Math.max((int) Math.floor(s), 0);
                hi[o] = Math.min((int) Math.ceil(s), in - 1);
                frac[o] = (float) (s - Math.floor(s));
            }
            return new Axis(in, out, lo, hi, frac);
        }
    }

    /** The per-tap visitor: input pixel (a, b), output pixel (oy, ox), weight. */
    @FunctionalInterface
    private interface Tap {
        void visit(int a, int b, int oy, int ox, float weight);
    }

    /** Visits the taps of nonzero weight (nearest has one per output pixel, bilinear up to four). */
    private static void taps(Axis ay, Axis ax, Tap tap) {
        for (int oy = 0; oy < ay.out(); oy++) {
            float fy = ay.frac()[oy];
            for (int ox = 0; ox < ax.out(); ox++) {
                float fx = ax.frac()[ox];
                visitIfNonzero(tap, ay.lo()[oy], ax.lo()[ox], oy, ox, (1 - fy) * (1 - fx));
                visitIfNonzero(tap, ay.lo()[oy], ax.hi()[ox], oy, ox, (1 - fy) * fx);
                visitIfNonzero(tap, ay.hi()[oy], ax.lo()[ox], oy, ox, fy * (1 - fx));
                visitIfNonzero(tap, ay.hi()[oy], ax.hi()[ox], oy, ox, fy * fx);
            }
        }
    }

    private static void visitIfNonzero(Tap tap, int a, int b, int oy, int ox, float weight) {
        if (weight != 0f) tap.visit(a, b, oy, ox, weight);
    }

    /** y [batch, ay.out, ax.out, channels] from x [batch, ay.in, ax.in, channels]. */
    public static void forward(Axis ay, Axis ax, int batch, int channels, float[] x, float[] y) {
        apply(ay, ax, batch, channels, x, y, false);
    }

    /** The transpose: dx [batch, ay.in, ax.in, channels] from dy [batch, ay.out, ax.out, channels]. */
    public static void adjoint(Axis ay, Axis ax, int batch, int channels, float[] dy, float[] dx) {
        apply(ay, ax, batch, channels, dy, dx, true);
    }

    /** Each tap adds weight * (small pixel) to the big pixel, or the other way when transposed. */
    private static void apply(Axis ay, Axis ax, int batch, int channels, float[] in, float[] out, boolean transpose) {
        int smallSize = ay.in() * ax.in() * channels, bigSize = ay.out() * ax.out() * channels;
        int outSize = transpose ? smallSize : bigSize;
        Parallel.forEach(batch, n -> {
            Arrays.fill(out, n * outSize, (n + 1) * outSize, 0f);
            taps(ay, ax, (a, b, oy, ox, w) -> {
                int small = n * smallSize + (a * ax.in() + b) * channels;
                int big = n * bigSize + (oy * ax.out() + ox) * channels;
                int src = transpose ? big : small, dst = transpose ? small : big;
                for (int c = 0; c < channels; c++) out[dst + c] += w * in[src + c];
            });
        });
    }
}
