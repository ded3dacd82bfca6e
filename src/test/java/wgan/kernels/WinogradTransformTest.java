package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
 * The matrices of {@link WinogradTransform} and the kernel that applies them,
 * {@link ElementwiseKernels#linearCombinations}.
 */
class WinogradTransformTest {
    static Stream<Arguments> kernelCases() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean vector : new boolean[] {false, true}) {
            for (long seed = 1; seed <= 60; seed++) cases.add(Arguments.of(vector, seed));
        }
        return cases.stream();
    }

    /**
     * Both paths against the documented order of operations, evaluated here in float with plain
     * loops: the first non-zero term a product, each later one a fused multiply-add, so they must
     * agree bitwise. Cases are seeded random matrices (with zeros, ones and fractions), channel
     * counts (with vector tails), offsets and strides of either sign; every element the kernel
     * should not write stays NaN.
     */
    @ParameterizedTest(name = "vector={0} seed={1}")
    @MethodSource("kernelCases")
    void linearCombinationsFollowTheirFormula(boolean vector, long seed) {
        assumeTrue(!vector || Simd.AVAILABLE, "the Vector API module is not loaded");
        ElementwiseKernels k = vector ? new VectorElementwise() : ScalarElementwise.INSTANCE;
        Random r = new Random(seed);
        int n = 1 + r.nextInt(40), inputs = 1 + r.nextInt(6), outputs = 1 + r.nextInt(6);
        float[] m = new float[outputs * inputs];
        float[] choices = {0, 0, 1, -1, 4, -5, 1f / 6};
        for (int i = 0; i < m.length; i++) m[i] = r.nextInt(4) == 0 ? 2 * r.nextFloat() - 1 : choices[r.nextInt(choices.length)];
        // Strides of at least n keep the rows apart; a negative one lays them out backwards.
        int fromStride = (n + r.nextInt(5)) * (r.nextBoolean() ? 1 : -1), toStride = n + r.nextInt(5);
        int from = r.nextInt(7) + (fromStride < 0 ? (inputs - 1) * -fromStride : 0), to = r.nextInt(7);
        float[] x = new float[from + Math.max(0, (inputs - 1) * fromStride) + n + r.nextInt(3)];
        for (int i = 0; i < x.length; i++) x[i] = 4 * r.nextFloat() - 2;
        float[] out = new float[to + (outputs - 1) * toStride + n + r.nextInt(3)];
        Arrays.fill(out, Float.NaN);
        k.linearCombinations(m, inputs, x, from, fromStride, out, to, toStride, n);

        float[] expected = new float[out.length];
        Arrays.fill(expected, Float.NaN);
        for (int i = 0; i < outputs; i++) {
            for (int c = 0; c < n; c++) {
                float acc = 0;
                boolean first = true;
                for (int j = 0; j < inputs; j++) {
                    float coefficient = m[i * inputs + j], xj = x[from + j * fromStride + c];
                    if (coefficient == 0) continue;
                    acc = first ? coefficient * xj : Math.fma(coefficient, xj, acc);
                    first = false;
                }
                expected[to + i * toStride + c] = acc;
            }
        }
        for (int i = 0; i < out.length; i++) assertEquals(expected[i], out[i], 0f, "element " + i);
    }

    static Stream<Arguments> transformCases() {
        List<Arguments> cases = new ArrayList<>();
        for (int taps : new int[] {2, 3, 5}) {
            for (long seed = 1; seed <= 20; seed++) cases.add(Arguments.of(taps, seed));
        }
        return cases.stream();
    }

    /**
     * y = A^T [(G g) . (B^T d)] equals the correlation y[q] = sum_j d[q + j] g[j] for q = 0, 1,
     * evaluated in double on seeded random d and g. The only rounding is that of G's fractions
     * stored as floats (relative 2^-24 each), so the bound is 2^-20 times the sum of
     * |A^T| |G| |g| |B^T| |d|; a wrong entry is off by a whole term.
     */
    @ParameterizedTest(name = "F(2, {0}) seed={1}")
    @MethodSource("transformCases")
    void transformComputesTheCorrelation(int taps, long seed) {
        WinogradTransform f = WinogradTransform.of(taps);
        int points = f.points();
        Random r = new Random(seed);
        double[] d = new double[points], g = new double[taps];
        for (int i = 0; i < points; i++) d[i] = 2 * r.nextDouble() - 1;
        for (int j = 0; j < taps; j++) g[j] = 2 * r.nextDouble() - 1;
        for (int q = 0; q < 2; q++) {
            double y = 0, abs = 0;
            for (int p = 0; p < points; p++) {
                double u = 0, uAbs = 0, v = 0, vAbs = 0;
                for (int j = 0; j < taps; j++) {
                    u += f.kernel()[p * taps + j] * g[j];
                    uAbs += Math.abs(f.kernel()[p * taps + j] * g[j]);
                }
                for (int l = 0; l < points; l++) {
                    v += f.dataT()[p * points + l] * d[l];
                    vAbs += Math.abs(f.dataT()[p * points + l] * d[l]);
                }
                y += f.outputT()[q * points + p] * u * v;
                abs += Math.abs(f.outputT()[q * points + p]) * uAbs * vAbs;
            }
            double direct = 0;
            for (int j = 0; j < taps; j++) direct += d[q + j] * g[j];
            double err = Math.abs(y - direct), tol = 0x1p-20 * abs;
            assertTrue(err <= tol, "output " + q + ": " + y + " vs " + direct + " (error " + err + " > " + tol + ")");
        }
    }
}
