package wgan.nn;

import java.util.List;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.tensor.Rng;

/** y = x W^T + b with W stored [out, in] as PyTorch's nn.Linear (Keras Dense, bias zero-initialised). */
public final class Dense extends KernelLayer {
    private final int in, out;

    public Dense(int in, int out, Initializer init, Rng rng) {
        super(Parameter.Kind.DENSE_KERNEL, new int[] {out, in}, out, init, in, out, rng);
        this.in = in;
        this.out = out;
    }

    @Override
    Var linear(Var x) {
        return Ops.matmul(x, kernel(), false, true);
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
