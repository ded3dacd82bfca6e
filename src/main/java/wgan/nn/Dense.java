package wgan.nn;

import java.util.List;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.tensor.Rng;

/**
 * y = x W + b with W stored [in, out] as Keras's Dense kernel (bias zero-initialised), PyTorch's
 * nn.Linear [out, in] in state dicts. Stored this way the GEMMs run along the long output axis:
 * E1's generator maps 50 noise values to 6272 features, and its weight gradient x^T dY is then
 * 50 x 6272 (C's rows as long vectors) rather than 6272 x 50 (rows of 50: one vector and a ragged one).
 */
public final class Dense extends KernelLayer {
    private final int in, out;

    public Dense(int in, int out, Initializer init, Rng rng) {
        super(Parameter.Kind.DENSE_KERNEL, new int[] {out, in}, out, init, in, out, rng);
        this.in = in;
        this.out = out;
    }

    @Override
    Var linear(Var x) {
        return Ops.matmul(x, kernel(), false, false);
    }

    @Override
    public int[] outputShape() {
        return new int[] {out};
    }

    @Override
    public List<String> torchModules() {
        return List.of("nn.Linear(" + in + ", " + out + ")");
    }
}
