package wgan.autodiff;

import wgan.tensor.Tensor;

/**
 * A node of the autodiff graph: a value, and (unless it is a leaf) the op that made it from its
 * parents. Parameters are leaves that require a gradient; {@link Grad#backward} accumulates
 * their gradient into {@link #grad()}.
 */
public final class Var {
    private final Tensor value;
    private final Var[] parents;
    private final Backward backward;
    private final boolean requiresGrad;
    private Tensor grad;

    /**
     * The backward rule of the op that made a Var: given the op's output {@code out} (rules such
     * as tanh's use it) and the gradient {@code gradOut} flowing into it, return one gradient per
     * parent, each of its parent's shape; entries whose {@code needed} flag is false may be null
     * (and should be, to save the work). It must be written with {@link Ops} so that the gradients
     * it returns can themselves be differentiated; when {@link Grad#isRecording()} is false nothing
     * will differentiate them, and a rule may compute the same values with fused kernels instead.
     */
    @FunctionalInterface
    public interface Backward {
        Var[] apply(Var out, Var gradOut, boolean[] needed);
    }

    Var(Tensor value, Var[] parents, Backward backward, boolean requiresGrad) {
        this.value = value;
        this.parents = parents;
        this.backward = backward;
        this.requiresGrad = requiresGrad;
    }

    /** A trainable leaf. */
    public static Var param(Tensor value) {
        return new Var(value, new Var[0], null, true);
    }

    /** A leaf that needs no gradient (data, labels, noise). */
    public static Var constant(Tensor value) {
        return new Var(value, new Var[0], null, false);
    }

    public Tensor value() {
        return value;
    }

    public int[] shape() {
        return value.shape();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public boolean isLeaf() {
        return backward == null;
    }

    Var[] parents() {
        return parents;
    }

    Backward backward() {
        return backward;
    }

    /** The accumulated gradient of a leaf (null until a backward pass reaches it). */
    public Tensor grad() {
        return grad;
    }

    void setGrad(Tensor g) {
        this.grad = g;
    }

    public void zeroGrad() {
        grad = null;
    }

    @Override
    public String toString() {
        return (isLeaf() ? (requiresGrad ? "Param" : "Const") : "Var") + value;
    }
}
