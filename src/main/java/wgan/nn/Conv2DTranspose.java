package wgan.nn;

import java.util.List;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.kernels.ConvGeometry;
import wgan.kernels.ConvGeometry.Padding;
import wgan.tensor.Rng;

/**
 * Keras Conv2DTranspose over NHWC input with Keras output sizes ({@link ConvGeometry#transposed}):
 * the adjoint of the convolution from the output back to the input, whose OHWI kernel
 * [inC][kH][kW][outC] this layer stores. That is PyTorch's ConvTranspose2d weight
 * [in, out, kH, kW] with the spatial axes moved, with no flip.
 */
public final class Conv2DTranspose extends KernelLayer {
    private final ConvGeometry geometry;
    private final int stride;

    /**
     * @param in per-sample input shape (H, W, C)
     */
    public Conv2DTranspose(int[] in, int filters, int kernelSize, int stride, Padding padding, Initializer init, Rng rng) {
        // Keras's transposed kernel is (kH, kW, filters, inC), so its fan_in counts the filters.
        super(Parameter.Kind.CONV_KERNEL, new int[] {in[2], filters, kernelSize, kernelSize}, filters, init,
                kernelSize * kernelSize * filters, kernelSize * kernelSize * in[2], rng);
        this.geometry = ConvGeometry.transposed(1, in[0], in[1], in[2], filters, kernelSize, kernelSize, stride, padding);
        this.stride = stride;
    }

    @Override
    Var linear(Var x) {
        return Ops.convTranspose2d(x, kernel(), geometry);
    }

    @Override
    public int[] outputShape() {
        return new int[] {geometry.inH(), geometry.inW(), geometry.inC()};
    }

    /**
     * PyTorch's ConvTranspose2d crops {@code padding} from both ends and adds output_padding at the
     * end: output (in-1)*s - 2p + k + op. With p = our top padding that is ours exactly when
     * 0 <= op < s; otherwise (odd "same" padding with k - s odd) there is no single equivalent.
     */
    @Override
    public List<String> torchModules() {
        ConvGeometry g = geometry;
        int outputPadding = g.inH() - ((g.outH() - 1) * stride - 2 * g.padTop() + g.kH());
        int outputPaddingW = g.inW() - ((g.outW() - 1) * stride - 2 * g.padLeft() + g.kW());
        if (outputPadding != outputPaddingW || g.padTop() != g.padLeft() || outputPadding < 0 || outputPadding >= stride) {
            throw new UnsupportedOperationException("no single nn.ConvTranspose2d matches " + g);
        }
        return List.of("nn.ConvTranspose2d(" + g.outC() + ", " + g.inC() + ", " + g.kH() + ", stride=" + stride
                + ", padding=" + g.padTop() + (outputPadding == 0 ? "" : ", output_padding=" + outputPadding) + ")");
    }
}
