package wgan.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import wgan.autodiff.Grad;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.nn.Parameter;
import wgan.nn.Parameter.Kind;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

class OptimizerTest {
    /** Gradients of three steps for a two-element weight starting at (1, -2). */
    private static final float[][] GRADS = {{0.5f, -3f}, {-0.2f, 1f}, {1f, 0f}};
    /** float32 arithmetic on values near 1 over three steps: a few ulps (1.2e-7 each). */
    private static final double TOL = 1e-6;

    private static Parameter param(String name, float... w) {
        return new Parameter(name, Var.param(Tensor.of(w.clone(), w.length)), Kind.DENSE_KERNEL);
    }

    /** Sets the parameter's gradient to {@code g} the way training does: backward of sum(w * g). */
    private static void setGrad(Parameter p, float[] g) {
        p.var().zeroGrad();
        Grad.backward(Ops.sum(Ops.mul(p.var(), Var.constant(Tensor.of(g.clone(), g.length)))));
    }

    private static void checkSteps(Optimizer opt, Parameter p, double[][] expected) {
        for (int s = 0; s < GRADS.length; s++) {
            setGrad(p, GRADS[s]);
            opt.step();
            float[] w = p.var().value().data();
            assertEquals(expected[s][0], w[0], TOL, "step " + (s + 1) + " w[0]");
            assertEquals(expected[s][1], w[1], TOL, "step " + (s + 1) + " w[1]");
        }
    }

    @Test
    void rmspropKeras() {
        Parameter p = param("w", 1f, -2f);
        // lr 0.01, rho 0.9, eps 1e-7. Step 1, w[0]: v = 0.1*0.25 = 0.025,
        // w = 1 - 0.01*0.5/(sqrt(0.025)+1e-7) = 0.96837724. Steps 2, 3 likewise
        // (v[0] = 0.0265 then 0.12385; w[1] does not move when g = 0).
        checkSteps(RMSprop.keras(List.of(p), 0.01f), p, new double[][] {
                {0.9683772434, -1.9683772267}, {0.9806631382, -1.9788600740}, {0.9522478627, -1.9788600740}});
    }

    @Test
    void adamKeras() {
        Parameter p = param("w", 1f, -2f);
        // lr 0.001, beta1 0.5, beta2 0.9, eps 1e-7. Step 1: m = 0.5 g, v = 0.1 g^2,
        // alpha = 0.001*sqrt(0.1)/0.5, w -= alpha*m/(sqrt(v)+eps) = 0.001*sign(g) (to 1e-9).
        checkSteps(Adam.keras(List.of(p), 0.001f, 0.5f, 0.9f), p, new double[][] {
                {0.9990000006, -1.9990000001}, {0.9989107457, -1.9988476879}, {0.9980443379, -1.9987655119}});
    }

    /**
     * Where sqrt(v) is near eps the placement of eps shows. One step from w = 0 with g = 1e-7,
     * lr 1, beta1 0.5, beta2 0.9, eps 1e-7. Keras: w = -(sqrt(0.1)/0.5) * 0.5e-7 / (sqrt(1e-15) + 1e-7)
     * = -0.2402531; PyTorch's placement would give -(1/0.5) * 0.5e-7 / (sqrt(1e-15/0.1) + 1e-7) = -0.5.
     */
    @Test
    void adamAddsEpsilonBeforeBiasCorrection() {
        Parameter p = param("w", 0f);
        Optimizer adam = Adam.keras(List.of(p), 1f, 0.5f, 0.9f);
        setGrad(p, new float[] {1e-7f});
        adam.step();
        assertEquals(-0.2402531, p.var().value().data()[0], 1e-6);
    }

    @Test
    void sgdMomentum() {
        Parameter p = param("w", 1f, -2f);
        // lr 0.1, momentum 0.9: u1 = -0.1 g1, u2 = 0.9 u1 - 0.1 g2, ...
        checkSteps(new SGD(List.of(p), 0.1f, 0.9f), p, new double[][] {
                {0.95, -1.7}, {0.925, -1.53}, {0.8025, -1.377}});
    }

    /**
     * A rate set between steps is the one the next step uses: the same gradients from the same
     * state, at rates r and r/4, move RMSprop's and SGD's weights by steps in the ratio 4 (their
     * updates are linear in the rate), and Adam's too (alpha is).
     */
    @Test
    void aRateSetBetweenStepsScalesTheNextStep() {
        List<Function<List<Parameter>, Optimizer>> makers = List.of(
                ps -> RMSprop.keras(ps, 0.01f), ps -> Adam.keras(ps, 0.001f, 0.5f, 0.9f), ps -> new SGD(ps, 0.1f, 0.9f));
        for (Function<List<Parameter>, Optimizer> make : makers) {
            Parameter full = param("w", 1f, -2f), quarter = param("w", 1f, -2f);
            Optimizer a = make.apply(List.of(full)), b = make.apply(List.of(quarter));
            b.setLearningRate(a.learningRate() / 4);
            setGrad(full, new float[] {0.3f, -0.7f});
            setGrad(quarter, new float[] {0.3f, -0.7f});
            a.step();
            b.step();
            for (int i = 0; i < 2; i++) {
                double stepFull = full.var().value().data()[i] - (i == 0 ? 1 : -2);
                double stepQuarter = quarter.var().value().data()[i] - (i == 0 ? 1 : -2);
                assertEquals(4, stepFull / stepQuarter, 1e-3, a.getClass().getSimpleName());
            }
        }
    }

    /** Saving after two steps and restoring into a fresh optimiser continues bit for bit. */
    @Test
    void stateRoundTripContinuesIdentically() {
        List<Function<List<Parameter>, Optimizer>> makers = List.of(
                ps -> RMSprop.keras(ps, 0.01f), ps -> Adam.keras(ps, 0.001f, 0.5f, 0.9f), ps -> new SGD(ps, 0.1f, 0.9f));
        for (Function<List<Parameter>, Optimizer> make : makers) {
            Rng rng = new Rng(17);
            float[] w0 = new float[6];
            rng.fillGaussian(w0, 0, 1);
            float[][] grads = new float[4][6];
            for (float[] g : grads) rng.fillGaussian(g, 0, 1);

            Parameter a = param("a", w0);
            Optimizer first = make.apply(List.of(a));
            for (int s = 0; s < 2; s++) {
                setGrad(a, grads[s]);
                first.step();
            }
            Map<String, Tensor> saved = first.state();
            Parameter b = param("a", a.var().value().data());
            Optimizer resumed = make.apply(List.of(b));
            resumed.loadState(saved);
            assertEquals(2, resumed.iterations());
            for (int s = 2; s < 4; s++) {
                setGrad(a, grads[s]);
                first.step();
                setGrad(b, grads[s]);
                resumed.step();
            }
            assertArrayEquals(a.var().value().data(), b.var().value().data(), first.getClass().getSimpleName());
        }
    }

    @Test
    void loadStateRejectsWrongShapesAndNames() {
        Parameter p = param("w", 1f, 2f);
        Optimizer opt = RMSprop.keras(List.of(p), 0.01f);
        Map<String, Tensor> bad = new java.util.HashMap<>(opt.state());
        bad.put("w.v", Tensor.zeros(3));
        assertThrows(IllegalArgumentException.class, () -> opt.loadState(bad));
        bad.remove("w.v");
        assertThrows(IllegalArgumentException.class, () -> opt.loadState(bad));
        bad.put("w.v", Tensor.zeros(2));
        bad.put("x.v", Tensor.zeros(2));
        assertThrows(IllegalArgumentException.class, () -> opt.loadState(bad));
    }

    @Test
    void clippingClampsOnlyTheChosenKinds() {
        Parameter kernel = new Parameter("0.weight", Var.param(Tensor.of(new float[] {0.5f, -0.005f, -2f}, 3)), Kind.CONV_KERNEL);
        Parameter bias = new Parameter("0.bias", Var.param(Tensor.of(new float[] {0.5f}, 1)), Kind.BIAS);
        WeightClipping.clip(Parameter.ofKind(List.of(kernel, bias), Kind.CONV_KERNEL), 0.01f);
        assertArrayEquals(new float[] {0.01f, -0.005f, -0.01f}, kernel.var().value().data());
        assertArrayEquals(new float[] {0.5f}, bias.var().value().data());
    }
}
