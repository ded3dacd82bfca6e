package wgan.nn;

import java.util.List;
import java.util.function.UnaryOperator;
import wgan.autodiff.Grad;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * The gradient penalty of WGAN-GP (Gulrajani et al. 2017, Algorithm 1, lines 6-7):
 * <pre>
 *   x_hat   = eps * x_real + (1 - eps) * x_fake,   eps ~ U[0, 1] per sample
 *   penalty = lambda * mean_n (||grad_x_hat D(x_hat)_n||_2 - 1)^2
 * </pre>
 * with the norm per sample over all its features, and the one-sided variant of their
 * appendix, max(0, ||g|| - 1)^2. The input gradient is taken with a graph, so the penalty's
 * gradient with respect to the critic's weights is exact (double backprop).
 */
public final class GradientPenalty {
    /**
     * Added under the root of the squared norm: it keeps the norm's derivative finite where the
     * input gradient vanishes (e.g. a critic with all-zero weights), and moves norms by under 1e-6.
     */
    private static final float NORM_EPSILON = 1e-12f;

    public enum Side { TWO_SIDED, ONE_SIDED }

    /** The penalty, and the per-sample norms of the critic's input gradient it was computed from, [N, 1]. */
    public record Penalty(Var value, Tensor norms) {}

    private GradientPenalty() {}

    /**
     * The penalty for a batch, drawing one eps per sample from {@code rng}.
     *
     * @param critic x -> D(x), e.g. {@code x -> critic.forward(x, true)}; output [N, 1]
     * @param real   [N, ...] real samples; fake of the same shape (no gradient flows to either)
     */
    public static Var penalty(UnaryOperator<Var> critic, Tensor real, Tensor fake, float lambda, Side side, Rng rng) {
        return withNorms(critic, real, fake, lambda, side, rng).value();
    }

    /** {@link #penalty(UnaryOperator, Tensor, Tensor, float, Side, Rng)} with the gradient norms, for a run's health warnings. */
    public static Penalty withNorms(UnaryOperator<Var> critic, Tensor real, Tensor fake, float lambda, Side side, Rng rng) {
        float[] eps = new float[real.dim(0)];
        rng.fillUniform(eps, 0f, 1f);
        return atInterpolates(critic, interpolate(real, fake, eps), lambda, side);
    }

    /** x_hat = eps_n * real + (1 - eps_n) * fake, sample by sample. */
    public static Tensor interpolate(Tensor real, Tensor fake, float[] eps) {
        if (!real.sameShape(fake) || real.dim(0) != eps.length) {
            throw new IllegalArgumentException("cannot interpolate " + real + " and " + fake + " with " + eps.length + " factors");
        }
        Tensor xHat = Tensor.zeros(real.shape());
        int per = real.size() / eps.length;
        float[] r = real.data(), f = fake.data(), x = xHat.data();
        for (int i = 0; i < x.length; i++) {
            float e = eps[i / per];
            x[i] = e * r[i] + (1 - e) * f[i];
        }
        return xHat;
    }

    /** The penalty at given interpolates x_hat [N, ...]. */
    public static Var penalty(UnaryOperator<Var> critic, Tensor xHat, float lambda, Side side) {
        return atInterpolates(critic, xHat, lambda, side).value();
    }

    private static Penalty atInterpolates(UnaryOperator<Var> critic, Tensor xHat, float lambda, Side side) {
        Var x = Var.param(xHat); // a leaf that requires a gradient, so that grad_x D(x) exists
        Var scores = critic.apply(x);
        // Samples are independent (without batch norm), so d sum(D) / d x_hat holds each
        // sample's own input gradient.
        Var g = Grad.grad(Ops.sum(scores), List.of(x), true).get(0);
        Var norm = Ops.sqrt(Ops.addScalar(Ops.sumPerSample(Ops.square(g)), NORM_EPSILON));
        Var deviation = Ops.addScalar(norm, -1f);
        Var perSample = Ops.square(side == Side.TWO_SIDED ? deviation : Ops.relu(deviation));
        return new Penalty(Ops.scale(Ops.mean(perSample), lambda), norm.value());
    }
}
