package wgan.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * What Dense, Conv2D and Conv2DTranspose share: a kernel stored [a][kH][kW][b] (Dense: [out][in],
 * i.e. kH = kW = 1) whose PyTorch layout is [a][b][kH][kW], and an optional bias added over the
 * last (channel) axis.
 */
abstract class KernelLayer implements Layer {
    private final Var kernel;
    private final Var bias;
    private final Parameter.Kind kind;
    private final int a, spatial, b;
    private final int[] torchShape;

    /**
     * @param torchShape the kernel's PyTorch shape, [a, b] or [a, b, kH, kW]
     * @param biasSize   0 for no bias
     */
    KernelLayer(Parameter.Kind kind, int[] torchShape, int biasSize, Initializer init, int fanIn, int fanOut, Rng rng) {
        this.kind = kind;
        this.torchShape = torchShape.clone();
        this.a = torchShape[0];
        this.b = torchShape[1];
        this.spatial = torchShape.length == 4 ? torchShape[2] * torchShape[3] : 1;
        int[] shape = torchShape.length == 4 ? new int[] {a, torchShape[2], torchShape[3], b} : new int[] {a, b};
        Tensor w = Tensor.zeros(shape);
        init.fill(w.data(), fanIn, fanOut, rng);
        this.kernel = Var.param(w);
        this.bias = biasSize > 0 ? Var.param(Tensor.zeros(biasSize)) : null;
    }

    Var kernel() {
        return kernel;
    }

    /** The bias, or null. */
    Var bias() {
        return bias;
    }

    /** The layer's linear map, before the bias. */
    abstract Var linear(Var x);

    @Override
    public final Var forward(Var x, boolean training) {
        return bias == null ? linear(x) : Ops.addBias(linear(x), bias);
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        ps.add(new Parameter("weight", kernel, kind));
        if (bias != null) ps.add(new Parameter("bias", bias, Parameter.Kind.BIAS));
        return ps;
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("weight", Tensor.of(Layouts.swapInner(kernel.value().data(), a, spatial, b), torchShape));
        if (bias != null) sd.put("bias", bias.value().copy());
        return sd;
    }

    @Override
    public void loadState(String name, Tensor value) {
        switch (name) {
            case "weight" -> Layouts.copy(Layouts.swapInner(value.data(), a, b, spatial), kernel);
            case "bias" -> Layouts.copy(value.data(), bias);
            default -> Layer.super.loadState(name, value);
        }
    }

    boolean hasBias() {
        return bias != null;
    }
}
