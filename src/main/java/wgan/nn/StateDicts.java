package wgan.nn;

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
}
