package wgan.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.autodiff.Var;
import wgan.nn.GradientPenalty.Side;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * The gradient penalty's value on a critic with a known input gradient, and its gradient with
 * respect to every critic parameter (a second derivative of the critic) against finite
 * differences, for the critics of docs/experiments.md, E1 and E3 at small sizes.
 */
class GradientPenaltyTest {

    static Stream<Arguments> critics() {
        // Small sizes: 8x8x1 input, 4 filters, batch 3. Glorot init (not N(0, 0.02)) keeps the
        // critic's input gradient near norm 1, where the penalty's derivative is informative.
        return Stream.of(
                Arguments.of("E1 conv-BN-LeakyReLU", 21, (CriticFactory) rng -> SpecModels.e1Critic(rng, 8, 4, Initializer.glorotUniform())),
                Arguments.of("E3 no norm", 22, (CriticFactory) rng -> SpecModels.e3Critic(rng, 8, 4, false)),
                Arguments.of("E3 with LayerNorm", 23, (CriticFactory) rng -> SpecModels.e3Critic(rng, 8, 4, true)));
    }

    interface CriticFactory {
        Sequential make(Rng rng);
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("critics")
    void penaltyGradientWrtCriticParametersMatchesFiniteDifferences(String name, int seed, CriticFactory factory) {
        Rng rng = new Rng(seed);
        Sequential critic = factory.make(rng.fork(1));
        // Non-trivial gamma/beta/bias so that every parameter's second-order path matters.
        for (Parameter p : critic.parameters()) {
            if (p.kind() != Parameter.Kind.CONV_KERNEL && p.kind() != Parameter.Kind.DENSE_KERNEL) {
                float[] v = p.var().value().data();
                for (int i = 0; i < v.length; i++) v[i] += 0.3f * (float) rng.nextGaussian();
            }
        }
        Tensor real = GradCheck.gaussian(rng, 3, 8, 8, 1);
        Tensor fake = GradCheck.gaussian(rng, 3, 8, 8, 1);
        float[] eps = new float[3];
        rng.fillUniform(eps, 0, 1);
        Tensor xHat = GradientPenalty.interpolate(real, fake, eps);
        for (Side side : Side.values()) {
            GradCheck.check(() -> {
                List<boolean[]> pattern = new ArrayList<>();
                Var p = GradientPenalty.penalty(x -> GradCheck.forwardRecording(critic, x, true, pattern), xHat, 10f, side);
                return new GradCheck.Eval(p, pattern);
            }, GradCheck.vars(critic.parameters()), rng, name + " " + side);
        }
    }

    /** D(x) = sum(w * x) + b has input gradient w for every sample, so the penalty is lambda (||w|| - 1)^2. */
    @Test
    void penaltyOfALinearCritic() {
        Rng rng = new Rng(5);
        Sequential critic = Sequential.builder(rng, 2, 2, 3).flatten().dense(1, Initializer.glorotUniform()).build();
        float[] w = critic.parameters().get(0).var().value().data();
        double norm = 0;
        for (float v : w) norm += v * v;
        norm = Math.sqrt(norm);
        Tensor real = GradCheck.gaussian(rng, 4, 2, 2, 3), fake = GradCheck.gaussian(rng, 4, 2, 2, 3);
        float two = GradientPenalty.penalty(x -> critic.forward(x, true), real, fake, 10f, Side.TWO_SIDED, rng).value().item();
        assertEquals(10 * Math.pow(norm - 1, 2), two, 1e-4);
        float one = GradientPenalty.penalty(x -> critic.forward(x, true), real, fake, 10f, Side.ONE_SIDED, rng).value().item();
        assertEquals(10 * Math.pow(Math.max(norm - 1, 0), 2), one, 1e-4);
        for (int i = 0; i < w.length; i++) w[i] *= 3 / norm; // ||w|| = 3: both sides penalise
        float scaled = GradientPenalty.penalty(x -> critic.forward(x, true), real, fake, 10f, Side.ONE_SIDED, rng).value().item();
        assertEquals(40, scaled, 1e-3);
    }

    @Test
    void interpolatesLieBetweenRealAndFake() {
        Tensor real = Tensor.of(new float[] {1, 1, 5, 5}, 2, 2), fake = Tensor.of(new float[] {-1, 3, 0, 0}, 2, 2);
        float[] x = GradientPenalty.interpolate(real, fake, new float[] {0.25f, 1f}).data();
        assertEquals(-0.5f, x[0]);
        assertEquals(2.5f, x[1]);
        assertEquals(5f, x[2]);
        assertEquals(5f, x[3]);
    }

    @Test
    void lossesMatchTheirDefinitions() {
        Var scores = Var.constant(Tensor.of(new float[] {2f, -1f, 0.5f}, 3, 1));
        // mean(y * D) with y = (-1, +1, -1): (-2 - 1 - 0.5) / 3
        assertEquals(-3.5 / 3, Losses.wasserstein(scores, Tensor.of(new float[] {-1, 1, -1}, 3)).value().item(), 1e-6);
        assertEquals(-1.5 / 3, Losses.wasserstein(scores, -1f).value().item(), 1e-6);
        // BCE with logits, stable where sigmoid saturates: z = 100, t = 0 costs 100; z = -100, t = 0 costs ~0.
        Var logits = Var.constant(Tensor.of(new float[] {100f, -100f, 0f}, 3, 1));
        double expected = (100 + 0 + Math.log(2)) / 3;
        float bce = Losses.bceWithLogits(logits, 0f).value().item();
        assertEquals(expected, bce, 1e-5);
        assertTrue(Float.isFinite(Losses.bceWithLogits(logits, 1f).value().item()));
        assertEquals(bce, Losses.bceWithLogits(logits, Tensor.zeros(3)).value().item(), 1e-6);
    }
}
