package wgan.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import wgan.kernels.Elementwise;
import wgan.tensor.Tensor;

/**
 * Reverse-mode differentiation over the graph of {@link Var}s that {@link Ops} record.
 *
 * <p>The chain rule in reverse: visit the nodes from the output back to the inputs in reverse
 * topological order; each node's gradient is complete when it is visited (all its consumers come
 * later in topological order), and its backward rule turns it into its parents' shares, which
 * are summed when a parent is reached by several paths.
 *
 * <p>Recording is thread-confined: {@link #noGrad()} stops the current thread's ops from keeping
 * parents. {@link #grad} with {@code createGraph} records the backward pass itself, so the
 * gradients it returns can be differentiated again (double backprop, as the gradient penalty needs).
 */
public final class Grad {
    private static final ThreadLocal<boolean[]> RECORDING = ThreadLocal.withInitial(() -> new boolean[] {true});

    private Grad() {}

    /** Restores the previous recording state when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;

        private Scope(boolean recording) {
            boolean[] state = RECORDING.get();
            previous = state[0];
            state[0] = recording;
        }

        @Override
        public void close() {
            RECORDING.get()[0] = previous;
        }
    }

    /** {@code try (var s = Grad.noGrad()) { ... }}: ops in the block record no graph. */
    public static Scope noGrad() {
        return new Scope(false);
    }

    /** Whether ops on this thread record their parents. */
    public static boolean isRecording() {
        return RECORDING.get()[0];
    }

    /**
     * The gradients of the scalar {@code y} with respect to {@code wrt}, each of which must require
     * a gradient (a parameter, a {@code Var.param} input, or a Var computed from one); zeros where
     * y does not depend on it.
     */
    public static List<Var> grad(Var y, List<Var> wrt, boolean createGraph) {
        if (y.value().size() != 1) {
            throw new IllegalArgumentException("grad of a non-scalar " + y + " needs a seed gradient");
        }
        return grad(y, Var.constant(ones(y.shape())), wrt, createGraph);
    }

    /**
     * The vector-Jacobian products {@code seed^T dy/dwrt} for each Var of {@code wrt}. With
     * {@code createGraph} the results are recorded Vars that can be differentiated again; without
     * it they are constants.
     */
    public static List<Var> grad(Var y, Var seed, List<Var> wrt, boolean createGraph) {
        for (Var v : wrt) {
            if (!v.requiresGrad()) throw new IllegalArgumentException(v + " does not require a gradient");
        }
        Set<Var> targets = identitySet(wrt);
        Map<Var, Var> grads;
        try (var s = new Scope(createGraph)) {
            grads = propagate(y, seed, targets::contains);
        }
        List<Var> result = new ArrayList<>(wrt.size());
        for (Var v : wrt) {
            Var g = grads.get(v);
            result.add(g != null ? g : Var.constant(Tensor.zeros(v.shape())));
        }
        return result;
    }

    /**
     * The training path: accumulates d loss / d p into {@code p.grad()} for every leaf p that
     * requires a gradient, recording no graph.
     */
    public static void backward(Var loss) {
        backward(loss, v -> v.isLeaf() && v.requiresGrad());
    }

    /**
     * {@link #backward(Var)} for the given parameters only: branches that lead to no other
     * parameter are not differentiated (a generator update through a fixed critic computes no
     * critic weight gradients).
     */
    public static void backward(Var loss, List<Var> params) {
        Set<Var> targets = identitySet(params);
        backward(loss, targets::contains);
    }

    private static void backward(Var loss, Predicate<Var> target) {
        if (loss.value().size() != 1) throw new IllegalArgumentException("backward of a non-scalar " + loss);
        Map<Var, Var> grads;
        try (var s = noGrad()) {
            grads = propagate(loss, Var.constant(ones(loss.shape())), target);
        }
        grads.forEach(Grad::accumulate);
    }

    /** Adds g into a leaf's grad tensor, which the leaf owns (a copy on first use: g may be shared). */
    private static void accumulate(Var leaf, Var g) {
        if (leaf.grad() == null) {
            leaf.setGrad(g.value().copy());
        } else {
            float[] acc = leaf.grad().data();
            Elementwise.add(acc, g.value().data(), acc);
        }
    }

    /**
     * Runs the backward rules from y (with gradient seed) towards the nodes that satisfy
     * {@code target}; returns the gradients of the targets. Intermediate gradients are dropped as
     * soon as they are used.
     */
    private static Map<Var, Var> propagate(Var y, Var seed, Predicate<Var> target) {
        if (!Arrays.equals(seed.shape(), y.shape())) {
            throw new IllegalArgumentException("seed " + seed + " does not match " + y);
        }
        List<Var> order = topologicalOrder(y);
        Set<Var> leading = leadingTo(order, target);
        Map<Var, Var> grads = new IdentityHashMap<>();
        Map<Var, Var> result = new IdentityHashMap<>();
        if (leading.contains(y)) grads.put(y, seed);
        for (int k = order.size() - 1; k >= 0; k--) {
            Var node = order.get(k);
            Var g = grads.remove(node);
            if (g == null) continue;
            if (target.test(node)) result.put(node, g);
            if (!node.isLeaf()) backpropagate(node, g, leading, grads);
        }
        return result;
    }

    /** Adds the node's share of gradient to each parent that leads to a target. */
    private static void backpropagate(Var node, Var g, Set<Var> leading, Map<Var, Var> grads) {
        Var[] parents = node.parents();
        boolean[] needed = new boolean[parents.length];
        for (int i = 0; i < parents.length; i++) needed[i] = leading.contains(parents[i]);
        Var[] shares = node.backward().apply(node, g, needed);
        for (int i = 0; i < parents.length; i++) {
            if (!needed[i]) continue;
            if (!Arrays.equals(shares[i].shape(), parents[i].shape())) {
                throw new IllegalStateException("backward rule of " + node + " gave " + shares[i]
                        + " for parent " + parents[i]);
            }
            grads.merge(parents[i], shares[i], Ops::add);
        }
    }

    /** The nodes that require a gradient and that y depends on, each after all its parents. */
    static List<Var> topologicalOrder(Var y) {
        List<Var> order = new ArrayList<>();
        if (!y.requiresGrad()) return order;
        Set<Var> seen = identitySet(List.of(y));
        ArrayDeque<Var> path = new ArrayDeque<>();
        ArrayDeque<Integer> nextParent = new ArrayDeque<>();
        path.push(y);
        nextParent.push(0);
        while (!path.isEmpty()) {
            Var node = path.peek();
            int i = nextParent.pop();
            if (i == node.parents().length) {
                order.add(path.pop());
                continue;
            }
            nextParent.push(i + 1);
            Var parent = node.parents()[i];
            if (parent.requiresGrad() && seen.add(parent)) {
                path.push(parent);
                nextParent.push(0);
            }
        }
        return order;
    }

    /** The nodes of a topological order that are targets or have a parent that leads to one. */
    private static Set<Var> leadingTo(List<Var> order, Predicate<Var> target) {
        Set<Var> leading = identitySet(List.of());
        for (Var node : order) {
            boolean leads = target.test(node);
            for (Var p : node.parents()) leads |= leading.contains(p);
            if (leads) leading.add(node);
        }
        return leading;
    }

    private static Set<Var> identitySet(List<Var> vars) {
        Set<Var> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(vars);
        return set;
    }

    private static Tensor ones(int[] shape) {
        Tensor t = Tensor.zeros(shape);
        Arrays.fill(t.data(), 1f);
        return t;
    }
}
