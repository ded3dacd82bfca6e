package wgan.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import wgan.kernels.Elementwise;

/**
 * Big arrays lent to the tensors of one training step and taken back at its end, so that the
 * next step reuses them instead of allocating new ones.
 *
 * <p>Why: a new Java array is zeroed by the thread that allocates it, alone, while the other
 * threads wait; an E1 iteration makes most of a gigabyte of activations and gradients
 * (docs/performance.md has the figures). A recycled array is cleared by
 * all threads ({@link Elementwise#clear}), or not at all where the op that fills it
 * overwrites every element ({@link Tensor#uninitialised}).
 *
 * <p>The rule that makes it safe: while a {@link #lend()} is open on a thread, every big tensor
 * that thread makes belongs to the step, and no reference to one may outlive the lease.
 * Arrays smaller than {@link #MIN_FLOATS} are never lent (they are cheap to make, and a
 * parameter's gradient, its optimiser state and batch-norm statistics are among them, or are
 * copies: see {@code Grad.accumulate}); neither are arrays past the workspace's capacity.
 * A step's values never depend on which arrays it was lent.
 */
public final class Workspace {
    /** Arrays below 1 MB are made with {@code new} as before: the JVM makes those quickly. */
    static final int MIN_FLOATS = 1 << 18;

    private static final ThreadLocal<Workspace> LENDING = new ThreadLocal<>();

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final List<float[]> lent = new ArrayList<>();
    private final long capacityFloats;
    private final int minFloats;
    private final boolean poisons;
    private long ownedFloats;

    /** A workspace for arrays of {@link #MIN_FLOATS} or more that holds at most a quarter of the heap. */
    public Workspace() {
        this(Runtime.getRuntime().maxMemory() / 4 / Float.BYTES, MIN_FLOATS, false);
    }

    /**
     * @param capacityFloats the most floats it owns; arrays past that are made with new
     * @param minFloats the smallest array it lends
     * @param poisons whether an uninitialised array it lends is first filled with NaN, so that a
     *     test sees any value its maker failed to write
     */
    Workspace(long capacityFloats, int minFloats, boolean poisons) {
        this.capacityFloats = capacityFloats;
        this.minFloats = minFloats;
        this.poisons = poisons;
    }

    /** An open lease: closing it takes back every array lent under it. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /** Lends this workspace's arrays to the big tensors this thread makes until the lease closes. */
    public Lease lend() {
        if (LENDING.get() != null) throw new IllegalStateException("a workspace is already lending on this thread");
        LENDING.set(this);
        return this::takeBack;
    }

    private void takeBack() {
        LENDING.remove();
        for (float[] a : lent) free.computeIfAbsent(a.length, n -> new ArrayDeque<>()).push(a);
        lent.clear();
    }

    /** Floats this workspace owns, lent or free. */
    long ownedFloats() {
        return ownedFloats;
    }

    /** n zeros: a lent array when a lease is open on this thread and n is big, else a new one. */
    static float[] zeros(int n) {
        return array(n, true);
    }

    /** n floats of unspecified value, for a caller that overwrites them all. */
    static float[] uninitialised(int n) {
        return array(n, false);
    }

    private static float[] array(int n, boolean clear) {
        Workspace w = LENDING.get();
        return w == null || n < w.minFloats ? new float[n] : w.take(n, clear);
    }

    private float[] take(int n, boolean clear) {
        ArrayDeque<float[]> q = free.get(n);
        float[] a = q == null ? null : q.poll();
        if (a == null) {
            a = new float[n];
            if (ownedFloats + n > capacityFloats) return a;
            ownedFloats += n;
        } else if (clear) {
            Elementwise.clear(a);
        }
        if (poisons && !clear) Arrays.fill(a, Float.NaN);
        lent.add(a);
        return a;
    }
}
