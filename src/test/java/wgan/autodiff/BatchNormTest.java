package wgan.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.kernels.Parallel;
import wgan.tensor.Tensor;

/**
 * The fused {@link Ops#batchNorm} against the composite of primitive ops it replaces: its value,
 * its statistics, its first-order gradients (the fused kernels, recording off) and its recorded
 * gradients (createGraph, the path a second order follows), on seeded random shapes whose row
 * counts are not multiples of the vector width (8) or of the column-sum block (256 rows), with
 * 1 to 130 channels. Finite-difference checks of both orders are in {@link OpsTest}.
 */
class BatchNormTest {
    private static final float EPS = 1e-3f;
    /**
     * float32 results computed in another order: each value is off by a few ulps of the largest
     * terms it is made of (x * scale and the shift are O(10) here), and the column sums of up to
     * 1000 rows by a few ulps of their partial sums. 1e-5 of the scale is far above that and far
     * below a wrong term.
     */
    private static final double TOL = 1e-5;

    /** The composite the layer used before the fused op: 8 recorded ops, differentiated rule by rule. */
    static Var composite(Var x, Var gamma, Var beta, float eps) {
        float rows = x.value().size() / x.value().dim(-1);
        Var mean = Ops.scale(Ops.sumRows(x), 1 / rows);
        Var centred = Ops.sub(x, Ops.broadcastRows(mean, x.shape()));
        Var variance = Ops.scale(Ops.sumRows(Ops.square(centred)), 1 / rows);
        Var normalised = Ops.mulChannels(centred, Ops.rsqrt(Ops.addScalar(variance, eps)));
        return Ops.addBias(Ops.mulChannels(normalised, gamma), beta);
    }

    /** x, gamma, beta and the upstream gradient r of one case: channels with means in [-3, 3] and spreads in [0.5, 2]. */
    record Case(Tensor x, Tensor gamma, Tensor beta, Tensor r) {
        static Case random(long seed, int rows, int channels) {
            Random rnd = new Random(seed);
            Tensor offset = Check.uniform(rnd, -3, 3, channels), spread = Check.uniform(rnd, 0.5, 2, channels);
            Tensor x = Check.uniform(rnd, -1, 1, rows, channels);
            for (int i = 0; i < x.size(); i++) x.data()[i] = offset.data()[i % channels] + spread.data()[i % channels] * x.data()[i];
            return new Case(x, Check.awayFromZero(rnd, 0.5, channels), Check.uniform(rnd, -1, 1, channels),
                    Check.uniform(rnd, -1, 1, rows, channels));
        }

        List<Tensor> inputs() {
            return List.of(x, gamma, beta);
        }
    }

    static Stream<Arguments> shapes() {
        Random rnd = new Random(2015);
        int[] rows = {2, 7, 37, 255, 257, 1001};
        int[] channels = {1, 3, 8, 17, 33, 130};
        return Stream.iterate(0, i -> i + 1).limit(12).map(i -> Arguments.of(100L + i,
                rows[rnd.nextInt(rows.length)], channels[i % channels.length]));
    }

    @ParameterizedTest(name = "seed={0} rows={1} channels={2}")
    @MethodSource("shapes")
    void valueAndStatisticsMatchTheComposite(long seed, int rows, int channels) {
        Case c = Case.random(seed, rows, channels);
        List<Var> v = Check.params(c.inputs());
        Ops.BatchNorm bn = Ops.batchNorm(v.get(0), v.get(1), v.get(2), EPS);
        assertClose("y", composite(v.get(0), v.get(1), v.get(2), EPS).value().data(), bn.y().value().data());
        double[] mean = OpCases.sumRows(c.x().data(), channels), variance = new double[channels];
        for (int k = 0; k < channels; k++) mean[k] /= rows;
        for (int i = 0; i < c.x().size(); i++) variance[i % channels] += Math.pow(c.x().data()[i] - mean[i % channels], 2) / rows;
        Check.assertForward(mean, bn.mean().data());
        Check.assertForward(variance, bn.variance().data());
    }

    /** d sum(r * y) / d(x, gamma, beta) without a graph: the fused rule; with one: the recorded rule. */
    @ParameterizedTest(name = "seed={0} rows={1} channels={2}")
    @MethodSource("shapes")
    void gradientsMatchTheCompositeOnBothPaths(long seed, int rows, int channels) {
        Case c = Case.random(seed, rows, channels);
        for (boolean createGraph : new boolean[] {false, true}) {
            List<Var> expected = gradients(c, createGraph, v -> composite(v.get(0), v.get(1), v.get(2), EPS));
            List<Var> actual = gradients(c, createGraph, v -> Ops.batchNorm(v.get(0), v.get(1), v.get(2), EPS).y());
            for (int k = 0; k < 3; k++) {
                assertClose("createGraph=" + createGraph + " d/d input " + k, expected.get(k).value().data(),
                        actual.get(k).value().data());
            }
        }
    }

    private static List<Var> gradients(Case c, boolean createGraph, java.util.function.Function<List<Var>, Var> f) {
        List<Var> v = Check.params(c.inputs());
        return Grad.grad(Ops.sum(Ops.mul(f.apply(v), Var.constant(c.r()))), v, createGraph);
    }

    /** Each input alone requiring a gradient: the rule must give it the same gradient when the others are not needed. */
    @Test
    void eachGradientAloneMatchesAllTogether() {
        Case c = Case.random(7, 300, 11);
        for (boolean createGraph : new boolean[] {false, true}) {
            List<Var> all = gradients(c, createGraph, v -> Ops.batchNorm(v.get(0), v.get(1), v.get(2), EPS).y());
            for (int k = 0; k < 3; k++) {
                Var[] v = {Var.constant(c.x()), Var.constant(c.gamma()), Var.constant(c.beta())};
                v[k] = Var.param(c.inputs().get(k));
                Var loss = Ops.sum(Ops.mul(Ops.batchNorm(v[0], v[1], v[2], EPS).y(), Var.constant(c.r())));
                Var alone = Grad.grad(loss, List.of(v[k]), createGraph).get(0);
                assertArrayEquals(all.get(k).value().data(), alone.value().data(), "createGraph=" + createGraph + " input " + k);
            }
        }
    }

    /** y and the fused gradients of a case with several chunks and sum blocks, for 1, 2 and 3 threads: bitwise equal. */
    @Test
    void resultsAreBitwiseIdenticalForAnyThreadCount() {
        Case c = Case.random(11, 3001, 37);
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            List<float[]> expected = valueAndGradients(c);
            for (int threads : new int[] {2, 3}) {
                Parallel.setThreads(threads);
                List<float[]> actual = valueAndGradients(c);
                for (int k = 0; k < expected.size(); k++) assertArrayEquals(expected.get(k), actual.get(k), "threads=" + threads);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static List<float[]> valueAndGradients(Case c) {
        List<Var> v = Check.params(c.inputs());
        Ops.BatchNorm bn = Ops.batchNorm(v.get(0), v.get(1), v.get(2), EPS);
        List<Var> g = Grad.grad(Ops.sum(Ops.mul(bn.y(), Var.constant(c.r()))), v, false);
        return List.of(bn.y().value().data(), bn.mean().data(), bn.variance().data(),
                g.get(0).value().data(), g.get(1).value().data(), g.get(2).value().data());
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        double scale = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= TOL * (1 + scale))) {
                fail(what + " [" + i + "]: " + actual[i] + ", expected " + expected[i] + " (scale " + scale + ")");
            }
        }
    }
}
