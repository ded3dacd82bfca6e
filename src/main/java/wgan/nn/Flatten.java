package wgan.nn;

import java.util.List;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;

/**
 * (H, W, C) to a vector of C*H*W features in (C, H, W) order, as PyTorch's nn.Flatten orders an
 * NCHW tensor, so that the next Dense's weight is PyTorch's nn.Linear weight as it is. (Keras's
 * Flatten of NHWC orders them (H, W, C); with freshly initialised weights the two are the same
 * model up to a permutation of the weight's columns.)
 */
public final class Flatten implements Layer {
    private final int[] in;

    public Flatten(int[] in) {
        this.in = in.clone();
    }

    @Override
    public Var forward(Var x, boolean training) {
        return Ops.flattenCHW(x);
    }

    @Override
    public int[] outputShape() {
        return new int[] {in[0] * in[1] * in[2]};
    }

    @Override
    public List<String> torchModules() {
        return List.of("nn.Flatten()");
    }
}
