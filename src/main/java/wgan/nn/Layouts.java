package wgan.nn;

import java.util.Arrays;
import wgan.autodiff.Var;
import wgan.tensor.Tensor;

/** Conversions between wgan's channels-last layouts and PyTorch's channels-first ones. */
public final class Layouts {
    private Layouts() {}

    /** NHWC images [n, h, w, c] as PyTorch's NCHW [n, c, h, w]. */
    public static Tensor toChannelsFirst(Tensor nhwc) {
        int n = nhwc.dim(0), h = nhwc.dim(1), w = nhwc.dim(2), c = nhwc.dim(3);
        return Tensor.of(swapInner(nhwc.data(), n, h * w, c), n, c, h, w);
    }

    /** PyTorch's NCHW images [n, c, h, w] as wgan's NHWC [n, h, w, c]. */
    public static Tensor toChannelsLast(Tensor nchw) {
        int n = nchw.dim(0), c = nchw.dim(1), h = nchw.dim(2), w = nchw.dim(3);
        return Tensor.of(swapInner(nchw.data(), n, c, h * w), n, h, w, c);
    }

    /** A matrix [r][c] as [c][r]. */
    public static Tensor transpose(Tensor m) {
        if (m.rank() != 2) throw new IllegalArgumentException("not a matrix: " + Arrays.toString(m.shape()));
        return Tensor.of(swapInner(m.data(), 1, m.dim(0), m.dim(1)), m.dim(1), m.dim(0));
    }

    /**
     * [outer][r][c] to [outer][c][r]. OHWI to OIHW is (O, kH*kW, I); [in][kH][kW][out] to
     * PyTorch's ConvTranspose2d [in][out][kH][kW] is (in, kH*kW, out); HWC to CHW is (1, H*W, C).
     * The inverse of (outer, r, c) is (outer, c, r).
     */
    static float[] swapInner(float[] src, int outer, int r, int c) {
        float[] dst = new float[src.length];
        for (int o = 0; o < outer; o++) {
            int base = o * r * c;
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) dst[base + j * r + i] = src[base + i * c + j];
            }
        }
        return dst;
    }

    /** A tensor of the given shape with every element v (BatchNorm's initial gamma, eps per channel). */
    static Tensor filled(float v, int... shape) {
        Tensor t = Tensor.zeros(shape);
        Arrays.fill(t.data(), v);
        return t;
    }

    /** Overwrites a parameter's or buffer's values. */
    static void copy(float[] src, Var dst) {
        System.arraycopy(src, 0, dst.value().data(), 0, src.length);
    }
}
