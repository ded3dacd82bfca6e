package wgan.nn;

import java.util.List;
import java.util.Map;
import wgan.tensor.Tensor;

/**
 * A network as a checkpoint sees it: its trainable parameters and its state dict in PyTorch's
 * names and layouts ({@link Sequential}, and {@link Branched} for a network with several outputs).
 */
public interface Module {
    /** Every trainable parameter, named as in the state dict. */
    List<Parameter> parameters();

    /** Copies of every parameter and buffer, in PyTorch's names, layouts and order. */
    Map<String, Tensor> stateDict();

    /**
     * Sets parameters and buffers from a state dict, as PyTorch's load_state_dict does; nothing is
     * changed unless the whole dict is acceptable.
     */
    void loadStateDict(Map<String, Tensor> sd, boolean strict);
}
