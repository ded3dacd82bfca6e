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

/**
 * Softmax cross-entropy against a plain double reference of its value and its gradient (softmax - one_hot) / N;
 * the VAE's reconstruction and KL terms likewise.
 */
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

    /**
     * The VAE's two terms over a batch: their values against plain sums per sample averaged over
     * the batch, and their gradients against the closed forms: (sigmoid(z) - t) / N for the
     * reconstruction, mean / N and (e^logVar - 1) / 2N for the KL.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void variationalTermsMatchReference(Case c) {
        Rng rng = new Rng(c.seed());
        Tensor logits = Tensor.zeros(c.n(), c.k()), pixels = Tensor.zeros(c.n(), c.k());
        Tensor mean = Tensor.zeros(c.n(), c.k()), logVar = Tensor.zeros(c.n(), c.k());
        rng.fillGaussian(logits.data(), 0f, 3f);
        rng.fillUniform(pixels.data(), 0f, 1f);
        rng.fillGaussian(mean.data(), 0f, 1f);
        rng.fillGaussian(logVar.data(), 0f, 1f);
        Var z = Var.param(logits), m = Var.param(mean), lv = Var.param(logVar);
        Var reconstruction = Losses.bernoulliReconstruction(z, pixels);
        Var kl = Losses.gaussianKl(m, lv);
        float[] dz = Grad.grad(reconstruction, List.of(z), false).get(0).value().data();
        List<Var> dkl = Grad.grad(kl, List.of(m, lv), false);
        double expectedReconstruction = 0, expectedKl = 0;
        for (int i = 0; i < logits.size(); i++) {
            double s = 1 / (1 + Math.exp(-logits.data()[i])), t = pixels.data()[i];
            double mu = mean.data()[i], v = logVar.data()[i];
            expectedReconstruction -= (t * Math.log(s) + (1 - t) * Math.log(1 - s)) / c.n();
            expectedKl += 0.5 * (mu * mu + Math.exp(v) - 1 - v) / c.n();
            assertEquals((s - t) / c.n(), dz[i], 1e-6, "d/dlogit " + i);
            assertEquals(mu / c.n(), dkl.get(0).value().data()[i], 1e-6, "d/dmean " + i);
            assertEquals((Math.exp(v) - 1) / (2 * c.n()), dkl.get(1).value().data()[i], 1e-6, "d/dlogVar " + i);
        }
        assertEquals(expectedReconstruction, reconstruction.value().item(), 1e-5 * (1 + expectedReconstruction));
        assertEquals(expectedKl, kl.value().item(), 1e-5 * (1 + expectedKl));
    }

    @Test
    void labelsOutsideTheClassesAreRefused() {
        Var logits = Var.constant(Tensor.zeros(2, 3));
        assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(logits, new int[] {0, 3}));
        assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(logits, new int[] {0}));
    }
}
