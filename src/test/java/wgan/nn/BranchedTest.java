package wgan.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import wgan.autodiff.Var;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/** A trunk with two heads: names, outputs, state-dict round trips and refusals; Sequential.head. */
class BranchedTest {
    private static Branched make(Rng rng) {
        Sequential trunk = Sequential.builder(rng, 2, 2, 1).flatten().dense(3, Initializer.glorotUniform()).relu().build();
        Map<String, Sequential> heads = new LinkedHashMap<>();
        heads.put("mean", Sequential.builder(rng, 3).dense(2, Initializer.glorotUniform()).build());
        heads.put("log_var", Sequential.builder(rng, 3).dense(2, Initializer.glorotUniform()).build());
        return new Branched(trunk, heads);
    }

    @Test
    void namesAreTheChildrensUnderTheirPrefixes() {
        Branched b = make(new Rng(1));
        assertEquals(List.of("trunk.1.weight", "trunk.1.bias", "mean.0.weight", "mean.0.bias", "log_var.0.weight", "log_var.0.bias"),
                List.copyOf(b.stateDict().keySet()));
        assertEquals(List.copyOf(b.stateDict().keySet()), b.parameters().stream().map(Parameter::name).toList());
    }

    @Test
    void eachHeadTakesTheTrunksOutput() {
        Rng rng = new Rng(2);
        Sequential trunk = Sequential.builder(rng, 4).dense(3, Initializer.glorotUniform()).relu().build();
        Sequential head = Sequential.builder(rng, 3).dense(2, Initializer.glorotUniform()).build();
        Branched b = new Branched(trunk, Map.of("h", head));
        Tensor x = Tensor.zeros(5, 4);
        rng.fillGaussian(x.data(), 0f, 1f);
        assertArrayEquals(head.forward(trunk.forward(Var.constant(x), false), false).value().data(),
                b.forward(Var.constant(x), false).get(0).value().data());
        assertThrows(IllegalArgumentException.class, () -> new Branched(trunk, Map.of("h", Sequential.builder(rng, 4).build())));
    }

    @Test
    void stateDictRoundTripsAndABadOneChangesNothing() {
        Branched source = make(new Rng(3)), target = make(new Rng(4));
        Map<String, Tensor> before = target.stateDict();
        Map<String, Tensor> broken = new LinkedHashMap<>(source.stateDict());
        broken.remove("log_var.0.bias");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(broken, true));
        assertTrue(e.getMessage().contains("missing keys [log_var.0.bias]"), e.getMessage());
        target.stateDict().forEach((k, t) -> assertArrayEquals(before.get(k).data(), t.data(), k));
        target.loadStateDict(source.stateDict(), true);
        source.stateDict().forEach((k, t) -> assertArrayEquals(t.data(), target.stateDict().get(k).data(), k));
    }

    /** The first n layers of a Sequential are its own, under the same names. */
    @Test
    void headSharesTheLayers() {
        Sequential decoder = Sequential.builder(new Rng(5), 2).dense(4, Initializer.glorotUniform()).sigmoid().build();
        Sequential logits = decoder.head(1);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(logits.stateDict().keySet()));
        Tensor z = Tensor.zeros(3, 2);
        new Rng(6).fillGaussian(z.data(), 0f, 1f);
        float[] p = decoder.forward(Var.constant(z), false).value().data();
        float[] l = logits.forward(Var.constant(z), false).value().data();
        for (int i = 0; i < p.length; i++) assertEquals(1 / (1 + Math.exp(-l[i])), p[i], 1e-6);
        assertEquals(decoder.parameters().get(0).var(), logits.parameters().get(0).var());
    }
}
