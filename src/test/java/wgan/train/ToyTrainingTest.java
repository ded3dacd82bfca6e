package wgan.train;

import org.junit.jupiter.api.Test;
import wgan.autodiff.Grad;
import wgan.autodiff.Var;
import wgan.nn.Parameter;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The toy runs' training pieces: clipping of the MLP critic, the frames' gradients and grid, the toy settings' rules. */
class ToyTrainingTest {
    private static TrainConfig toy(TrainConfig.Lipschitz lipschitz) {
        return TrainConfig.Preset.TOY_8GAUSSIANS.config().toBuilder().set(Settings.LIPSCHITZ, lipschitz).set(Settings.BATCH, 16).build();
    }

    private static WganTrainer trainer(TrainConfig config) throws IOException {
        return new WganTrainer(config, TrainingRun.loadImages(config));
    }

    /**
     * The toy critic has no conv kernel: --lipschitz clip clips its Dense kernels (Glorot's start
     * reaches 0.15, so most end at the bound) and leaves its biases alone.
     */
    @Test
    void clipKeepsTheToyCriticsDenseKernelsWithinTheBound() throws IOException {
        TrainConfig config = toy(TrainConfig.Lipschitz.CLIP);
        float c = config.get(Settings.CLIP).floatValue();
        WganTrainer t = trainer(config);
        List<Parameter> biases = Parameter.ofKind(t.critic.parameters(), Parameter.Kind.BIAS);
        for (Parameter p : biases) java.util.Arrays.fill(p.var().value().data(), 0.5f);
        t.iteration();
        List<Parameter> kernels = Parameter.ofKind(t.critic.parameters(), Parameter.Kind.DENSE_KERNEL);
        assertEquals(4, kernels.size());
        for (Parameter p : kernels) {
            for (float w : p.var().value().data()) assertTrue(Math.abs(w) <= c, p.name() + " has " + w);
        }
        assertTrue(t.criticHealth().clippedAtBound() > 0.5, "at the bound: " + t.criticHealth().clippedAtBound());
        // Five critic steps of Adam at 1e-4 move a bias by at most about 5e-4.
        for (Parameter p : biases) {
            for (float b : p.var().value().data()) assertTrue(b > 0.49f, p.name() + " was clipped to " + b);
        }
    }

    /** The frames' arrows and critic.csv's norms: the critic's input gradient, against central differences of D. */
    @Test
    void theFramesGradientsAreTheCriticsByFiniteDifferences() throws IOException {
        WganTrainer t = trainer(toy(TrainConfig.Lipschitz.GP));
        t.iteration();
        Tensor points = Tensor.zeros(20, 1, 1, 2);
        new Rng(4).fillUniform(points.data(), -2f, 2f);
        ToyFrames.Gradients g = ToyFrames.gradients(t, points);
        double h = 1e-3;
        for (int i = 0; i < 20; i++) {
            for (int axis = 0; axis < 2; axis++) {
                double numeric = (score(t, points, i, axis, h) - score(t, points, i, axis, -h)) / (2 * h);
                assertEquals(numeric, g.vectors()[2 * i + axis], 2e-3 + 1e-2 * Math.abs(numeric), "point " + i + " axis " + axis);
            }
            assertEquals(Math.hypot(g.vectors()[2 * i], g.vectors()[2 * i + 1]), g.norms()[i], 1e-6);
        }
    }

    /** D at point i of {@code points} moved by {@code delta} along {@code axis}, in double from the float critic. */
    private static double score(WganTrainer t, Tensor points, int i, int axis, double delta) {
        float[] xy = {points.data()[2 * i], points.data()[2 * i + 1]};
        xy[axis] += (float) delta;
        try (var s = Grad.noGrad()) {
            return t.critic.forward(Var.constant(Tensor.of(xy, 1, 1, 1, 2)), false).value().item();
        }
    }

    @Test
    void theGridRunsRowByRowFromTheTopLeft() {
        float[] xy = ToyFrames.gridPoints(4).data();
        double cell = 2 * ToyFrames.EXTENT / 4;
        assertArrayEquals(new float[] {(float) (-ToyFrames.EXTENT + cell / 2), (float) (ToyFrames.EXTENT - cell / 2)},
                new float[] {xy[0], xy[1]});
        assertEquals(xy[1], xy[7], "the first row shares its y");
        assertTrue(xy[2] > xy[0], "x grows along a row");
        assertTrue(xy[9] < xy[1], "y falls from row to row");
    }

    @Test
    void toyDataNeedsTheToyModelAndNoClass() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> TrainConfig.Preset.TOY_SWISSROLL.config().with(Settings.MODEL, Architecture.E1));
        assertEquals("model must be toy with dataset toy-swissroll (2-D points), got e1", e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> TrainConfig.Preset.E1.config().with(Settings.MODEL, Architecture.TOY));
        assertEquals("model toy makes 2-D points, not the images of dataset mnist; use e1, e2, e3 or e4", e.getMessage());
        e = assertThrows(InvalidSettingException.class,
                () -> TrainConfig.Preset.TOY_8GAUSSIANS.config().with(Settings.CLASS, java.util.OptionalInt.of(3)));
        assertEquals("class must be all with dataset toy-8gaussians (2-D points have no classes), got 3", e.getMessage());
    }
}
