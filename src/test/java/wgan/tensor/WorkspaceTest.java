package wgan.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Lending, taking back and recycling of the big arrays of a training step. */
class WorkspaceTest {
    private static final int BIG = Workspace.MIN_FLOATS;

    /** Within one lease every array is its own; the next lease gets the same arrays back, zeroed when asked for zeros. */
    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aLeaseLendsDistinctArraysAndTheNextOneRecyclesThem(long seed) {
        Random r = new Random(seed);
        int[] sizes = new int[2 + r.nextInt(6)];
        for (int i = 0; i < sizes.length; i++) sizes[i] = BIG + r.nextInt(3) * 7;
        Workspace w = new Workspace();
        float[][] first = new float[sizes.length][];
        try (var lease = w.lend()) {
            Set<float[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < sizes.length; i++) {
                first[i] = Tensor.zeros(sizes[i]).data();
                assertTrue(seen.add(first[i]), "array " + i + " lent twice in one lease");
                java.util.Arrays.fill(first[i], 1f + i);
            }
        }
        try (var lease = w.lend()) {
            Set<float[]> firstSet = Collections.newSetFromMap(new IdentityHashMap<>());
            Collections.addAll(firstSet, first);
            for (int size : sizes) {
                float[] a = Tensor.zeros(size).data();
                assertTrue(firstSet.remove(a), "a new array where a recycled one of " + size + " floats was free");
                for (float v : a) assertEquals(0f, v);
            }
        }
    }

    @Test
    void smallArraysAndArraysWithoutALeaseAreNew() {
        Workspace w = new Workspace();
        float[] small;
        try (var lease = w.lend()) {
            small = Tensor.zeros(BIG - 1).data();
        }
        try (var lease = w.lend()) {
            assertNotSame(small, Tensor.zeros(BIG - 1).data());
        }
        float[] outside = Tensor.zeros(BIG).data();
        try (var lease = w.lend()) {
            assertNotSame(outside, Tensor.zeros(BIG).data());
        }
        assertEquals(BIG, w.ownedFloats());
    }

    @Test
    void arraysPastTheCapacityAreNotKept() {
        Workspace w = new Workspace(BIG, 1, false);
        float[] kept, extra;
        try (var lease = w.lend()) {
            kept = Tensor.uninitialised(BIG).data();
            extra = Tensor.uninitialised(BIG).data();
        }
        assertEquals(BIG, w.ownedFloats());
        try (var lease = w.lend()) {
            assertSame(kept, Tensor.uninitialised(BIG).data());
            assertNotSame(extra, Tensor.uninitialised(BIG).data());
        }
    }

    @Test
    void aPoisoningWorkspaceFillsUninitialisedArraysWithNaN() {
        Workspace w = Workspaces.poisoning();
        try (var lease = w.lend()) {
            for (float v : Tensor.uninitialised(3, 5).data()) assertTrue(Float.isNaN(v));
            for (float v : Tensor.zeros(3, 5).data()) assertEquals(0f, v);
        }
    }

    @Test
    void oneLeaseAtATimePerThread() {
        Workspace w = new Workspace();
        try (var lease = w.lend()) {
            assertThrows(IllegalStateException.class, w::lend);
            assertThrows(IllegalStateException.class, () -> new Workspace().lend());
        }
        w.lend().close();
    }
}
