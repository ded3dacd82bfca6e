package wgan.nn;

import java.util.ArrayList;
import java.util.List;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.kernels.ConvGeometry;
import wgan.kernels.ConvGeometry.Padding;
import wgan.tensor.Rng;

/**
 * Keras Conv2D over NHWC input, kernel stored OHWI [outC][kH][kW][inC], "same"/"valid" padding
 * as {@link ConvGeometry#conv} (with odd total padding the extra row/column is at the
 * bottom/right). PyTorch's Conv2d pads symmetrically, so the equivalent of an odd padding is an
 * nn.ZeroPad2d followed by an unpadded nn.Conv2d (two modules, see {@link #torchModules()}).
 */
public final class Conv2D extends KernelLayer {
    private final ConvGeometry geometry;
    private final int stride;

    /**
     * @param in per-sample input shape (H, W, C)
     */
    public Conv2D(int[] in, int filters, int kernelSize, int stride, Padding padding, boolean useBias,
                  Initializer init, Rng rng) {
        super(Parameter.Kind.CONV_KERNEL, new int[] {filters, in[2], kernelSize, kernelSize}, useBias ? filters : 0, init,
                kernelSize * kernelSize * in[2], kernelSize * kernelSize * filters, rng);
        this.geometry = ConvGeometry.conv(1, in[0], in[1], in[2], filters, kernelSize, kernelSize, stride, padding);
        this.stride = stride;
    }

    @Override
    Var linear(Var x) {
        return Ops.conv2d(x, kernel(), geometry);
    }

    @Override
    public int[] outputShape() {
        return new int[] {geometry.outH(), geometry.outW(), geometry.outC()};
    }

    private int padBottom() {
        return Math.max((geometry.outH() - 1) * stride + geometry.kH() - geometry.inH(), 0) - geometry.padTop();
    }

    private int padRight() {
        return Math.max((geometry.outW() - 1) * stride + geometry.kW() - geometry.inW(), 0) - geometry.padLeft();
    }

    private boolean symmetric() {
        return padBottom() == geometry.padTop() && padRight() == geometry.padLeft();
    }

    @Override
    public int torchModuleCount() {
        return symmetric() ? 1 : 2;
    }

    @Override
    public List<String> torchModules() {
        ConvGeometry g = geometry;
        List<String> modules = new ArrayList<>();
        String padding;
        if (symmetric()) {
            padding = g.padTop() == g.padLeft() ? "" + g.padTop() : "(" + g.padTop() + ", " + g.padLeft() + ")";
        } else {
            modules.add("nn.ZeroPad2d((" + g.padLeft() + ", " + padRight() + ", " + g.padTop() + ", " + padBottom() + "))");
            padding = "0";
        }
        modules.add("nn.Conv2d(" + g.inC() + ", " + g.outC() + ", " + g.kH() + ", stride=" + stride
                + ", padding=" + padding + (hasBias() ? "" : ", bias=False") + ")");
        return modules;
    }
}
