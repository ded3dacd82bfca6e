package wgan.autodiff;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import wgan.tensor.Tensor;

/**
 * Finite-difference checks of the engine's gradients.
 *
 * <p>The engine computes in float32, the differences in double: with eps = 1e-2 and values and
 * derivatives O(1), the central difference has truncation error eps^2/6 * f''' ~ 2e-5 and
 * rounding error ~ (float ulp of f ~ 1e-6 |f|) / eps ~ 1e-4 |f|. The tolerance
 * {@code ABS * (1 + max |fd|) + REL * |fd_i|} (ABS = 2e-3, REL = 1e-2) sits an order of
 * magnitude above that noise and two below any O(1) error: a wrong sign, a factor of 2, a missing
 * term or a transposed index all change some entry by O(|gradient|).
 */
final class Check {
    static final double EPS = 1e-2;
    static final double ABS = 2e-3;
    static final double REL = 1e-2;

    private Check() {}

    /** Uniform values in [lo, hi). */
    static Tensor uniform(Random rnd, double lo, double hi, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        return t;
    }

    /** Values in [-1, -gap] or [gap, 1]: at least gap from a kink at 0. */
    static Tensor awayFromZero(Random rnd, double gap, int... shape) {
        Tensor t = uniform(rnd, gap, 1, shape);
        for (int i = 0; i < t.size(); i++) if (rnd.nextBoolean()) t.data()[i] = -t.data()[i];
        return t;
    }

    static List<Var> params(List<Tensor> values) {
        List<Var> vars = new ArrayList<>();
        for (Tensor t : values) vars.add(Var.param(t));
        return vars;
    }

    /** sum(r * y) with fixed random weights r in [-1, 1): a random scalar projection of y. */
    static Var project(Var y, long seed) {
        Tensor r = uniform(new Random(seed), -1, 1, y.shape());
        return Ops.sum(Ops.mul(Var.constant(r), y));
    }

    /** Central differences of the scalar f at the given point, one per element of every tensor. */
    static List<double[]> finiteDifferences(Function<List<Var>, Var> f, List<Tensor> point) {
        List<double[]> result = new ArrayList<>();
        for (Tensor t : point) {
            double[] d = new double[t.size()];
            float[] v = t.data();
            for (int i = 0; i < v.length; i++) {
                float saved = v[i];
                v[i] = (float) (saved + EPS);
                double up = evaluate(f, point);
                v[i] = (float) (saved - EPS);
                double down = evaluate(f, point);
                v[i] = saved;
                d[i] = (up - down) / (2 * EPS);
            }
            result.add(d);
        }
        return result;
    }

    /** f at the point, as a double (evaluated on fresh leaves that require gradients). */
    static double evaluate(Function<List<Var>, Var> f, List<Tensor> point) {
        return f.apply(params(point)).value().item();
    }

    /** Checks grad f (from the engine) against central differences at the point. */
    static void gradientMatchesFiniteDifferences(Function<List<Var>, Var> f, List<Tensor> point) {
        List<Var> vars = params(point);
        List<Var> grads = Grad.grad(f.apply(vars), vars, false);
        List<double[]> fd = finiteDifferences(f, point);
        for (int k = 0; k < point.size(); k++) {
            assertClose("gradient of input " + k, fd.get(k), grads.get(k).value().data());
        }
    }

    static void assertClose(String what, double[] expected, float[] actual) {
        if (expected.length != actual.length) fail(what + ": " + actual.length + " values, expected " + expected.length);
        double scale = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            double tol = ABS * (1 + scale) + REL * Math.abs(expected[i]);
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail(what + " [" + i + "]: " + actual[i] + ", expected " + expected[i] + " (tolerance " + tol + ")\n"
                        + "expected " + Arrays.toString(expected) + "\nactual   " + Arrays.toString(actual));
            }
        }
    }

    /** Forward values: float32 against a double reference, relative to the output's scale. */
    static void assertForward(double[] expected, float[] actual) {
        if (expected.length != actual.length) fail(actual.length + " values, expected " + expected.length);
        double scale = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 * (1 + scale);
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail("value [" + i + "]: " + actual[i] + ", expected " + expected[i] + " (tolerance " + tol + ")");
            }
        }
    }
}
