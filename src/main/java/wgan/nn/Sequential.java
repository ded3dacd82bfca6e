package wgan.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import wgan.autodiff.Grad;
import wgan.autodiff.Var;
import wgan.kernels.ConvGeometry.Padding;
import wgan.kernels.Elementwise;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * Layers applied in order, named as the equivalent PyTorch {@code nn.Sequential} names them:
 * module i's parameters are {@code "i.weight"}, {@code "i.bias"}, where indices count every module,
 * activations, Flatten and padding included ({@link #torchSource()} prints that Sequential).
 *
 * <p>Models are written with {@link #builder}, which tracks the per-sample shape so that each
 * line reads like a line of a Keras model:
 * <pre>
 *   Sequential.builder(rng, 28, 28, 1)
 *       .conv2d(64, 4, 2, Padding.SAME, Initializer.normal(0.02f)).batchNorm().leakyRelu(0.2f)
 *       .flatten().dense(1, Initializer.glorotUniform())
 *       .build();
 * </pre>
 */
public final class Sequential implements Module {
    private final int[] inputShape;
    private final List<Layer> layers;
    /** The PyTorch index under which each layer's state is named (that of its last module). */
    private final int[] index;

    private Sequential(int[] inputShape, List<Layer> layers) {
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
        this.index = new int[layers.size()];
        int next = 0;
        for (int i = 0; i < layers.size(); i++) {
            next += layers.get(i).torchModuleCount();
            index[i] = next - 1;
        }
    }

    /** Input x is [N, ...inputShape]. */
    public Var forward(Var x, boolean training) {
        int[] perSample = Arrays.copyOfRange(x.shape(), 1, x.value().rank());
        if (!Arrays.equals(perSample, inputShape)) {
            throw new IllegalArgumentException("input " + x + " does not have per-sample shape " + Arrays.toString(inputShape));
        }
        for (int i = 0; i < layers.size(); i++) {
            if (!training && !Grad.isRecording() && isBiasNormRectifier(i)) {
                x = biasNormRectifier((KernelLayer) layers.get(i), (BatchNormalization) layers.get(i + 1),
                        ((Activation) layers.get(i + 2)).rectifierSlope(), x);
                i += 2;
            } else {
                x = layers.get(i).forward(x, training);
            }
        }
        return x;
    }

    /** Whether layers i, i+1, i+2 are a kernel layer, a batch norm and a (leaky) ReLU. */
    private boolean isBiasNormRectifier(int i) {
        return i + 2 < layers.size() && layers.get(i) instanceof KernelLayer
                && layers.get(i + 1) instanceof BatchNormalization
                && layers.get(i + 2) instanceof Activation a && !Float.isNaN(a.rectifierSlope());
    }

    /**
     * Inference with no graph recorded: the kernel layer's bias, the batch norm with its running
     * statistics and the rectifier in one pass over the layer's output
     * ({@link Elementwise#biasScaleShiftLeakyRelu}), the same values as the three layers in turn.
     * The critic's fakes (E1: 160 of them, 16M floats after the last transposed convolution) took
     * three passes over memory, and three outputs, that way.
     */
    private static Var biasNormRectifier(KernelLayer layer, BatchNormalization norm, float slope, Var x) {
        Var y = layer.linear(x);
        Var[] affine = norm.runningAffine();
        Tensor out = Tensor.uninitialised(y.shape());
        Elementwise.biasScaleShiftLeakyRelu(y.value().data(), layer.bias() == null ? null : layer.bias().value().data(),
                affine[0].value().data(), affine[1].value().data(), slope, out.data());
        return Var.constant(out);
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    /**
     * The first {@code n} layers, the same objects (so the same parameters, under the same names):
     * a decoder without its output activation gives the logits its loss is computed from.
     */
    public Sequential head(int n) {
        return new Sequential(inputShape, layers.subList(0, n));
    }

    public int[] outputShape() {
        return layers.isEmpty() ? inputShape() : layers.get(layers.size() - 1).outputShape();
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Every trainable parameter, named "index.name". */
    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) ps.add(p.prefixed(Integer.toString(index[i])));
        }
        return ps;
    }

    /**
     * Copies of every parameter and buffer in PyTorch's names and layouts, in PyTorch's order,
     * so that {@code model.load_state_dict(sd, strict=True)} accepts it for the module
     * {@link #torchSource()} prints. Conventions (int64 counters): {@link StateDicts}.
     */
    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            String prefix = index[i] + ".";
            layers.get(i).stateDict().forEach((name, t) -> sd.put(prefix + name, t));
        }
        return sd;
    }

    /**
     * Sets parameters and buffers from a state dict. As PyTorch's load_state_dict: every given
     * entry must have the expected shape; with {@code strict}, the names must match exactly,
     * without it missing entries keep their values and unknown ones are ignored. Nothing is
     * changed unless the whole dict is acceptable.
     */
    @Override
    public void loadStateDict(Map<String, Tensor> sd, boolean strict) {
        StateDicts.requireLoadable(stateDict(), sd, strict);
        for (int i = 0; i < layers.size(); i++) {
            String prefix = index[i] + ".";
            for (String name : layers.get(i).stateDict().keySet()) {
                Tensor given = sd.get(prefix + name);
                if (given != null) layers.get(i).loadState(name, given);
            }
        }
    }

    /** The equivalent PyTorch model as Python source ({@code import torch.nn as nn}), one module a line. */
    public String torchSource() {
        StringBuilder sb = new StringBuilder("nn.Sequential(\n");
        int i = 0;
        for (Layer l : layers) {
            for (String m : l.torchModules()) sb.append("    ").append(m).append(",  # ").append(i++).append('\n');
        }
        return sb.append(")").toString();
    }

    public static Builder builder(Rng rng, int... inputShape) {
        return new Builder(rng, inputShape);
    }

    /**
     * Adds layers for the current per-sample shape. Kernels are initialised from the builder's
     * Rng in the order the layers are added; biases start at zero (Keras).
     */
    public static final class Builder {
        private final Rng rng;
        private final int[] inputShape;
        private final List<Layer> layers = new ArrayList<>();
        private int[] shape;

        private Builder(Rng rng, int[] inputShape) {
            this.rng = rng;
            this.inputShape = inputShape.clone();
            this.shape = inputShape.clone();
        }

        /** Adds the layer made for the current shape. */
        public Builder add(Function<int[], Layer> layer) {
            Layer l = layer.apply(shape.clone());
            layers.add(l);
            shape = l.outputShape();
            return this;
        }

        private int features() {
            if (shape.length != 1) throw new IllegalStateException("Dense needs a vector input, not " + Arrays.toString(shape));
            return shape[0];
        }

        public Builder dense(int units, Initializer init) {
            int in = features();
            return add(s -> new Dense(in, units, init, rng));
        }

        public Builder conv2d(int filters, int kernelSize, int stride, Padding padding, Initializer init) {
            return add(s -> new Conv2D(s, filters, kernelSize, stride, padding, true, init, rng));
        }

        public Builder conv2dNoBias(int filters, int kernelSize, int stride, Padding padding, Initializer init) {
            return add(s -> new Conv2D(s, filters, kernelSize, stride, padding, false, init, rng));
        }

        public Builder conv2dTranspose(int filters, int kernelSize, int stride, Padding padding, Initializer init) {
            return add(s -> new Conv2DTranspose(s, filters, kernelSize, stride, padding, init, rng));
        }

        /** Keras defaults: momentum 0.99, eps 1e-3. */
        public Builder batchNorm() {
            return add(s -> new BatchNormalization(s, BatchNormalization.KERAS_MOMENTUM, BatchNormalization.KERAS_EPSILON));
        }

        /** PyTorch nn.LayerNorm over all per-sample axes, eps 1e-5. */
        public Builder layerNorm() {
            return add(s -> new LayerNormalization(s, LayerNormalization.TORCH_EPSILON));
        }

        public Builder leakyRelu(float alpha) {
            return add(s -> Activation.leakyRelu(s, alpha));
        }

        public Builder relu() {
            return add(Activation::relu);
        }

        public Builder tanh() {
            return add(Activation::tanh);
        }

        public Builder sigmoid() {
            return add(Activation::sigmoid);
        }

        public Builder flatten() {
            return add(Flatten::new);
        }

        /** Vector to (h, w, c), reading (c, h, w) order (see {@link Reshape}). */
        public Builder reshape(int h, int w, int c) {
            return add(s -> new Reshape(s, h, w, c));
        }

        public Builder upSampling(int factor, UpSampling2D.Interpolation interpolation) {
            return add(s -> new UpSampling2D(s, factor, interpolation));
        }

        public Sequential build() {
            return new Sequential(inputShape, layers);
        }
    }
}
