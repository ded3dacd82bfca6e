package wgan.autodiff;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import wgan.tensor.Tensor;

/**
 * One op on seeded random inputs, with a plain double-precision reference of its forward value.
 * The name gives the op, seed and shapes so a failing case can be replayed.
 */
record OpCase(String name, List<Tensor> inputs, Function<List<Var>, Var> op, Function<List<float[]>, double[]> reference) {

    /** How to draw an input of a shape. */
    @FunctionalInterface
    interface Draw {
        Tensor draw(Random rnd, int[] shape);
    }

    static final Draw ANY = (rnd, shape) -> Check.uniform(rnd, -1, 1, shape);
    static final Draw POSITIVE = (rnd, shape) -> Check.uniform(rnd, 0.5, 2, shape);
    static final Draw WIDE = (rnd, shape) -> Check.uniform(rnd, -2.5, 2.5, shape);
    /** At least 0.1 > EPS from 0, so finite differences never straddle a kink. */
    static final Draw NO_KINK = (rnd, shape) -> Check.awayFromZero(rnd, 0.1, shape);

    @Override
    public String toString() {
        return name;
    }

    static OpCase of(String op, long seed, Function<List<Var>, Var> f, Function<List<float[]>, double[]> reference,
                     Draw draw, int[]... shapes) {
        Random rnd = new Random(seed);
        List<Tensor> inputs = Arrays.stream(shapes).map(s -> draw.draw(rnd, s)).toList();
        String shapeText = String.join(" ", Arrays.stream(shapes).map(Arrays::toString).toList());
        return new OpCase(op + " seed=" + seed + " shapes=" + shapeText, inputs, f, reference);
    }

    static OpCase unary(String op, long seed, Function<Var, Var> f, DoubleUnaryOperator ref, Draw draw, int... shape) {
        return of(op, seed, v -> f.apply(v.get(0)), in -> map(in.get(0), ref), draw, shape);
    }

    static OpCase binary(String op, long seed, Function<List<Var>, Var> f, DoubleBinaryOperator ref, Draw draw, int... shape) {
        return of(op, seed, f, in -> {
            double[] out = new double[in.get(0).length];
            for (int i = 0; i < out.length; i++) out[i] = ref.applyAsDouble(in.get(0)[i], in.get(1)[i]);
            return out;
        }, draw, shape, shape);
    }

    static double[] map(float[] x, DoubleUnaryOperator f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = f.applyAsDouble(x[i]);
        return out;
    }
}
