package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three 1-D transforms of F(2, 2) on both paths against their formulas, evaluated here in
 * float: each result is one float operation, so they must agree bitwise. Cases are seeded
 * random channel counts (with vector tails), offsets and strides of either sign; every element
 * the kernel should not write stays NaN.
 */
class WinogradTransformTest {
    enum Transform { DATA, KERNEL, OUTPUT }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Transform t : Transform.values()) {
            for (boolean vector : new boolean[] {false, true}) {
                for (long seed = 1; seed <= 40; seed++) cases.add(Arguments.of(t, vector, seed));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} vector={1} seed={2}")
    @MethodSource("cases")
    void transformMatchesItsFormula(Transform t, boolean vector, long seed) {
        assumeTrue(!vector || Simd.AVAILABLE, "the Vector API module is not loaded");
        ElementwiseKernels k = vector ? new VectorElementwise() : ScalarElementwise.INSTANCE;
        Random r = new Random(seed);
        int n = 1 + r.nextInt(40);
        int inputs = t == Transform.KERNEL ? 2 : 3, outputs = t == Transform.OUTPUT ? 2 : 3;
        // Strides of at least n keep the rows apart; a negative one lays them out backwards.
        int fromStride = (n + r.nextInt(5)) * (r.nextBoolean() ? 1 : -1), toStride = n + r.nextInt(5);
        int from = r.nextInt(7) + (fromStride < 0 ? (inputs - 1) * -fromStride : 0), to = r.nextInt(7);
        float[] x = new float[from + Math.max(0, (inputs - 1) * fromStride) + n + r.nextInt(3)];
        for (int i = 0; i < x.length; i++) x[i] = 4 * r.nextFloat() - 2;
        float[] out = new float[to + (outputs - 1) * toStride + n + r.nextInt(3)];
        Arrays.fill(out, Float.NaN);
        switch (t) {
            case DATA -> k.winogradData(x, from, fromStride, out, to, toStride, n);
            case KERNEL -> k.winogradKernel(x, from, fromStride, out, to, toStride, n);
            case OUTPUT -> k.winogradOutput(x, from, fromStride, out, to, toStride, n);
        }
        float[] expected = new float[out.length];
        Arrays.fill(expected, Float.NaN);
        for (int c = 0; c < n; c++) {
            float x0 = x[from + c], x1 = x[from + fromStride + c], x2 = inputs == 3 ? x[from + 2 * fromStride + c] : 0f;
            float[] y = switch (t) {
                case DATA -> new float[] {x0 - x1, x1, x2 - x1};
                case KERNEL -> new float[] {x0, x0 + x1, x1};
                case OUTPUT -> new float[] {x0 + x1, x1 + x2};
            };
            for (int j = 0; j < outputs; j++) expected[to + j * toStride + c] = y[j];
        }
        for (int i = 0; i < out.length; i++) assertEquals(expected[i], out[i], 0f, "element " + i);
    }
}
