package wgan.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import wgan.tensor.Tensor;

/**
 * Conventions of wgan's state dicts ({@code Map<String, Tensor>} in PyTorch names and layouts).
 *
 * <p>Every entry is a float32 {@link wgan.tensor.Tensor} except those whose name ends with
 * {@link #NUM_BATCHES_TRACKED}: PyTorch's BatchNorm keeps that counter as a 0-dim int64 tensor,
 * so wgan stores it as a rank-0 tensor holding the count (exact up to 2^24 batches) and a
 * safetensors writer must emit such entries as I64 (and a reader convert them back).
 */
public final class StateDicts {
    public static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

    private StateDicts() {}

    /** Whether the entry is an int64 in PyTorch (see the class comment). */
    public static boolean isInt64(String name) {
        return name.equals(NUM_BATCHES_TRACKED) || name.endsWith("." + NUM_BATCHES_TRACKED);
    }

    /**
     * Refuses {@code given} for a module whose state dict is {@code expected}, as PyTorch's
     * load_state_dict does: every given entry must have the expected shape, and with
     * {@code strict} the names must match exactly. The message lists every problem.
     */
    static void requireLoadable(Map<String, Tensor> expected, Map<String, Tensor> given, boolean strict) {
        List<String> problems = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>(expected.keySet());
        missing.removeAll(given.keySet());
        Set<String> unexpected = new LinkedHashSet<>(given.keySet());
        unexpected.removeAll(expected.keySet());
        if (strict && !missing.isEmpty()) problems.add("missing keys " + missing);
        if (strict && !unexpected.isEmpty()) problems.add("unexpected keys " + unexpected);
        expected.forEach((name, t) -> {
            Tensor g = given.get(name);
            if (g != null && !g.sameShape(t)) {
                problems.add(name + " has shape " + Arrays.toString(g.shape()) + ", the model's is " + Arrays.toString(t.shape()));
            }
        });
        if (!problems.isEmpty()) throw new IllegalArgumentException("cannot load state dict: " + String.join("; ", problems));
    }
}
