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
 * What Dense, Conv2D and Conv2DTranspose share: a kernel whose PyTorch layout is [a][b][kH][kW]
 * (Dense: [a][b] = [out][in]), stored channels-last as [a][kH][kW][b] (Dense: [in][out], as
 * Keras stores it), and an optional bias added over the last (channel) axis.
 */
abstract class KernelLayer implements Layer {
    private final Var kernel;
    private final Var bias;
    private final Parameter.Kind kind;
    /** The stored kernel is PyTorch's with two axes swapped: [outer][rows][cols] stored is [outer][cols][rows] in PyTorch. */
    private final int outer, rows, cols;
    private final int[] torchShape;

    /**
     * @param torchShape the kernel's PyTorch shape, [a, b] or [a, b, kH, kW]
     * @param biasSize   0 for no bias
     */
    KernelLayer(Parameter.Kind kind, int[] torchShape, int biasSize, Initializer init, int fanIn, int fanOut, Rng rng) {
        this.kind = kind;
        this.torchShape = torchShape.clone();
        int a = torchShape[0], b = torchShape[1];
        Tensor w;
        if (torchShape.length == 4) {
            outer = a;
            rows = torchShape[2] * torchShape[3];
            cols = b;
            w = Tensor.zeros(a, torchShape[2], torchShape[3], b);
            init.fill(w.data(), fanIn, fanOut, rng);
        } else {
            outer = 1;
            rows = b;
            cols = a;
            // Drawn in PyTorch's order, the order Dense stored its kernel in until it was stored
            // [in][out], so that a seed still gives the network it gave before.
            float[] drawn = new float[a * b];
            init.fill(drawn, fanIn, fanOut, rng);
            w = Tensor.of(Layouts.swapInner(drawn, outer, cols, rows), b, a);
        }
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
        sd.put("weight", Tensor.of(Layouts.swapInner(kernel.value().data(), outer, rows, cols), torchShape));
        if (bias != null) sd.put("bias", bias.value().copy());
        return sd;
    }

    @Override
    public void loadState(String name, Tensor value) {
        switch (name) {
            case "weight" -> Layouts.copy(Layouts.swapInner(value.data(), outer, cols, rows), kernel);
            case "bias" -> Layouts.copy(value.data(), bias);
            default -> Layer.super.loadState(name, value);
        }
    }

    boolean hasBias() {
        return bias != null;
    }
}
