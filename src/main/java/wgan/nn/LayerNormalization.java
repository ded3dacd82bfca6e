package wgan.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.tensor.Tensor;

/**
 * Layer normalisation (Ba, Kiros, Hinton 2016, eq. 4) of each sample over all its features
 * (H, W, C), with PyTorch's {@code nn.LayerNorm([C, H, W])} semantics: biased variance, eps added
 * inside the root (default 1e-5), and an affine weight and bias per element (shape [C, H, W] in
 * the state dict, stored here as [H, W, C]). The gradient-penalty papers recommend it in place
 * of batch norm in the critic (Gulrajani et al. 2017, section 4), since it keeps samples independent.
 */
public final class LayerNormalization extends AffineNormalization {
    public static final float TORCH_EPSILON = 1e-5f;

    private final int features;
    private final float eps;

    public LayerNormalization(int[] in, float eps) {
        super(in, Tensor.sizeOf(in));
        this.features = Tensor.sizeOf(in);
        this.eps = eps;
    }

    @Override
    public Var forward(Var x, boolean training) {
        int n = x.value().dim(0);
        Var x2 = Ops.reshape(x, n, features);
        Var mean = Ops.scale(Ops.sumPerSample(x2), 1f / features);
        Var centred = Ops.sub(x2, Ops.broadcastPerSample(mean, n, features));
        Var variance = Ops.scale(Ops.sumPerSample(Ops.square(centred)), 1f / features);
        Var normalised = Ops.mulPerSample(centred, Ops.rsqrt(Ops.addScalar(variance, eps)));
        return Ops.reshape(affine(normalised), x.shape());
    }

    /** Image inputs: [H*W, C] to PyTorch's [C, H, W]; vectors are already in order. */
    private int[] torchShape() {
        return shape.length == 3 ? new int[] {shape[2], shape[0], shape[1]} : shape.clone();
    }

    private int channels() {
        return shape.length == 3 ? shape[2] : 1;
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        int c = channels();
        sd.put("weight", Tensor.of(Layouts.swapInner(gamma.value().data(), 1, features / c, c), torchShape()));
        sd.put("bias", Tensor.of(Layouts.swapInner(beta.value().data(), 1, features / c, c), torchShape()));
        return sd;
    }

    @Override
    public void loadState(String name, Tensor value) {
        int c = channels();
        switch (name) {
            case "weight" -> Layouts.copy(Layouts.swapInner(value.data(), 1, c, features / c), gamma);
            case "bias" -> Layouts.copy(Layouts.swapInner(value.data(), 1, c, features / c), beta);
            default -> super.loadState(name, value);
        }
    }

    @Override
    public List<String> torchModules() {
        int[] t = torchShape();
        StringBuilder dims = new StringBuilder();
        for (int d : t) dims.append(dims.isEmpty() ? "" : ", ").append(d);
        return List.of("nn.LayerNorm([" + dims + "], eps=" + eps + ")");
    }
}
