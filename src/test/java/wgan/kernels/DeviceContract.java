package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link Device} must compute: each function against the plain references of
 * {@link GemmTest} and {@link ConvTest} (double sums), and against the CPU device, element by
 * element, within bounds derived from the sums. A float sum of n terms computed in any order is
 * within n * 2^-23 * sum|terms| of the exact one (a CPU lowering by Winograd within the wider
 * bound {@link ConvTest}'s references carry), so two devices differ by at most the sum of their
 * bounds. Every output element must be written, and a device must give the same bits twice.
 * A subclass names the device; the OpenCL one runs these on a real OpenCL runtime.
 */
public abstract class DeviceContract {
    private static final double ULP = 0x1p-23;

    /** The device under test. */
    protected abstract Device device();

    /** One dense product C = op(A) op(B) and the seed of its operands; the name replays it. */
    public record MatmulCase(long seed, boolean transA, boolean transB, int m, int n, int k) {
        @Override
        public String toString() {
            return String.format("seed=%d %s%s m=%d n=%d k=%d", seed, transA ? "T" : "N", transB ? "T" : "N", m, n, k);
        }
    }

    /** Edges (vectors, one element, sizes off every tile multiple) and seeded shapes, with every transpose. */
    public static Stream<MatmulCase> matmulCases() {
        int[][] edges = {{1, 1, 1}, {1, 37, 5}, {37, 1, 5}, {3, 4, 70}, {17, 33, 65}, {64, 32, 16}};
        Stream<MatmulCase> edge = Arrays.stream(edges).flatMap(s -> IntStream.range(0, 4)
                .mapToObj(t -> new MatmulCase(s[0] * 31L + s[2], (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2])));
        Stream<MatmulCase> random = IntStream.range(0, 16).mapToObj(i -> {
            SplittableRandom r = new SplittableRandom(500 + i);
            return new MatmulCase(500 + i, (i & 1) != 0, (i & 2) != 0, 1 + r.nextInt(90), 1 + r.nextInt(90), 1 + r.nextInt(90));
        });
        return Stream.concat(edge, random);
    }

    /** Small convolutions of every kind that {@link ConvTest} checks: random, transposed, Winograd's on the CPU. */
    public static Stream<ConvTest.Case> convCases() {
        return Stream.of(ConvTest.randomCases().limit(20), ConvTest.transposedCases(), ConvTest.winogradCases().limit(6))
                .flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matmulCases")
    public void matmulMatchesTheReferenceAndTheCpu(MatmulCase c) {
        SplittableRandom r = new SplittableRandom(c.seed());
        float[] a = random(r, c.m() * c.k()), b = random(r, c.k() * c.n());
        float[] got = run(out -> device().matmul(c.transA(), c.transB(), c.m(), c.n(), c.k(), a, b, out), c.m() * c.n());
        float[] cpu = new float[got.length];
        CpuDevice.INSTANCE.matmul(c.transA(), c.transB(), c.m(), c.n(), c.k(), a, b, cpu);
        double[] value = new double[got.length], absSum = new double[got.length];
        for (int i = 0; i < c.m(); i++)
            for (int j = 0; j < c.n(); j++)
                for (int p = 0; p < c.k(); p++) {
                    double t = (double) (c.transA() ? a[p * c.m() + i] : a[i * c.k() + p])
                            * (c.transB() ? b[j * c.k() + p] : b[p * c.n() + j]);
                    value[i * c.n() + j] += t;
                    absSum[i * c.n() + j] += Math.abs(t);
                }
        assertClose("matmul", new ConvTest.Reference(value, absSum), got, cpu, c.k());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convCases")
    public void convolutionsMatchTheReferencesAndTheCpu(ConvTest.Case c) {
        ConvTest.Data d = new ConvTest.Data(c);
        List<ConvTest.Pass> passes = ConvTest.passes(c.g(), d);
        Device device = device();
        ConvFunction[] onDevice = {device::convForward, device::convInputGrad, device::convWeightGrad};
        for (int f = 0; f < passes.size(); f++) {
            ConvTest.Pass p = passes.get(f);
            ConvFunction fn = onDevice[f];
            float[] got = run(out -> fn.run(c.g(), p.a(), p.b(), out), p.outSize());
            assertClose(p.name(), p.reference().get(), got, p.run("Conv", c.g()), p.terms());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convCases")
    public void resultsAreTheSameBitsEachTime(ConvTest.Case c) {
        ConvTest.Data d = new ConvTest.Data(c);
        float[] first = run(out -> device().convWeightGrad(c.g(), d.x, d.dy, out), c.g().weightSize());
        float[] again = run(out -> device().convWeightGrad(c.g(), d.x, d.dy, out), c.g().weightSize());
        assertArrayEquals(first, again, c.name());
    }

    @FunctionalInterface
    private interface ConvFunction { void run(ConvGeometry g, float[] a, float[] b, float[] out); }

    /** The output of {@code fill}, which must write every element: it starts as NaN. */
    private static float[] run(java.util.function.Consumer<float[]> fill, int size) {
        float[] out = new float[size];
        Arrays.fill(out, Float.NaN);
        fill.accept(out);
        return out;
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }

    /** Within the bound of {@code terms} terms of the reference, and within twice that of the CPU's result. */
    private static void assertClose(String name, ConvTest.Reference ref, float[] got, float[] cpu, long terms) {
        for (int j = 0; j < got.length; j++) {
            double bound = terms * ULP * ref.absSum()[j];
            double fromReference = Math.abs(got[j] - ref.value()[j]), fromCpu = Math.abs(got[j] - cpu[j]);
            int at = j;
            assertTrue(fromReference <= bound, () -> name + ": element " + at + " is " + got[at] + ", expected "
                    + ref.value()[at] + " (error " + fromReference + " > " + bound + ")");
            assertTrue(fromCpu <= 2 * bound, () -> name + ": element " + at + " is " + got[at] + ", the CPU's "
                    + cpu[at] + " (difference " + fromCpu + " > " + 2 * bound + ")");
        }
    }
}
