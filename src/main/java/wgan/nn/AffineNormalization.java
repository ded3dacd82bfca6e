package wgan.nn;

import java.util.List;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.tensor.Tensor;

/**
 * What BatchNormalization and LayerNormalization share: a shape-preserving normalisation
 * followed by gamma * x + beta over the last axis of the (reshaped) input, gamma starting at 1
 * and beta at 0, named "weight" and "bias" as in PyTorch.
 */
abstract class AffineNormalization implements Layer {
    final int[] shape;
    final Var gamma;
    final Var beta;

    AffineNormalization(int[] in, int affineSize) {
        this.shape = in.clone();
        this.gamma = Var.param(Layouts.filled(1f, affineSize));
        this.beta = Var.param(Tensor.zeros(affineSize));
    }

    /** gamma * x + beta per element of the last axis. */
    Var affine(Var normalised) {
        return Ops.scaleShiftChannels(normalised, gamma, beta);
    }

    @Override
    public int[] outputShape() {
        return shape.clone();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("weight", gamma, Parameter.Kind.NORM_GAMMA),
                new Parameter("bias", beta, Parameter.Kind.NORM_BETA));
    }
}
