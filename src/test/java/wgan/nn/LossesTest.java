package wgan.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.autodiff.Grad;
import wgan.autodiff.Var;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/** Softmax cross-entropy against a plain double reference of its value and its gradient (softmax - one_hot) / N. */
class LossesTest {
    record Case(long seed, int n, int k) {
        @Override
        public String toString() {
            return "seed=" + seed + " n=" + n + " k=" + k;
        }
    }

    static Stream<Case> cases() {
        return LongStream.rangeClosed(1, 6).mapToObj(s -> new Case(s, 1 + (int) s * 3, 2 + (int) (s * 7 % 11)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void softmaxCrossEntropyMatchesReference(Case c) {
        Rng rng = new Rng(c.seed());
        Tensor logits = Tensor.zeros(c.n(), c.k());
        rng.fillGaussian(logits.data(), 0f, 3f);
        int[] labels = new int[c.n()];
        for (int i = 0; i < c.n(); i++) labels[i] = rng.nextInt(c.k());
        Var x = Var.param(logits);
        Var loss = Losses.softmaxCrossEntropy(x, labels);
        float[] grad = Grad.grad(loss, List.of(x), false).get(0).value().data();

        double expected = 0;
        for (int i = 0; i < c.n(); i++) {
            double sum = 0;
            for (int j = 0; j < c.k(); j++) sum += Math.exp(logits.data()[i * c.k() + j]);
            expected -= Math.log(Math.exp(logits.data()[i * c.k() + labels[i]]) / sum) / c.n();
            for (int j = 0; j < c.k(); j++) {
                double g = (Math.exp(logits.data()[i * c.k() + j]) / sum - (j == labels[i] ? 1 : 0)) / c.n();
                assertEquals(g, grad[i * c.k() + j], 1e-6, "d/dlogit [" + i + "][" + j + "]");
            }
        }
        assertEquals(expected, loss.value().item(), 1e-5 * (1 + expected));
    }

    @Test
    void labelsOutsideTheClassesAreRefused() {
        Var logits = Var.constant(Tensor.zeros(2, 3));
        assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(logits, new int[] {0, 3}));
        assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(logits, new int[] {0}));
    }
}
