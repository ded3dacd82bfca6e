package wgan.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.tensor.Tensor;
import wgan.tensor.Workspace;
import wgan.tensor.Workspaces;

/**
 * Every op: its value against a plain reference, its gradient against finite differences of a
 * random projection, and the gradient of its gradient (double backprop) against finite
 * differences too.
 */
class OpsTest {
    static Stream<OpCase> cases() {
        return OpCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valueMatchesReference(OpCase c) {
        List<float[]> in = c.inputs().stream().map(Tensor::data).toList();
        Check.assertForward(c.reference().apply(in), c.op().apply(Check.params(c.inputs())).value().data());
    }

    /** d/dx sum(r * op(x)) for random r: every entry of the vector-Jacobian product. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferences(OpCase c) {
        Check.gradientMatchesFiniteDifferences(v -> Check.project(c.op().apply(v), 11), c.inputs());
    }

    /**
     * h(x, r2) = sum_k sum(r_k * d/dx_k sum(r2 * op(x))), with the inner gradient taken with
     * createGraph: its gradient with respect to every input and to the upstream weights r2
     * exercises every backward rule's own derivative.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void secondOrderGradientMatchesFiniteDifferences(OpCase c) {
        int inputs = c.inputs().size();
        Function<List<Var>, Var> h = v -> {
            List<Var> x = v.subList(0, inputs);
            Var y = c.op().apply(x);
            Var inner = Ops.sum(Ops.mul(v.get(inputs), y));
            List<Var> grads = Grad.grad(inner, x, true);
            Var total = Check.project(grads.get(0), 21);
            for (int k = 1; k < inputs; k++) total = Ops.add(total, Check.project(grads.get(k), 21 + k));
            return total;
        };
        List<Tensor> point = new ArrayList<>(c.inputs());
        Tensor y = c.op().apply(Check.params(c.inputs())).value();
        point.add(Check.uniform(new java.util.Random(31), -1, 1, y.shape()));
        Check.gradientMatchesFiniteDifferences(h, point);
    }

    /**
     * The op's value, gradient and gradient of its gradient, computed twice in a workspace that
     * lends every array and fills each uninitialised one with NaN first (the second time, the
     * first time's arrays): bitwise those computed with new arrays. A kernel that leaves an
     * element of an uninitialised output unwritten, or reads one, gives NaN or another value.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recycledArraysChangeNothing(OpCase c) {
        List<float[]> expected = valueAndGradients(c);
        Workspace w = Workspaces.poisoning();
        for (int round = 1; round <= 2; round++) {
            try (var lease = w.lend()) {
                List<float[]> actual = valueAndGradients(c);
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), actual.get(i), "result " + i + " in lease " + round);
                }
            }
        }
    }

    /** op(x), d/dx of a projection of it, and d/dx of a projection of that gradient, copied out. */
    private static List<float[]> valueAndGradients(OpCase c) {
        List<Var> x = Check.params(c.inputs());
        Var y = c.op().apply(x);
        List<float[]> out = new ArrayList<>();
        out.add(y.value().data().clone());
        List<Var> grads = Grad.grad(Check.project(y, 11), x, true);
        Var total = Check.project(grads.get(0), 21);
        for (int k = 1; k < grads.size(); k++) total = Ops.add(total, Check.project(grads.get(k), 21 + k));
        for (Var g : grads) out.add(g.value().data().clone());
        for (Var g : Grad.grad(total, x, false)) out.add(g.value().data().clone());
        return out;
    }
}
