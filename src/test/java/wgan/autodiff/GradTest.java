package wgan.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import wgan.tensor.Tensor;

/** The engine's bookkeeping: recording, accumulation over paths, the training path, pruning. */
class GradTest {
    private static Var param(float... v) {
        return Var.param(Tensor.of(v.clone(), v.length));
    }

    @Test
    void pathsThroughAVariableAreSummed() {
        Var x = param(3f);
        // y = x*x + 2x: dy/dx = 2x + 2 = 8, d2y/dx2 = 2.
        Var y = Ops.sum(Ops.add(Ops.mul(x, x), Ops.scale(x, 2f)));
        Var dx = Grad.grad(y, List.of(x), true).get(0);
        assertEquals(8f, dx.value().item());
        assertEquals(2f, Grad.grad(Ops.sum(dx), List.of(x), false).get(0).value().item());
    }

    @Test
    void seededGradientIsTheVectorJacobianProduct() {
        Var x = param(1f, 2f);
        Var seed = Var.constant(Tensor.of(new float[] {5f, -1f}, 2));
        // y = x * x: seed^T dy/dx = seed * 2x.
        Var dx = Grad.grad(Ops.mul(x, x), seed, List.of(x), false).get(0);
        assertArrayEquals(new float[] {10f, -4f}, dx.value().data());
    }

    @Test
    void backwardToChosenParametersLeavesTheOthersUntouched() {
        Var a = param(2f), b = param(-3f);
        // y = (a*b)^2: dy/da = 2ab*b = 36, dy/db = 2ab*a = -24.
        Var y = Ops.sum(Ops.square(Ops.mul(a, b)));
        Grad.backward(y, List.of(a));
        assertEquals(36f, a.grad().item());
        assertNull(b.grad(), "b was not asked for");
        Grad.backward(Ops.sum(Ops.square(Ops.mul(a, b))));
        assertEquals(72f, a.grad().item(), "the full path adds to what is there");
        assertEquals(-24f, b.grad().item());
    }

    @Test
    void noGradScopesNestAndRestore() {
        try (var outer = Grad.noGrad()) {
            try (var inner = Grad.noGrad()) {
                assertFalse(Grad.isRecording());
            }
            assertFalse(Grad.isRecording());
        }
        assertTrue(Grad.isRecording());
    }

    @Test
    void noGradRecordsNoParents() {
        Var x = param(1f, 2f);
        Var y;
        try (var s = Grad.noGrad()) {
            y = Ops.tanh(x);
            assertFalse(Grad.isRecording());
        }
        assertTrue(Grad.isRecording());
        assertTrue(y.isLeaf());
        assertFalse(y.requiresGrad());
    }

    @Test
    void opsOnConstantsRecordNothing() {
        Var c = Var.constant(Tensor.of(new float[] {1f, -2f}, 2));
        Var y = Ops.leakyRelu(Ops.scale(c, 3f), 0.2f);
        assertTrue(y.isLeaf());
        assertFalse(y.requiresGrad());
        assertArrayEquals(new float[] {3f, -1.2f}, y.value().data(), 1e-6f);
    }

    @Test
    void gradientsWithoutGraphAreConstants() {
        Var x = param(0.5f);
        Var dx = Grad.grad(Ops.sum(Ops.tanh(x)), List.of(x), false).get(0);
        assertTrue(dx.isLeaf());
        assertFalse(dx.requiresGrad());
    }

    @Test
    void backwardAccumulatesIntoLeavesAcrossCalls() {
        Var a = param(1f, 2f);
        Var b = param(3f, 4f);
        // loss = sum(a + b): both gradients are ones (and the same Var inside the pass).
        Grad.backward(Ops.sum(Ops.add(a, b)));
        Grad.backward(Ops.sum(Ops.mul(a, b)));
        assertArrayEquals(new float[] {4f, 5f}, a.grad().data());
        assertArrayEquals(new float[] {2f, 3f}, b.grad().data());
        a.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void detachCutsTheGraph() {
        Var x = param(2f);
        // y = x * detach(x): dy/dx = detach(x) = 2, not 2x = 4.
        Var y = Ops.sum(Ops.mul(x, Ops.detach(x)));
        assertEquals(2f, Grad.grad(y, List.of(x), false).get(0).value().item());
    }

    @Test
    void unreachedVariablesGetZeros() {
        Var x = param(1f);
        Var unused = param(1f, 1f);
        List<Var> g = Grad.grad(Ops.sum(x), List.of(x, unused), false);
        assertArrayEquals(new float[] {0f, 0f}, g.get(1).value().data());
    }

    @Test
    void gradientsOfConstantsAreRefused() {
        Var c = Var.constant(Tensor.of(new float[] {1f}, 1));
        assertThrows(IllegalArgumentException.class, () -> Grad.grad(Ops.sum(c), List.of(c), false));
    }

    @Test
    void onlyNeededParentsAreDifferentiated() {
        Var x = param(1f, 2f);
        Var w = param(3f, 4f);
        int[] calls = {0};
        Var probe = Ops.op(Tensor.of(new float[] {5f, 6f}, 2), (out, g, need) -> {
            calls[0]++;
            assertTrue(need[0]);
            assertFalse(need[1]);
            return new Var[] {g, null};
        }, x, w);
        Grad.grad(Ops.sum(probe), List.of(x), false);
        assertEquals(1, calls[0]);
    }
}
