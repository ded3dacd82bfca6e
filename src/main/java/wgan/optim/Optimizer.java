package wgan.optim;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import wgan.nn.Parameter;
import wgan.tensor.Tensor;

/**
 * Updates a fixed list of parameters from the gradients accumulated in their Vars. Each
 * optimiser keeps, per parameter, a few named slots of the parameter's shape (e.g. Adam's "m"
 * and "v") and a step count; all of it can be exported and restored for checkpoints, under the
 * names {@code "<parameter name>.<slot>"} and {@code "iterations"}.
 *
 * <p>Parameters without a gradient are skipped, as Keras and PyTorch do. The step count is the
 * optimiser's, as Keras's {@code iterations}, so skipping does not change the bias correction.
 *
 * <p>The learning rate may be changed between steps (a schedule); it is not part of the state,
 * since the schedule that sets it is a function of the step.
 */
public abstract class Optimizer {
    private static final String ITERATIONS = "iterations";

    private final List<Parameter> params;
    private final String[] slotNames;
    /** slots[slot][param]: the per-element state. */
    private final float[][][] slots;
    private long iterations;
    private float learningRate;

    protected Optimizer(List<Parameter> params, float learningRate, String... slotNames) {
        Set<String> names = new HashSet<>();
        for (Parameter p : params) {
            if (!names.add(p.name())) throw new IllegalArgumentException("duplicate parameter name " + p.name());
        }
        this.params = List.copyOf(params);
        this.learningRate = learningRate;
        this.slotNames = slotNames.clone();
        this.slots = new float[slotNames.length][params.size()][];
        for (float[][] slot : slots) {
            for (int i = 0; i < slot.length; i++) slot[i] = new float[params.get(i).var().value().size()];
        }
    }

    /**
     * One update of parameter values {@code w} from gradient {@code g}; {@code state[k]} is slot
     * k of this parameter; {@code t} is the 1-based step number.
     */
    protected abstract void update(float[] w, float[] g, float[][] state, long t);

    public final void step() {
        iterations++;
        float[][] state = new float[slots.length][];
        for (int i = 0; i < params.size(); i++) {
            Tensor grad = params.get(i).var().grad();
            if (grad == null) continue;
            for (int k = 0; k < slots.length; k++) state[k] = slots[k][i];
            update(params.get(i).var().value().data(), grad.data(), state, iterations);
        }
    }

    /** The step size lr of the update rule. */
    public final float learningRate() {
        return learningRate;
    }

    public final void setLearningRate(float learningRate) {
        this.learningRate = learningRate;
    }

    public final void zeroGrad() {
        for (Parameter p : params) p.var().zeroGrad();
    }

    public final List<Parameter> parameters() {
        return params;
    }

    public final long iterations() {
        return iterations;
    }

    /**
     * Copies of the state: each slot shaped like its parameter, and {@code "iterations"} as a
     * scalar (a float holds every count up to 2^24 exactly).
     */
    public final Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(ITERATIONS, Tensor.scalar(iterations));
        for (int i = 0; i < params.size(); i++) {
            for (int k = 0; k < slots.length; k++) {
                out.put(key(i, k), Tensor.of(slots[k][i].clone(), params.get(i).var().shape()));
            }
        }
        return out;
    }

    /** Restores a {@link #state()} exactly; every entry must be present with the right shape. */
    public final void loadState(Map<String, Tensor> state) {
        Set<String> unexpected = new HashSet<>(state.keySet());
        unexpected.removeAll(state().keySet());
        if (!unexpected.isEmpty()) throw new IllegalArgumentException("unexpected optimiser state entries " + unexpected);
        long t = (long) require(state, ITERATIONS, new int[0]).item();
        float[][][] loaded = new float[slots.length][params.size()][];
        for (int i = 0; i < params.size(); i++) {
            for (int k = 0; k < slots.length; k++) {
                loaded[k][i] = require(state, key(i, k), params.get(i).var().shape()).data();
            }
        }
        for (int k = 0; k < slots.length; k++) {
            for (int i = 0; i < params.size(); i++) System.arraycopy(loaded[k][i], 0, slots[k][i], 0, slots[k][i].length);
        }
        iterations = t;
    }

    private String key(int param, int slot) {
        return params.get(param).name() + "." + slotNames[slot];
    }

    private static Tensor require(Map<String, Tensor> state, String name, int[] shape) {
        Tensor t = state.get(name);
        if (t == null) throw new IllegalArgumentException("optimiser state has no entry " + name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("optimiser state " + name + " has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return t;
    }
}
