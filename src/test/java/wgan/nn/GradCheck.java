package wgan.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import wgan.autodiff.Grad;
import wgan.autodiff.Var;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * Checks gradients against central finite differences along random directions: for each Var v
 * of wrt and a random d (entries N(0,1)), (L(v + h d) - L(v - h d)) / 2h against &lt;dL/dv, d&gt;.
 *
 * <p>Tolerance: the engine is float32, so L carries a relative rounding error of about 1e-6
 * (a few ulps through a few layers); divided by 2h with h = 1e-3 that is 1e-3 * |L| in the
 * difference quotient, and the truncation error is O(h^2) ~ 1e-6 for O(1) curvature. The
 * check allows 1% of the derivative plus 2e-3 * |L|; a wrong rule (a missing term, a wrong
 * transpose, a lost second-order path) moves the derivative by far more.
 *
 * <p>Piecewise-linear activations have kinks; a difference quotient across one is meaningless.
 * The loss therefore reports a "pattern" (the signs of every activation input) and a direction
 * whose two evaluations see different patterns is drawn again with a smaller step.
 */
final class GradCheck {
    static final double H = 1e-3;

    /** One evaluation of the loss: its value and the activation sign pattern it saw. */
    record Eval(Var loss, List<boolean[]> pattern) {}

    private GradCheck() {}

    static void check(Supplier<Eval> loss, List<Var> wrt, Rng rng, String what) {
        Eval base = loss.get();
        List<Var> grads = Grad.grad(base.loss(), wrt, false);
        double lossScale = Math.abs(base.loss().value().item());
        for (int k = 0; k < wrt.size(); k++) {
            float[] v = wrt.get(k).value().data();
            float[] g = grads.get(k).value().data();
            checkOne(loss, v, g, rng, lossScale, what + " wrt #" + k + " " + Arrays.toString(wrt.get(k).shape()));
        }
    }

    private static void checkOne(Supplier<Eval> loss, float[] v, float[] g, Rng rng, double lossScale, String what) {
        double h = H;
        for (int attempt = 0; attempt < 8; attempt++, h /= 2) {
            float[] d = new float[v.length];
            rng.fillGaussian(d, 0f, 1f);
            float[] saved = v.clone();
            Eval plus = evalAt(loss, v, saved, d, h);
            Eval minus = evalAt(loss, v, saved, d, -h);
            System.arraycopy(saved, 0, v, 0, v.length);
            if (!samePattern(plus.pattern(), minus.pattern())) continue;
            double fd = (plus.loss().value().item() - minus.loss().value().item()) / (2 * h);
            double analytic = 0;
            for (int i = 0; i < v.length; i++) analytic += (double) g[i] * d[i];
            double tol = 0.01 * Math.max(Math.abs(fd), Math.abs(analytic)) + 2e-3 * lossScale * (H / h) + 1e-6;
            assertEquals(fd, analytic, tol, what + " (h=" + h + ")");
            return;
        }
        fail(what + ": every direction crossed a kink");
    }

    private static Eval evalAt(Supplier<Eval> loss, float[] v, float[] saved, float[] d, double h) {
        // Not under Grad.noGrad(): a gradient penalty needs its inner graph even here.
        for (int i = 0; i < v.length; i++) v[i] = (float) (saved[i] + h * d[i]);
        return loss.get();
    }

    private static boolean samePattern(List<boolean[]> a, List<boolean[]> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!Arrays.equals(a.get(i), b.get(i))) return false;
        return true;
    }

    /**
     * Runs a Sequential layer by layer, recording the sign of every input of an Activation
     * (where the piecewise-linear ones have their kinks) into {@code pattern}.
     */
    static Var forwardRecording(Sequential model, Var x, boolean training, List<boolean[]> pattern) {
        for (Layer l : model.layers()) {
            if (l instanceof Activation) pattern.add(signs(x.value()));
            x = l.forward(x, training);
        }
        return x;
    }

    /** Which elements are positive: where a piecewise-linear activation is on which side of its kink. */
    static boolean[] signs(Tensor t) {
        float[] v = t.data();
        boolean[] signs = new boolean[v.length];
        for (int i = 0; i < v.length; i++) signs[i] = v[i] > 0;
        return signs;
    }

    /** A tensor of N(0,1) values. */
    static Tensor gaussian(Rng rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        rng.fillGaussian(t.data(), 0f, 1f);
        return t;
    }

    /** L = sum(y * r) for a fixed random r: every output element gets its own weight. */
    static Var weightedSum(Var y, Tensor r) {
        return wgan.autodiff.Ops.sum(wgan.autodiff.Ops.mul(y, Var.constant(r)));
    }

    static List<Var> vars(List<Parameter> ps) {
        List<Var> vs = new ArrayList<>();
        for (Parameter p : ps) vs.add(p.var());
        return vs;
    }
}
