package wgan.nn;

import java.util.List;
import java.util.Map;
import wgan.autodiff.Var;
import wgan.tensor.Tensor;

/**
 * One layer of a {@link Sequential}, built for a known per-sample input shape ((H, W, C) for
 * images, (F) for feature vectors) so that its weights and its output shape are fixed.
 *
 * <p>Every forward pass is composed of {@code Ops}, so it can be differentiated twice.
 *
 * <p>A layer is the equivalent of one or more PyTorch modules ({@link #torchModules()}); in a
 * Sequential each of those modules takes an index, and the layer's parameters and buffers are
 * named under the index of its last module, as PyTorch names them.
 */
public interface Layer {
    /** {@code training} selects batch statistics (and updates running ones) in BatchNormalization. */
    Var forward(Var x, boolean training);

    /** Per-sample shape of the output. */
    int[] outputShape();

    /** Trainable parameters under their local PyTorch names ("weight", "bias"). */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Copies of the parameters and buffers in PyTorch names and layouts (e.g. a Conv2d weight as
     * [out, in, kh, kw]); see {@link Sequential#stateDict()}.
     */
    default Map<String, Tensor> stateDict() {
        return Map.of();
    }

    /**
     * Sets one entry of {@link #stateDict()} from a tensor of the same name and shape (the
     * caller has checked both).
     */
    default void loadState(String name, Tensor value) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " has no state entry " + name);
    }

    /**
     * The equivalent PyTorch modules as Python expressions, e.g. {@code "nn.LeakyReLU(0.2)"};
     * UnsupportedOperationException where PyTorch has no equivalent.
     */
    List<String> torchModules();

    /** How many indices the layer takes in a PyTorch nn.Sequential: the size of {@link #torchModules()}. */
    default int torchModuleCount() {
        return 1;
    }
}
