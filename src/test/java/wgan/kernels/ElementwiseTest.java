package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each element-wise kernel on each path (scalar, Vector API, and the public entry point that
 * chunks and parallelizes) against plain double loops, over sizes with vector tails, several
 * chunks and several column-sum blocks; and the column sums' independence of the thread count.
 */
class ElementwiseTest {
    private static final float ALPHA = 0.2f, SCALE = 1.3f, SHIFT = -0.4f;

    /** rows x channels inputs: a and b full size, v, w and u per channel; out receives the result. */
    record Args(float[] a, float[] b, float[] v, float[] w, float[] u, float[] out, int rows, int channels) {
        static Args random(long seed, int rows, int channels, boolean perChannelOut) {
            Random rnd = new Random(seed);
            return new Args(uniform(rnd, rows * channels), uniform(rnd, rows * channels), uniform(rnd, channels),
                    uniform(rnd, channels), uniform(rnd, channels), new float[perChannelOut ? channels : rows * channels],
                    rows, channels);
        }

        /** Per-channel values v, w or u at flat index i. */
        double v(int i) {
            return v[i % channels];
        }

        double w(int i) {
            return w[i % channels];
        }

        double u(int i) {
            return u[i % channels];
        }
    }

    enum Path { SCALAR, VECTOR, PUBLIC }

    /** A kernel: its plain reference, how to run it on one kernel object, and the public call. */
    record Kernel(String name, boolean perChannelOut, Function<Args, double[]> reference,
                  BiConsumer<ElementwiseKernels, Args> onRange, Consumer<Args> onPublic) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static float[] uniform(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (4 * rnd.nextDouble() - 2);
        return x;
    }

    private static double[] each(Args p, Function<Integer, Double> f) {
        double[] out = new double[p.out().length];
        for (int i = 0; i < out.length; i++) out[i] = f.apply(i);
        return out;
    }

    /** The column sums of f(i) over the rows x channels elements. */
    private static double[] columnSums(Args p, Function<Integer, Double> f) {
        double[] out = new double[p.channels()];
        for (int i = 0; i < p.a().length; i++) out[i % p.channels()] += f.apply(i);
        return out;
    }

    static List<Kernel> kernels() {
        return List.of(
            new Kernel("add", false, p -> each(p, i -> (double) p.a()[i] + p.b()[i]),
                (k, p) -> k.add(p.a(), p.b(), p.out(), 0, p.out().length), p -> Elementwise.add(p.a(), p.b(), p.out())),
            new Kernel("accumulate", false, p -> each(p, i -> p.b()[i] + (i + 1 < p.out().length ? (double) p.a()[i + 1] : 0)),
                (k, p) -> {
                    System.arraycopy(p.b(), 0, p.out(), 0, p.out().length);
                    k.accumulate(p.a(), 1, p.out(), 0, p.out().length - 1);
                }, null),
            new Kernel("mul", false, p -> each(p, i -> (double) p.a()[i] * p.b()[i]),
                (k, p) -> k.mul(p.a(), p.b(), p.out(), 0, p.out().length), p -> Elementwise.mul(p.a(), p.b(), p.out())),
            new Kernel("scaleShift", false, p -> each(p, i -> SCALE * (double) p.a()[i] + SHIFT),
                (k, p) -> k.scaleShift(p.a(), SCALE, SHIFT, p.out(), 0, p.out().length),
                p -> Elementwise.scaleShift(p.a(), SCALE, SHIFT, p.out())),
            new Kernel("leakyRelu", false, p -> each(p, i -> p.a()[i] > 0 ? p.a()[i] : ALPHA * (double) p.a()[i]),
                (k, p) -> k.leakyRelu(p.a(), ALPHA, p.out(), 0, p.out().length),
                p -> Elementwise.leakyRelu(p.a(), ALPHA, p.out())),
            new Kernel("relu", false, p -> each(p, i -> Math.max(p.a()[i], 0.0)),
                (k, p) -> k.leakyRelu(p.a(), 0f, p.out(), 0, p.out().length),
                p -> Elementwise.leakyRelu(p.a(), 0f, p.out())),
            new Kernel("leakyReluBackward", false, p -> each(p, i -> p.b()[i] > 0 ? p.a()[i] : ALPHA * (double) p.a()[i]),
                (k, p) -> k.leakyReluBackward(p.a(), p.b(), ALPHA, p.out(), 0, p.out().length),
                p -> Elementwise.leakyReluBackward(p.a(), p.b(), ALPHA, p.out())),
            new Kernel("tanh", false, p -> each(p, i -> Math.tanh(p.a()[i])),
                (k, p) -> k.tanh(p.a(), p.out(), 0, p.out().length), p -> Elementwise.tanh(p.a(), p.out())),
            new Kernel("addBias", false, p -> each(p, i -> (double) p.a()[i] + p.v()[i % p.channels()]),
                (k, p) -> k.addBias(p.a(), p.v(), p.out(), 0, p.rows()), p -> Elementwise.addBias(p.a(), p.v(), p.out())),
            new Kernel("mulChannels", false, p -> each(p, i -> (double) p.a()[i] * p.v()[i % p.channels()]),
                (k, p) -> k.mulChannels(p.a(), p.v(), p.out(), 0, p.rows()),
                p -> Elementwise.mulChannels(p.a(), p.v(), p.out())),
            new Kernel("scaleShiftChannels", false, p -> each(p, i -> p.a()[i] * p.v(i) + p.w(i)),
                (k, p) -> k.scaleShiftChannels(p.a(), p.v(), p.w(), p.out(), 0, p.rows()),
                p -> Elementwise.scaleShiftChannels(p.a(), p.v(), p.w(), p.out())),
            new Kernel("biasScaleShiftLeakyRelu", false, p -> each(p, i -> {
                    double v = ((double) (p.a()[i] + p.u()[i % p.channels()])) * p.v(i) + p.w(i);
                    return v > 0 ? v : ALPHA * v;
                }),
                (k, p) -> k.biasScaleShiftLeakyRelu(p.a(), p.u(), p.v(), p.w(), ALPHA, p.out(), 0, p.rows()),
                p -> Elementwise.biasScaleShiftLeakyRelu(p.a(), p.u(), p.v(), p.w(), ALPHA, p.out())),
            new Kernel("mulAddChannels", false, p -> each(p, i -> p.a()[i] * p.v(i) + p.b()[i] * p.w(i) + p.u(i)),
                (k, p) -> k.mulAddChannels(p.a(), p.v(), p.b(), p.w(), p.u(), p.out(), 0, p.rows()),
                p -> Elementwise.mulAddChannels(p.a(), p.v(), p.b(), p.w(), p.u(), p.out())),
            new Kernel("columnSums", true, p -> columnSums(p, i -> (double) p.a()[i]),
                (k, p) -> k.columnSums(p.a(), p.out(), 0, p.rows()), p -> Elementwise.columnSums(p.a(), p.out())),
            new Kernel("columnDeviations sum", true, p -> columnSums(p, i -> p.a()[i] - p.v(i)),
                (k, p) -> k.columnDeviations(p.a(), p.v(), p.out(), new float[p.channels()], 0, p.rows()), null),
            new Kernel("columnDeviations squares", true, p -> columnSums(p, i -> Math.pow(p.a()[i] - p.v(i), 2)),
                (k, p) -> k.columnDeviations(p.a(), p.v(), new float[p.channels()], p.out(), 0, p.rows()), null),
            new Kernel("columnSumsWithCentredProducts sumG", true, p -> columnSums(p, i -> (double) p.a()[i]),
                (k, p) -> k.columnSumsWithCentredProducts(p.a(), p.b(), p.v(), p.out(), new float[p.channels()], 0, p.rows()),
                p -> Elementwise.columnSumsWithCentredProducts(p.a(), p.b(), p.v(), p.out(), new float[p.channels()])),
            new Kernel("columnSumsWithCentredProducts sumGX", true, p -> columnSums(p, i -> p.a()[i] * (p.b()[i] - p.v(i))),
                (k, p) -> k.columnSumsWithCentredProducts(p.a(), p.b(), p.v(), new float[p.channels()], p.out(), 0, p.rows()),
                p -> Elementwise.columnSumsWithCentredProducts(p.a(), p.b(), p.v(), new float[p.channels()], p.out())));
    }

    /** rows x channels: single values, vector tails, several chunks (> CHUNK) and sum blocks (> 256 rows). */
    private static final int[][] SHAPES = {{1, 1}, {3, 7}, {13, 16}, {1100, 33}};

    static Stream<Arguments> cases() {
        return kernels().stream().flatMap(k -> Stream.of(Path.values()).flatMap(path -> Stream.of(SHAPES)
            .map(s -> Arguments.of(k, path, 7L + s[0], s[0], s[1]))));
    }

    @ParameterizedTest(name = "{0} {1} seed={2} rows={3} channels={4}")
    @MethodSource("cases")
    void kernelMatchesReference(Kernel kernel, Path path, long seed, int rows, int channels) {
        Args p = Args.random(seed, rows, channels, kernel.perChannelOut());
        switch (path) {
            case SCALAR -> kernel.onRange().accept(new ScalarElementwise(), p);
            case VECTOR -> {
                assumeTrue(Simd.AVAILABLE, "the Vector API module is not loaded");
                kernel.onRange().accept(new VectorElementwise(), p);
            }
            case PUBLIC -> {
                assumeTrue(kernel.onPublic() != null, "a range kernel only");
                kernel.onPublic().accept(p);
            }
        }
        double[] expected = kernel.reference().apply(p);
        // float32 rounding: one or two ulps per element (the vector tanh is an approximation
        // within a few ulps); column sums accumulate up to 1100 rounding errors of O(4).
        double tol = kernel.perChannelOut() ? 1e-6 * rows * 4 : 1e-6;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - p.out()[i]) <= tol * (1 + Math.abs(expected[i])))) {
                fail("[" + i + "] " + p.out()[i] + ", expected " + expected[i]);
            }
        }
    }

    /**
     * tanh is the same function bit for bit on both paths (so results cannot depend on which
     * runs, or on JIT timing), within 4 ulp of the correctly rounded value, and saturates and
     * passes NaN as tanh does.
     */
    @Test
    void tanhIsBitwiseTheSameOnBothPathsAndAccurate() {
        assumeTrue(Simd.AVAILABLE, "the vector path needs jdk.incubator.vector");
        Random r = new Random(17);
        float[] x = new float[4099];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * (i % 3 == 0 ? 0.01 : i % 3 == 1 ? 1 : 6));
        x[0] = 0f;
        x[1] = -0f;
        x[2] = 40f;
        x[3] = -40f;
        x[4] = Float.NaN;
        float[] vector = new float[x.length], scalar = new float[x.length];
        new VectorElementwise().tanh(x, vector, 0, x.length);
        new ScalarElementwise().tanh(x, scalar, 0, x.length);
        assertArrayEquals(scalar, vector);
        for (int i = 2; i < x.length; i++) {
            if (Float.isNaN(x[i])) continue;
            float exact = (float) Math.tanh(x[i]);
            if (Math.abs(scalar[i] - exact) > 4 * Math.ulp(exact)) fail("tanh(" + x[i] + ") = " + scalar[i] + ", exact " + exact);
        }
        assertArrayEquals(new float[] {0f, -0f}, java.util.Arrays.copyOf(scalar, 2));
        assertTrue(Float.isNaN(scalar[4]), "NaN in, NaN out");
    }

    /** Every column reduction with 1 thread, then with 2, 3 and 5: bitwise the same. */
    @Test
    void columnReductionsAreBitwiseIdenticalForAnyThreadCount() {
        Args p = Args.random(5, 5000, 37, true);
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] expected = columnReductions(p);
            for (int threads : new int[] {2, 3, 5}) {
                Parallel.setThreads(threads);
                float[][] actual = columnReductions(p);
                for (int k = 0; k < expected.length; k++) assertArrayEquals(expected[k], actual[k], "threads=" + threads);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static float[][] columnReductions(Args p) {
        int c = p.channels();
        float[][] r = new float[5][c];
        Elementwise.columnSums(p.a(), r[0]);
        Elementwise.columnSumsWithCentredProducts(p.a(), p.b(), p.v(), r[1], r[2]);
        Elementwise.channelMoments(p.a(), r[3], r[4]);
        return r;
    }

    /**
     * Mean and biased variance against a double two-pass, on columns whose mean (1000 + c) is far
     * larger than their spread (U(-2, 2), variance 4/3): the naive sum of squares minus the square
     * of the sum would lose every digit of the variance in float32 (1000^2 x 6e-8 = 0.06 per element).
     * Rows: one row, a partial block, and several blocks with a partial last one.
     */
    @ParameterizedTest(name = "rows={0} channels={1}")
    @MethodSource("momentShapes")
    void channelMomentsMatchTwoPassInDouble(int rows, int channels) {
        Args p = Args.random(rows, rows, channels, true);
        float[] x = p.a();
        for (int i = 0; i < x.length; i++) x[i] += 1000 + i % channels;
        float[] mean = new float[channels], variance = new float[channels];
        Elementwise.channelMoments(x, mean, variance);
        double[] m = columnSums(p, i -> (double) x[i]);
        for (int c = 0; c < channels; c++) m[c] /= rows;
        double[] v = columnSums(p, i -> Math.pow(x[i] - m[i % channels], 2));
        for (int c = 0; c < channels; c++) {
            // float32 inputs near 1000 carry absolute rounding 3e-5; the variance's relative error stays near 1e-6.
            double tolVar = 1e-5 * (v[c] / rows) + 1e-6;
            if (Math.abs(m[c] - mean[c]) > 1e-6 * Math.abs(m[c]) || Math.abs(v[c] / rows - variance[c]) > tolVar) {
                fail("channel " + c + ": mean " + mean[c] + " variance " + variance[c] + ", expected " + m[c] + " " + v[c] / rows);
            }
        }
    }

    static Stream<Arguments> momentShapes() {
        return Stream.of(Arguments.of(1, 3), Arguments.of(37, 9), Arguments.of(1100, 33), Arguments.of(600, 130));
    }

    /**
     * The fused F(2x2, 2x2) tile transforms (data, output and the output's adjoint) against two
     * passes of linearCombinations with F2's matrices, bit for bit, on both paths: channel counts with and without vector tails, and
     * strides that interleave tiles as Winograd lays them out.
     */
    @ParameterizedTest(name = "{0} channels={1}")
    @MethodSource("tileCases")
    void f2x2TileTransformsAreTheTwoPassesBitForBit(Path path, int n) {
        ElementwiseKernels k = path == Path.VECTOR ? new VectorElementwise() : new ScalarElementwise();
        assumeTrue(path != Path.VECTOR || Simd.AVAILABLE, "the Vector API module is not loaded");
        Random rnd = new Random(31L * n + path.ordinal());
        int rowStride = 5 * n + 3, colStride = n + 2, positionStride = 2 * n + 1;
        float[] d = uniform(rnd, 3 * rowStride + 3 * colStride + n);
        WinogradTransform f = WinogradTransform.F2;

        float[] e = new float[9 * n], expected = new float[9 * positionStride + n], actual = expected.clone();
        for (int col = 0; col < 3; col++) {
            ScalarElementwise.INSTANCE.linearCombinations(f.dataT(), 3, d, 1 + col * colStride, rowStride, e, col * n, 3 * n, n);
        }
        for (int r = 0; r < 3; r++) {
            ScalarElementwise.INSTANCE.linearCombinations(f.dataT(), 3, e, 3 * r * n, n, expected, 3 * r * positionStride, positionStride, n);
        }
        k.winogradData2x2(d, 1, rowStride, colStride, actual, 0, positionStride, n);
        assertArrayEquals(expected, actual, "data transform");

        float[] z = new float[6 * n], y = new float[2 * rowStride + 2 * colStride + n], yActual = y.clone();
        for (int r = 0; r < 3; r++) {
            ScalarElementwise.INSTANCE.linearCombinations(f.outputT(), 3, d, 1 + 3 * r * positionStride, positionStride, z, 2 * r * n, n, n);
        }
        for (int b = 0; b < 2; b++) {
            ScalarElementwise.INSTANCE.linearCombinations(f.outputT(), 3, z, b * n, 2 * n, y, b * colStride, rowStride, n);
        }
        k.winogradOutput2x2(d, 1, positionStride, yActual, 0, rowStride, colStride, n);
        assertArrayEquals(y, yActual, "output transform");

        float[] a = f.outputTransposed(), zg = new float[6 * n], mExpected = new float[9 * positionStride + n], mActual = mExpected.clone();
        for (int r = 0; r < 2; r++) {
            ScalarElementwise.INSTANCE.linearCombinations(a, 2, d, 1 + r * rowStride, colStride, zg, 3 * r * n, n, n);
        }
        for (int col = 0; col < 3; col++) {
            ScalarElementwise.INSTANCE.linearCombinations(a, 2, zg, col * n, 3 * n, mExpected, col * positionStride, 3 * positionStride, n);
        }
        k.winogradGradient2x2(d, 1, rowStride, colStride, mActual, 0, positionStride, n);
        assertArrayEquals(mExpected, mActual, "gradient transform");
    }

    static Stream<Arguments> tileCases() {
        return Stream.of(Path.SCALAR, Path.VECTOR).flatMap(p -> IntStream.of(1, 7, 8, 13, 128).mapToObj(n -> Arguments.of(p, n)));
    }

    /**
     * The fused bias, affine map and rectifier against the three kernels in turn, bit for bit, on
     * both paths, with and without a bias, for a leaky ReLU and a ReLU; the inputs include zeros
     * of both signs, and channel counts with and without a vector tail.
     */
    @ParameterizedTest(name = "{0} channels={1}")
    @MethodSource("tileCases")
    void biasScaleShiftLeakyReluIsTheThreeKernelsBitForBit(Path path, int channels) {
        ElementwiseKernels k = path == Path.VECTOR ? new VectorElementwise() : new ScalarElementwise();
        assumeTrue(path != Path.VECTOR || Simd.AVAILABLE, "the Vector API module is not loaded");
        Args p = Args.random(11L * channels, 9, channels, false);
        p.a()[0] = -0f;
        p.a()[1] = 0f;
        p.w()[0] = 0f;
        for (float[] bias : new float[][] {p.u(), null}) {
            for (float alpha : new float[] {ALPHA, 0f}) {
                float[] expected = p.a().clone(), actual = new float[expected.length];
                if (bias != null) k.addBias(expected, bias, expected, 0, p.rows());
                k.scaleShiftChannels(expected, p.v(), p.w(), expected, 0, p.rows());
                k.leakyRelu(expected, alpha, expected, 0, expected.length);
                k.biasScaleShiftLeakyRelu(p.a(), bias, p.v(), p.w(), alpha, actual, 0, p.rows());
                assertArrayEquals(expected, actual, "bias " + (bias != null) + ", alpha " + alpha);
            }
        }
    }
}
