package wgan.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wgan.autodiff.Var;
import wgan.tensor.Tensor;

/**
 * A trunk whose output feeds several heads, each its own {@link Sequential}: a variational
 * encoder, whose shared hidden layer gives a mean and a log-variance. Named as a PyTorch module
 * with the children {@code trunk} and one per head, so {@code "trunk.1.weight"}, {@code "mean.0.bias"}.
 */
public final class Branched implements Module {
    private static final String TRUNK = "trunk";
    private final Sequential trunk;
    private final Map<String, Sequential> heads;

    /** {@code heads} by name, in the order their outputs are returned; each takes the trunk's output. */
    public Branched(Sequential trunk, Map<String, Sequential> heads) {
        for (Map.Entry<String, Sequential> h : heads.entrySet()) {
            if (!Arrays.equals(h.getValue().inputShape(), trunk.outputShape()) || h.getKey().equals(TRUNK)) {
                throw new IllegalArgumentException("head " + h.getKey() + " does not take the trunk's output " + trunk);
            }
        }
        this.trunk = trunk;
        this.heads = new LinkedHashMap<>(heads);
    }

    /** The heads' outputs for input x, in the heads' order. */
    public List<Var> forward(Var x, boolean training) {
        Var shared = trunk.forward(x, training);
        List<Var> out = new ArrayList<>();
        for (Sequential head : heads.values()) out.add(head.forward(shared, training));
        return out;
    }

    public int[] inputShape() {
        return trunk.inputShape();
    }

    /** The trunk, then the heads in order. */
    public List<Sequential> parts() {
        List<Sequential> parts = new ArrayList<>(List.of(trunk));
        parts.addAll(heads.values());
        return parts;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        trunk.parameters().forEach(p -> ps.add(p.prefixed(TRUNK)));
        heads.forEach((name, head) -> head.parameters().forEach(p -> ps.add(p.prefixed(name))));
        return ps;
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        trunk.stateDict().forEach((k, t) -> sd.put(TRUNK + "." + k, t));
        heads.forEach((name, head) -> head.stateDict().forEach((k, t) -> sd.put(name + "." + k, t)));
        return sd;
    }

    /** Checks the whole dict first, then loads each child's part, so a bad dict changes nothing. */
    @Override
    public void loadStateDict(Map<String, Tensor> sd, boolean strict) {
        StateDicts.requireLoadable(stateDict(), sd, strict);
        trunk.loadStateDict(part(sd, TRUNK), false);
        heads.forEach((name, head) -> head.loadStateDict(part(sd, name), false));
    }

    /** The entries of {@code sd} under {@code prefix + "."}, without it. */
    private static Map<String, Tensor> part(Map<String, Tensor> sd, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        sd.forEach((k, t) -> {
            if (k.startsWith(prefix + ".")) out.put(k.substring(prefix.length() + 1), t);
        });
        return out;
    }
}
