package wgan.kernels;

/**
 * A per-thread float buffer kept between kernel calls, so that a training step does not
 * allocate (and zero) megabytes per convolution or GEMM. Contents are not zeroed and not kept.
 * A buffer is marked busy while in use: a call nested in another on the same thread (from a
 * loop body) then gets a new one instead of overwriting the outer one's. Taking and giving back
 * cost one thread-local lookup and no allocation, as im2col packing does it once per sliver.
 * Callers give back in a finally block, so a kernel that throws leaves no slot marked busy.
 */
final class Scratch {
    private static final class Slot {
        float[] buffer = new float[0];
        boolean busy;
    }

    private final ThreadLocal<Slot> slot = ThreadLocal.withInitial(Slot::new);

    /** The calling thread's buffer if it is free and has at least size floats; a new one otherwise. */
    float[] take(int size) {
        Slot s = slot.get();
        if (s.busy) return new float[size];
        s.busy = true;
        if (s.buffer.length < size) s.buffer = new float[size];
        return s.buffer;
    }

    /** Gives back a buffer from {@link #take}; one that a nested take made for the occasion is dropped. */
    void give(float[] buffer) {
        Slot s = slot.get();
        if (buffer == s.buffer) s.busy = false;
    }
}
