package wgan.kernels;

/**
 * The shapes of one 2-D convolution over an NHWC batch: input (batch, inH, inW, inC), output
 * (batch, outH, outW, outC), kernel kH x kW, strides, and the zero padding before the first
 * row/column ({@code padTop}, {@code padLeft}). Output pixel (oy, ox) reads input rows
 * {@code oy*strideH - padTop + ky} for ky in [0, kH); taps that fall outside the input read 0.
 *
 * <p>A transposed convolution is described by the geometry of the convolution it is the adjoint
 * of: its input has the conv's output shape and its output has the conv's input shape.
 */
public record ConvGeometry(int batch, int inH, int inW, int inC, int outC, int kH, int kW,
                           int strideH, int strideW, int padTop, int padLeft, int outH, int outW) {

    /** Keras padding rules. */
    public enum Padding { SAME, VALID }

    public ConvGeometry {
        if (batch < 1 || inH < 1 || inW < 1 || inC < 1 || outC < 1 || kH < 1 || kW < 1
                || strideH < 1 || strideW < 1 || outH < 1 || outW < 1 || padTop < 0 || padLeft < 0) {
            throw new IllegalArgumentException("invalid convolution geometry " + this);
        }
    }

    /**
     * A Keras Conv2D. "same": out = ceil(in / s), total padding max((out-1)*s + k - in, 0) with
     * the odd extra row/column at the bottom/right; "valid": out = floor((in - k) / s) + 1.
     */
    public static ConvGeometry conv(int batch, int inH, int inW, int inC, int outC, int kH, int kW,
                                    int stride, Padding padding) {
        int outH = outSize(inH, kH, stride, padding);
        int outW = outSize(inW, kW, stride, padding);
        int padTop = padding == Padding.SAME ? Math.max((outH - 1) * stride + kH - inH, 0) / 2 : 0;
        int padLeft = padding == Padding.SAME ? Math.max((outW - 1) * stride + kW - inW, 0) / 2 : 0;
        return new ConvGeometry(batch, inH, inW, inC, outC, kH, kW, stride, stride, padTop, padLeft, outH, outW);
    }

    /**
     * A Keras Conv2DTranspose taking (batch, inH, inW, inC) to outC channels. Its output size is
     * in*s for "same" and in*s + max(k - s, 0) for "valid" (Keras deconv_output_length). The
     * returned geometry is that of the forward convolution from the transposed conv's output
     * (as its input) to the transposed conv's input (as its output).
     */
    public static ConvGeometry transposed(int batch, int inH, int inW, int inC, int outC, int kH, int kW,
                                          int stride, Padding padding) {
        int outH = padding == Padding.SAME ? inH * stride : inH * stride + Math.max(kH - stride, 0);
        int outW = padding == Padding.SAME ? inW * stride : inW * stride + Math.max(kW - stride, 0);
        int padTop = padding == Padding.SAME ? Math.max((inH - 1) * stride + kH - outH, 0) / 2 : 0;
        int padLeft = padding == Padding.SAME ? Math.max((inW - 1) * stride + kW - outW, 0) / 2 : 0;
        return new ConvGeometry(batch, outH, outW, outC, inC, kH, kW, stride, stride, padTop, padLeft, inH, inW);
    }

    private static int outSize(int in, int k, int stride, Padding padding) {
        int out = padding == Padding.SAME ? (in + stride - 1) / stride : (in - k) / stride + 1;
        if (out < 1) throw new IllegalArgumentException("kernel " + k + " does not fit input " + in + " with valid padding");
        return out;
    }

    public ConvGeometry withBatch(int newBatch) {
        return new ConvGeometry(newBatch, inH, inW, inC, outC, kH, kW, strideH, strideW, padTop, padLeft, outH, outW);
    }

    public int inputSize() { return batch * inH * inW * inC; }

    public int outputSize() { return batch * outH * outW * outC; }

    /** Weights are stored [outC][kH][kW][inC] (OHWI). */
    public int weightSize() { return outC * kH * kW * inC; }

    /** Multiply-adds of one forward pass, times 2. */
    public long flops() { return 2L * batch * outH * outW * outC * kH * kW * inC; }
}
