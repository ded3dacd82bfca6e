package wgan.nn;

import java.util.List;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;

/**
 * Keras UpSampling2D: (H, W, C) to (H*f, W*f, C), nearest (each pixel repeated) or bilinear with
 * half-pixel centres (TF2's tf.image.resize, which Keras uses). PyTorch: nn.Upsample with
 * mode 'nearest', or 'bilinear' with align_corners=False (also half-pixel centres).
 */
public final class UpSampling2D implements Layer {
    public enum Interpolation { NEAREST, BILINEAR }

    private final int[] in;
    private final int factor;
    private final Interpolation interpolation;

    public UpSampling2D(int[] in, int factor, Interpolation interpolation) {
        this.in = in.clone();
        this.factor = factor;
        this.interpolation = interpolation;
    }

    @Override
    public Var forward(Var x, boolean training) {
        return interpolation == Interpolation.NEAREST
                ? Ops.upsampleNearest(x, factor, factor)
                : Ops.upsampleBilinear(x, factor, factor);
    }

    @Override
    public int[] outputShape() {
        return new int[] {in[0] * factor, in[1] * factor, in[2]};
    }

    @Override
    public List<String> torchModules() {
        return List.of(interpolation == Interpolation.NEAREST
                ? "nn.Upsample(scale_factor=" + factor + ", mode='nearest')"
                : "nn.Upsample(scale_factor=" + factor + ", mode='bilinear', align_corners=False)");
    }
}
