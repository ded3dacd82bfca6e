package wgan.nn;

import java.util.List;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;

/**
 * A vector of C*H*W features, read in (C, H, W) order as PyTorch's nn.Unflatten(1, (C, H, W))
 * does, to an (H, W, C) image: the inverse of {@link Flatten}, so the preceding Dense's weight is
 * PyTorch's as it is. (Keras's Reshape reads (H, W, C) order; see {@link Flatten}.)
 */
public final class Reshape implements Layer {
    private final int h, w, c;

    public Reshape(int[] in, int h, int w, int c) {
        if (in.length != 1 || in[0] != h * w * c) {
            throw new IllegalArgumentException("cannot reshape " + java.util.Arrays.toString(in) + " to " + h + "x" + w + "x" + c);
        }
        this.h = h;
        this.w = w;
        this.c = c;
    }

    @Override
    public Var forward(Var x, boolean training) {
        return Ops.unflattenCHW(x, h, w, c);
    }

    @Override
    public int[] outputShape() {
        return new int[] {h, w, c};
    }

    @Override
    public List<String> torchModules() {
        return List.of("nn.Unflatten(1, (" + c + ", " + h + ", " + w + "))");
    }
}
