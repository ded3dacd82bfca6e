package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GemmTest {
    /** Written around C's m x n region (between rows, before and after): must come back untouched. */
    private static final float SENTINEL = 12345.5f;
    private static final int E1_BATCH = 32;

    /** The two implementations behind Gemm.sgemm. */
    enum Path {
        VECTOR, SCALAR;

        void sgemm(Case c, float[] a, float[] b, float[] cm) {
            if (this == VECTOR) {
                VectorGemm.sgemm(c.transA, c.transB, c.m, c.n, c.k, c.alpha, a, c.aOff, c.lda, b, c.bOff, c.ldb,
                        c.beta, cm, c.cOff, c.ldc);
            } else {
                ScalarGemm.sgemm(c.transA, c.transB, c.m, c.n, c.k, c.alpha, a, c.aOff, c.lda, b, c.bOff, c.ldb,
                        c.beta, cm, c.cOff, c.ldc);
            }
        }
    }

    /** One GEMM call; its toString is the case name, enough to replay a failure. */
    record Case(String name, long seed, boolean transA, boolean transB, int m, int n, int k,
                float alpha, float beta, int aOff, int lda, int bOff, int ldb, int cOff, int ldc) {

        /** Random scalars, offsets and leading-dimension padding drawn from the seed. */
        static Case of(String name, long seed, boolean transA, boolean transB, int m, int n, int k) {
            SplittableRandom r = new SplittableRandom(seed);
            float alpha = r.nextBoolean() ? 1f : (float) r.nextDouble(-2, 2);
            float[] betas = {0f, 1f, (float) r.nextDouble(-2, 2)};
            float beta = betas[r.nextInt(3)];
            int lda = (transA ? m : k) + r.nextInt(4);
            int ldb = (transB ? k : n) + r.nextInt(4);
            int ldc = n + r.nextInt(4);
            return new Case(name, seed, transA, transB, m, n, k, alpha, beta,
                    r.nextInt(8), lda, r.nextInt(8), ldb, r.nextInt(8), ldc);
        }

        int aSize() { return aOff + (transA ? k : m) * lda; }

        int bSize() { return bOff + (transB ? n : k) * ldb; }

        int cSize() { return cOff + m * ldc + 5; }

        float a(float[] a, int i, int p) { return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]; }

        float b(float[] b, int p, int j) { return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]; }

        boolean inC(int index) {
            int rel = index - cOff;
            return rel >= 0 && rel < m * ldc && rel % ldc < n;
        }

        @Override
        public String toString() {
            return String.format("%s seed=%d %s%s m=%d n=%d k=%d alpha=%s beta=%s", name, seed,
                    transA ? "T" : "N", transB ? "T" : "N", m, n, k, alpha, beta);
        }
    }

    /** The operands of one case: A and B random in [-1, 1]; C random, or NaN where beta == 0 forbids reading it. */
    record Data(float[] a, float[] b, float[] c) {
        static Data of(Case cs) {
            SplittableRandom r = new SplittableRandom(cs.seed ^ 0x9E3779B97F4A7C15L);
            float[] c = new float[cs.cSize()];
            for (int i = 0; i < c.length; i++) {
                c[i] = !cs.inC(i) ? SENTINEL : cs.beta == 0f ? Float.NaN : (float) r.nextDouble(-1, 1);
            }
            return new Data(random(r, cs.aSize()), random(r, cs.bSize()), c);
        }

        private static float[] random(SplittableRandom r, int size) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble(-1, 1);
            return x;
        }
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    static Stream<Case> randomCases() {
        return IntStream.range(0, 48).mapToObj(i -> {
            long seed = 1000 + i;
            SplittableRandom r = new SplittableRandom(seed);
            // i % 4 walks the transposes so each gets a quarter of the cases.
            return Case.of("random", seed, (i & 1) != 0, (i & 2) != 0,
                    1 + r.nextInt(130), 1 + r.nextInt(130), 1 + r.nextInt(130));
        });
    }

    /** The GEMMs of the reference experiment E1 at batch 32 (NHWC lowering), each with all four transposes. */
    static Stream<Case> e1Cases() {
        int b = E1_BATCH;
        int[][] shapes = {
            {b * 196, 64, 16}, {16, 64, b * 196},                       // critic conv1: fwd, dW (one input channel: dW^T)
            {b * 49, 64, 1024}, {b * 49, 1024, 64}, {64, 1024, b * 49}, // critic conv2: fwd, dX, dW
            {b, 6272, 50}, {50, 6272, b},                               // generator dense: fwd, dW
            {b * 49, 128, 512}, {b * 49, 128, 2048}, {128, 2048, b * 49},    // tconv1 per phase
            {b * 196, 128, 512}, {b * 196, 128, 2048}, {128, 2048, b * 196}, // tconv2 per phase
            {b * 784, 49, 128}, {b * 784, 128, 49}, {49, 128, b * 784},      // final 7x7 conv
            {64, 1, 3136}, {1, 6272, 2000},                             // matrix-vector shapes
        };
        List<Case> cases = new ArrayList<>();
        for (int s = 0; s < shapes.length; s++) {
            for (int t = 0; t < 4; t++) {
                cases.add(Case.of("e1", 5000 + 4 * s + t, (t & 1) != 0, (t & 2) != 0, shapes[s][0], shapes[s][1], shapes[s][2]));
            }
        }
        return cases.stream();
    }

    @Test
    void testsRunTheVectorPath() {
        // Otherwise every VECTOR case below would still pass, having tested nothing of the SIMD kernel.
        assertTrue(Simd.AVAILABLE, "surefire must run with --add-modules jdk.incubator.vector");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomCases")
    void vectorMatchesReference(Case cs) {
        checkAll(Path.VECTOR, cs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomCases")
    void scalarMatchesReference(Case cs) {
        checkAll(Path.SCALAR, cs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("e1Cases")
    void vectorMatchesReferenceOnE1Shapes(Case cs) {
        Data d = Data.of(cs);
        float[] c0 = d.c.clone();
        Path.VECTOR.sgemm(cs, d.a, d.b, d.c);
        // A full double-precision reference of the largest shapes takes seconds; rows and
        // columns at both edges (where the ragged tiles are) plus random elements take milliseconds.
        SplittableRandom r = new SplittableRandom(cs.seed);
        for (int j = 0; j < cs.n; j++) {
            checkElement(cs, d, c0, 0, j);
            checkElement(cs, d, c0, cs.m - 1, j);
        }
        for (int i = 0; i < cs.m; i++) {
            checkElement(cs, d, c0, i, 0);
            checkElement(cs, d, c0, i, cs.n - 1);
        }
        for (int s = 0; s < 500; s++) checkElement(cs, d, c0, r.nextInt(cs.m), r.nextInt(cs.n));
        checkOutsideUntouched(cs, d.c);
    }

    /** C with one row or one column (the matrix-vector path), alpha 1 and beta 0, over all transposes. */
    static Stream<Case> matrixVectorCases() {
        return IntStream.range(0, 32).mapToObj(i -> {
            long seed = 7000 + i;
            SplittableRandom r = new SplittableRandom(seed);
            int len = 1 + r.nextInt(200), k = 1 + r.nextInt(3200);
            boolean oneRow = (i & 4) != 0;
            Case cs = Case.of("matvec", seed, (i & 1) != 0, (i & 2) != 0, oneRow ? 1 : len, oneRow ? len : 1, k);
            return new Case(cs.name, seed, cs.transA, cs.transB, cs.m, cs.n, k, 1f, 0f, cs.aOff, cs.lda, cs.bOff,
                    cs.ldb, cs.cOff, cs.ldc);
        });
    }

    /**
     * The matrix-vector path sums in an order fixed by the operands' layout alone, never by the
     * vector width, so a training run from one seed gives the same bits on any machine: where the
     * vector's terms lie along unit stride, 32 partial sums (p mod 32) added as a fixed tree and
     * then lane by lane, then the last k mod 32 terms in order; otherwise one chain over p in order.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("matrixVectorCases")
    void matrixVectorProductsSumInAFixedOrder(Case cs) {
        boolean unitStride = cs.n == 1 ? !cs.transA || cs.lda == 1 : cs.transB || cs.ldb == 1;
        checkEveryElementExactly(cs, (d, c0, i, j) -> {
            float[] x = new float[cs.k], v = new float[cs.k];
            for (int p = 0; p < cs.k; p++) {
                x[p] = cs.a(d.a, i, p);
                v[p] = cs.b(d.b, p, j);
            }
            return unitStride ? splitDot(x, v) : chainDot(x, v, 0, 0f);
        });
    }

    /** What one element of C must be, bit for bit, from the operands and C as it was before the call. */
    private interface ExactElement {
        float of(Data d, float[] c0, int i, int j);
    }

    /** Runs the vector path on the case and checks every element of C bitwise, and that nothing around C changed. */
    private static void checkEveryElementExactly(Case cs, ExactElement want) {
        Data d = Data.of(cs);
        float[] c0 = d.c.clone();
        Path.VECTOR.sgemm(cs, d.a, d.b, d.c);
        for (int i = 0; i < cs.m; i++) {
            for (int j = 0; j < cs.n; j++) {
                assertEquals(want.of(d, c0, i, j), d.c[cs.cOff + i * cs.ldc + j], cs + ": C[" + i + "][" + j + "]");
            }
        }
        checkOutsideUntouched(cs, d.c);
    }

    private static float splitDot(float[] x, float[] v) {
        int blocks = x.length / 32;
        float[] partial = new float[32];
        for (int q = 0; q < 32; q++) {
            for (int b = 0; b < blocks; b++) partial[q] = Math.fma(x[32 * b + q], v[32 * b + q], partial[q]);
        }
        float sum = 0f;
        for (int lane = 0; lane < 4; lane++) {
            float[] s = new float[8];
            for (int acc = 0; acc < 8; acc++) s[acc] = partial[4 * acc + lane];
            sum += ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
        }
        return chainDot(x, v, 32 * blocks, sum);
    }

    private static float chainDot(float[] x, float[] v, int from, float start) {
        float sum = start;
        for (int p = from; p < x.length; p++) sum = Math.fma(x[p], v[p], sum);
        return sum;
    }

    /** k = 1 (an outer product), all transposes, sizes up to 300, alpha and beta drawn from the seed. */
    static Stream<Case> outerProductCases() {
        return IntStream.range(0, 24).mapToObj(i -> {
            long seed = 9000 + i;
            SplittableRandom r = new SplittableRandom(seed);
            return Case.of("outer", seed, (i & 1) != 0, (i & 2) != 0, 2 + r.nextInt(300), 2 + r.nextInt(300), 1);
        });
    }

    /** Every element of an outer product is (alpha * a[i]) * b[j] fused with beta * C, as in the blocked path. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("outerProductCases")
    void outerProductsRoundEachElementOnce(Case cs) {
        checkEveryElementExactly(cs, (d, c0, i, j) -> Math.fma(cs.alpha * cs.a(d.a, i, 0), cs.b(d.b, 0, j),
                cs.beta == 0f ? 0f : c0[cs.cOff + i * cs.ldc + j] * cs.beta));
    }

    /** Small C over a long k (so split into parts of k), all transposes, alpha and beta drawn from the seed. */
    static Stream<Case> depthPartCases() {
        return IntStream.range(0, 16).mapToObj(i -> {
            long seed = 8000 + i;
            SplittableRandom r = new SplittableRandom(seed);
            return Case.of("parts", seed, (i & 1) != 0, (i & 2) != 0, 2 + r.nextInt(60), 2 + r.nextInt(60), 2049 + r.nextInt(4000));
        });
    }

    /**
     * A small C over a long k is summed in parts of k fixed by the shape alone: part 0 one chain
     * of FMAs from beta * C, every other part a chain from 0, and the parts added to C in order.
     * So the bits depend on the shape, never on the thread count.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("depthPartCases")
    void smallCOverLongKSumsFixedPartsInOrder(Case cs) {
        int span = VectorGemm.depthPart(cs.m, cs.n, cs.k);
        assertTrue(span > 0 && span < cs.k, cs + ": not split, part " + span);
        checkEveryElementExactly(cs, (d, c0, i, j) -> {
            float sum = cs.beta == 0f ? 0f : c0[cs.cOff + i * cs.ldc + j] * cs.beta;
            for (int p0 = 0; p0 < cs.k; p0 += span) {
                float part = p0 == 0 ? sum : 0f;
                for (int p = p0; p < Math.min(cs.k, p0 + span); p++) {
                    part = Math.fma(cs.alpha * cs.a(d.a, i, p), cs.b(d.b, p, j), part);
                }
                sum = p0 == 0 ? part : sum + part;
            }
            return sum;
        });
    }

    @Test
    void gemmDispatchesToTheVectorPath() {
        Case cs = Case.of("dispatch", 7, false, true, 37, 41, 43);
        Data viaGemm = Data.of(cs);
        Data direct = Data.of(cs);
        Gemm.sgemm(cs.transA, cs.transB, cs.m, cs.n, cs.k, cs.alpha, viaGemm.a, cs.aOff, cs.lda, viaGemm.b, cs.bOff,
                cs.ldb, cs.beta, viaGemm.c, cs.cOff, cs.ldc);
        Path.VECTOR.sgemm(cs, direct.a, direct.b, direct.c);
        assertArrayEquals(direct.c, viaGemm.c);
    }

    static Stream<Case> multiTileCases() {
        return Stream.of(
                Case.of("tiles", 11, false, false, 300, 4200, 600), // two NC panels, three KC blocks
                Case.of("tiles", 12, true, false, 301, 97, 513),
                Case.of("tiles", 13, false, true, 29, 1000, 700),   // few rows: cut into column blocks
                Case.of("tiles", 14, true, true, 1000, 19, 300),
                Case.of("tiles", 15, false, false, 64, 1, 3136),    // matrix-vector paths
                Case.of("tiles", 16, false, false, 1, 6272, 500),
                Case.of("tiles", 17, false, true, 1, 3000, 500),
                Case.of("tiles", 18, true, false, 49, 128, 5000),   // small C, long k: parts of k
                Case.of("tiles", 19, false, true, 16, 64, 2100));
    }

    /** The random and multi-tile cases that take the blocked path (not a matrix-vector product). */
    static Stream<Case> blockedCases() {
        return Stream.concat(randomCases(), multiTileCases()).filter(cs -> cs.m > 1 && cs.n > 1);
    }

    /** B packed once and used on one thread: the same C, bit for bit, across NC panels and KC blocks. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("blockedCases")
    void preparedBGivesWhatSgemmGives(Case cs) {
        Data expected = Data.of(cs), prepared = Data.of(cs);
        Path.VECTOR.sgemm(cs, expected.a, expected.b, expected.c);
        Gemm.PreparedB b = Gemm.prepare(cs.n, cs.k, GemmOperand.b(cs.transB, prepared.b, cs.bOff, cs.ldb));
        Gemm.multiply(cs.m, GemmOperand.a(cs.transA, prepared.a, cs.aOff, cs.lda, cs.alpha), b, cs.beta,
                prepared.c, cs.cOff, cs.ldc);
        assertArrayEquals(expected.c, prepared.c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multiTileCases")
    void vectorIsBitwiseIdenticalForAnyThreadCount(Case cs) {
        checkThreadInvariance(Path.VECTOR, cs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomCases")
    void scalarIsBitwiseIdenticalForAnyThreadCount(Case cs) {
        checkThreadInvariance(Path.SCALAR, cs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomCases")
    void zeroAlphaOrZeroKOnlyScalesC(Case random) {
        for (Path path : Path.values()) {
            for (Case cs : List.of(withAlphaK(random, 0f, random.k), withAlphaK(random, random.alpha, 0))) {
                Data d = Data.of(cs);
                Arrays.fill(d.a, Float.NaN); // not to be read
                Arrays.fill(d.b, Float.NaN);
                float[] c0 = d.c.clone();
                path.sgemm(cs, d.a, d.b, d.c);
                for (int i = 0; i < c0.length; i++) {
                    float want = !cs.inC(i) ? SENTINEL : cs.beta == 0f ? 0f : cs.beta * c0[i];
                    assertEquals(want, d.c[i], path + " " + cs + " at index " + i);
                }
            }
        }
    }

    private static Case withAlphaK(Case c, float alpha, int k) {
        return new Case(c.name, c.seed, c.transA, c.transB, c.m, c.n, k, alpha, c.beta, c.aOff,
                c.transA ? c.lda : Math.max(c.lda, k), c.bOff, c.transB ? Math.max(c.ldb, k) : c.ldb, c.cOff, c.ldc);
    }

    private static void checkThreadInvariance(Path path, Case cs) {
        float[] first = null;
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            Data d = Data.of(cs);
            path.sgemm(cs, d.a, d.b, d.c);
            if (first == null) {
                first = d.c;
            } else {
                assertArrayEquals(first, d.c, path + " " + cs + ": 1 thread vs " + threads);
            }
        }
    }

    private static void checkAll(Path path, Case cs) {
        Data d = Data.of(cs);
        float[] c0 = d.c.clone();
        path.sgemm(cs, d.a, d.b, d.c);
        for (int i = 0; i < cs.m; i++) {
            for (int j = 0; j < cs.n; j++) checkElement(cs, d, c0, i, j);
        }
        checkOutsideUntouched(cs, d.c);
    }

    /**
     * Compares C[i][j] with alpha * sum_p a_ip b_pj + beta * c0_ij computed in double. Any float
     * evaluation order of the k products makes at most ~k+3 roundings (alpha times a, k
     * multiply-adds, the adds of per-block partial sums into C, beta times C), each off by at most
     * 2^-24 relative to a partial sum bounded by sum |alpha a b| + |beta c|, so the error is at
     * most (k + 3) * 2^-24 * that sum to first order. The factor 4 and the floor only cover
     * second-order terms and results that are exactly zero; a wrong index, a dropped or doubled
     * term or a missed beta is off by about one whole term, far more than this.
     */
    private static void checkElement(Case cs, Data d, float[] c0, int i, int j) {
        double exact = 0, magnitude = 0;
        for (int p = 0; p < cs.k; p++) {
            double term = (double) cs.alpha * cs.a(d.a, i, p) * cs.b(d.b, p, j);
            exact += term;
            magnitude += Math.abs(term);
        }
        int ci = cs.cOff + i * cs.ldc + j;
        if (cs.beta != 0f) {
            exact += (double) cs.beta * c0[ci];
            magnitude += Math.abs((double) cs.beta * c0[ci]);
        }
        double bound = 4 * (cs.k + 3) * 0x1p-24 * magnitude + 1e-30;
        double got = d.c[ci];
        if (!(Math.abs(got - exact) <= bound)) {
            fail(cs + ": C[" + i + "][" + j + "] = " + got + ", expected " + exact + " +- " + bound);
        }
    }

    private static void checkOutsideUntouched(Case cs, float[] c) {
        for (int i = 0; i < c.length; i++) {
            if (!cs.inC(i) && c[i] != SENTINEL) fail(cs + ": wrote outside C at index " + i);
        }
    }
}
