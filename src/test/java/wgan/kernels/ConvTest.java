package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.kernels.ConvGeometry.Padding;

/**
 * Every lowering of the three convolution functions against the convolution sums of
 * {@link Conv}, evaluated term by term in double by plain loops. An output may differ from the
 * exact sum by at most n * 2^-23 times the sum of its |terms| (n terms, each a rounded product
 * added with a rounded sum: the textbook bound for float summation, doubled). Outputs start as
 * NaN, so an element a lowering forgets to write fails.
 */
class ConvTest {
    private static final double ULP = 0x1p-23;

    /** A geometry and the seed of its random data; the name says both so a failure replays. */
    record Case(String name, long seed, ConvGeometry g) {
        @Override
        public String toString() { return name; }
    }

    @FunctionalInterface
    interface Lowering { void run(ConvGeometry g, float[] a, float[] b, float[] out); }

    @FunctionalInterface
    interface ChunkedLowering { void run(ConvGeometry g, float[] a, float[] b, float[] out, int chunkFloats); }

    @AfterAll
    static void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    // ---- cases ----

    static Stream<Case> smallCases() {
        return Stream.of(randomCases(), transposedCases(), winogradCases()).flatMap(s -> s);
    }

    /** Random Keras convolutions, and random asymmetric ones (own pads per side, own stride per axis). */
    static Stream<Case> randomCases() {
        List<Case> cases = new ArrayList<>();
        for (long seed = 1; seed <= 60; seed++) {
            Random r = new Random(seed);
            ConvGeometry g = seed % 3 == 0 ? randomAsymmetric(r) : randomKeras(r);
            cases.add(new Case("seed=" + seed + " " + g, seed, g));
        }
        return cases.stream();
    }

    private static ConvGeometry randomKeras(Random r) {
        Padding padding = r.nextBoolean() ? Padding.SAME : Padding.VALID;
        int inH = 1 + r.nextInt(12), inW = 1 + r.nextInt(12);
        int kMaxH = padding == Padding.VALID ? Math.min(7, inH) : 7;
        int kMaxW = padding == Padding.VALID ? Math.min(7, inW) : 7;
        return ConvGeometry.conv(1 + r.nextInt(3), inH, inW, 1 + r.nextInt(9), 1 + r.nextInt(9),
                1 + r.nextInt(kMaxH), 1 + r.nextInt(kMaxW), 1 + r.nextInt(3), padding);
    }

    private static ConvGeometry randomAsymmetric(Random r) {
        int inH = 1 + r.nextInt(12), inW = 1 + r.nextInt(12);
        int kH = 1 + r.nextInt(7), kW = 1 + r.nextInt(7);
        int sH = 1 + r.nextInt(3), sW = 1 + r.nextInt(3);
        int padTop = r.nextInt(kH), padBottom = Math.max(kH - inH - padTop, 0) + r.nextInt(kH);
        int padLeft = r.nextInt(kW), padRight = Math.max(kW - inW - padLeft, 0) + r.nextInt(kW);
        return new ConvGeometry(1 + r.nextInt(3), inH, inW, 1 + r.nextInt(9), 1 + r.nextInt(9), kH, kW, sH, sW,
                padTop, padLeft, (inH + padTop + padBottom - kH) / sH + 1, (inW + padLeft + padRight - kW) / sW + 1);
    }

    /** Keras Conv2DTranspose geometries: kernels smaller than, equal to and larger than the stride. */
    static Stream<Case> transposedCases() {
        List<Case> cases = new ArrayList<>();
        int[][] kernelStride = {{1, 2}, {2, 3}, {2, 2}, {3, 2}, {4, 2}, {5, 2}, {3, 3}, {5, 3}, {7, 3}};
        long seed = 100;
        for (int[] ks : kernelStride) {
            for (Padding padding : Padding.values()) {
                Random r = new Random(++seed);
                ConvGeometry g = ConvGeometry.transposed(1 + r.nextInt(2), 1 + r.nextInt(6), 1 + r.nextInt(6),
                        1 + r.nextInt(10), 1 + r.nextInt(10), ks[0], ks[0], ks[1], padding);
                cases.add(new Case("seed=" + seed + " transposed k" + ks[0] + " s" + ks[1] + " " + padding + " " + g, seed, g));
            }
        }
        return cases.stream();
    }

    /**
     * 40 seeded convolutions that {@link Winograd#forward} can compute (the "winograd" lowering;
     * too small for {@link Conv#forward} to pick it), with kernels of 2 to 5 at
     * stride 1 or 2, so F(2, r) for r = 2, 3 and 5, sources padded with zero taps (5 x 5 at
     * stride 2) and mixed r per axis: even output sizes, and odd ones whose last blocks stick
     * out. Their transposed passes' phases go to {@link Winograd#phase} through the API.
     */
    static Stream<Case> winogradCases() {
        List<Case> cases = new ArrayList<>();
        for (long seed = 200; cases.size() < 40; seed++) {
            Random r = new Random(seed);
            Padding padding = r.nextBoolean() ? Padding.SAME : Padding.VALID;
            int inH = 5 + r.nextInt(20), inW = 5 + r.nextInt(20), s = 1 + r.nextInt(2);
            ConvGeometry g = ConvGeometry.conv(1 + r.nextInt(2), inH, inW, 8 + r.nextInt(9), 8 + r.nextInt(9),
                    2 + r.nextInt(4), 2 + r.nextInt(4), s, padding);
            if (Winograd.fitsForward(g)) cases.add(new Case("seed=" + seed + " winograd " + g, seed, g));
        }
        return cases.stream();
    }

    /** The layers of the E1 experiment (critic convs, generator transposed convs, last conv) at batch 2. */
    static Stream<Case> e1Cases() {
        return Stream.of(
                new Case("critic conv 28x28x1->64 k4 s2", 1, ConvGeometry.conv(2, 28, 28, 1, 64, 4, 4, 2, Padding.SAME)),
                new Case("critic conv 14x14x64->64 k4 s2", 2, ConvGeometry.conv(2, 14, 14, 64, 64, 4, 4, 2, Padding.SAME)),
                new Case("generator transposed 7x7x128->14x14x128 k4 s2", 3,
                        ConvGeometry.transposed(2, 7, 7, 128, 128, 4, 4, 2, Padding.SAME)),
                new Case("generator transposed 14x14x128->28x28x128 k4 s2", 4,
                        ConvGeometry.transposed(2, 14, 14, 128, 128, 4, 4, 2, Padding.SAME)),
                new Case("generator conv 28x28x128->1 k7 s1", 5, ConvGeometry.conv(2, 28, 28, 128, 1, 7, 7, 1, Padding.SAME)));
    }

    /**
     * The layers of E4 at batch 2: "valid" convolutions at stride 3 that leave input rows unread
     * (64 -> 20 reads 62 rows), and "valid" transposed ones at stride 3 and 2 whose outputs
     * Keras sizes (in-1)*s + k: 3 -> 9 (k3 s3), 9 -> 21 (k5 s2), 21 -> 64 (k4 s3). The two
     * largest transposed convs have a quarter of their channels (512->256 and 256->128 in E4),
     * which keeps the direct loops fast and every channel count on the same side of
     * {@link Conv#NARROW}, so the same lowerings run.
     */
    static Stream<Case> e4Cases() {
        int[][] critic = {{64, 3, 64}, {20, 64, 128}, {6, 128, 256}}; // {in, inC, outC}, each 5x5 s3
        int[][] generator = {{3, 128, 64, 3, 3}, {9, 64, 32, 5, 2}, {21, 128, 3, 4, 3}}; // {in, inC, outC, k, s}
        List<Case> cases = new ArrayList<>();
        for (int[] c : critic) {
            ConvGeometry g = ConvGeometry.conv(2, c[0], c[0], c[1], c[2], 5, 5, 3, Padding.VALID);
            cases.add(new Case("E4 critic conv " + g, 10 + cases.size(), g));
        }
        for (int[] t : generator) {
            ConvGeometry g = ConvGeometry.transposed(2, t[0], t[0], t[1], t[2], t[3], t[3], t[4], Padding.VALID);
            cases.add(new Case("E4 generator transposed conv " + g, 10 + cases.size(), g));
        }
        return cases.stream();
    }

    // ---- the three functions and their lowerings ----

    private static final String API = "Conv";

    /**
     * One of the three functions on a case's data: its lowerings by name (the public API under
     * {@link #API}), its two inputs, output size, reference and the term count n of its sums.
     */
    record Pass(String name, Map<String, Lowering> lowerings, float[] a, float[] b, int outSize,
                Supplier<Reference> reference, long terms) {
        float[] run(String lowering, ConvGeometry g) {
            float[] out = new float[outSize];
            Arrays.fill(out, Float.NaN);
            lowerings.get(lowering).run(g, a, b, out);
            return out;
        }
    }

    static List<Pass> passes(ConvGeometry g, Data d) {
        boolean stride1 = g.strideH() == 1 && g.strideW() == 1;
        return List.of(
                new Pass("forward", lowerings(Conv::forward, Map.of("im2col", Im2colConv::forward), Winograd.fitsForward(g)
                                ? Map.of("tap", TapConv::forward, "winograd", Winograd::forward) : Map.of("tap", TapConv::forward)),
                        d.x, d.w, g.outputSize(), () -> forwardReference(g, d.x, d.w), (long) g.kH() * g.kW() * g.inC()),
                new Pass("inputGrad", lowerings(Conv::inputGrad, Map.of(), Map.of("phases", PhaseConv::inputGrad, "tap", TapConv::inputGrad)),
                        d.dy, d.w, g.inputSize(), () -> inputGradReference(g, d.dy, d.w), (long) g.kH() * g.kW() * g.outC()),
                new Pass("weightGrad", lowerings(Conv::weightGrad, stride1
                                ? Map.of("im2col", Im2colConv::weightGrad, "im2col of dy", PhaseConv::weightGrad)
                                : Map.of("im2col", Im2colConv::weightGrad),
                                Winograd.fitsForward(g) ? Map.of("winograd", Winograd::weightGrad) : Map.of()),
                        d.x, d.dy, g.weightSize(), () -> weightGradReference(g, d.x, d.dy), (long) g.batch() * g.outH() * g.outW()));
    }

    /** The API, each whole-batch lowering, and each chunked one with the production chunk size and with one image per chunk. */
    private static Map<String, Lowering> lowerings(Lowering api, Map<String, Lowering> whole, Map<String, ChunkedLowering> chunked) {
        Map<String, Lowering> m = new LinkedHashMap<>();
        m.put(API, api);
        m.putAll(whole);
        chunked.forEach((name, l) -> {
            m.put(name, (g, a, b, out) -> l.run(g, a, b, out, Conv.CHUNK_FLOATS));
            m.put(name + " (one image per chunk)", (g, a, b, out) -> l.run(g, a, b, out, 1));
        });
        return m;
    }

    // ---- tests ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallCases")
    void everyLoweringMatchesDirectLoops(Case c) {
        for (Pass p : passes(c.g(), new Data(c))) {
            Reference ref = p.reference().get();
            for (String lowering : p.lowerings().keySet()) {
                assertClose(p.name() + " by " + lowering, ref, p.run(lowering, c.g()), p.terms());
            }
        }
    }

    /**
     * The scalar GEMM (the path without the Vector API) on the im2col operands both ways round:
     * Y = cols * W^T and dW^T = cols^T * dY, as the Im2colConv lowering multiplies them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("randomCases")
    void scalarGemmMultipliesIm2colOperands(Case c) {
        ConvGeometry g = c.g();
        Data d = new Data(c);
        Im2col cols = Im2col.ofInput(g, d.x);
        int k = cols.columns(), pixels = cols.rows(g.batch());
        float[] y = new float[g.outputSize()];
        ScalarGemm.multiply(pixels, g.outC(), k, cols.byPixel(), GemmOperand.strided(d.w, 0, k, 1, 1f), 0f, y, 0, g.outC());
        assertClose("forward", forwardReference(g, d.x, d.w), y, k);
        float[] dwT = new float[g.weightSize()], dw = new float[g.weightSize()];
        ScalarGemm.multiply(k, g.outC(), pixels, cols.byColumn(), GemmOperand.strided(d.dy, 0, 1, g.outC(), 1f),
                0f, dwT, 0, g.outC());
        for (int o = 0; o < g.outC(); o++) {
            for (int j = 0; j < k; j++) dw[o * k + j] = dwT[j * g.outC() + o];
        }
        assertClose("weightGrad", weightGradReference(g, d.x, d.dy), dw, pixels);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"e1Cases", "e4Cases"})
    void specLayersMatchDirectLoops(Case c) {
        for (Pass p : passes(c.g(), new Data(c))) assertClose(p.name(), p.reference().get(), p.run(API, c.g()), p.terms());
    }

    /**
     * The three functions are one bilinear form B(x, w, dy) = sum of x*w*dy over all terms, so
     * {@code <forward(x,w), dy> = <x, inputGrad(dy,w)> = <w, weightGrad(x,dy)>}. Each side is off
     * the exact form by at most the sum over its outputs of |the other factor| times the output's
     * bound in {@link #assertClose} (for plain sums, n * 2^-23 * S with S the sum of |x*w*dy|).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smallCases")
    void threeFunctionsAreAdjoint(Case c) {
        ConvGeometry g = c.g();
        Data d = new Data(c);
        List<Pass> p = passes(g, d);
        float[][] other = {d.dy, d.x, d.w};
        double[] value = new double[3], tol = new double[3];
        for (int f = 0; f < 3; f++) {
            value[f] = dot(p.get(f).run(API, g), other[f]);
            double[] absSum = p.get(f).reference().get().absSum();
            for (int j = 0; j < absSum.length; j++) tol[f] += p.get(f).terms() * ULP * absSum[j] * Math.abs(other[f][j]);
        }
        for (int f = 1; f < 3; f++) {
            int at = f;
            assertTrue(Math.abs(value[0] - value[f]) <= tol[0] + tol[f],
                    () -> "forward " + value[0] + " vs " + p.get(at).name() + " " + value[at]);
        }
    }

    /** E1's layers, and Winograd cases for F(2, 3) and F(2, 5), whose GEMM tasks depend on the thread count. */
    static Stream<Case> threadCases() {
        return Stream.concat(e1Cases(), winogradCases().limit(10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadCases")
    void resultsDoNotDependOnThreadCount(Case c) {
        List<Pass> passes = passes(c.g(), new Data(c));
        List<float[]> one = null;
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            List<float[]> got = passes.stream().map(p -> p.run(API, c.g())).toList();
            if (one == null) one = got;
            for (int f = 0; f < passes.size(); f++) {
                assertArrayEquals(one.get(f), got.get(f), passes.get(f).name() + " with " + threads + " threads");
            }
        }
    }

    // ---- reference: the convolution sums, term by term, in double ----

    /** One term x[xi] * w[wi] * dy[yi] of the convolution sums. */
    @FunctionalInterface
    interface Term { void at(int xi, int wi, int yi); }

    /** Visits every term whose input pixel lies inside the input, in a fixed order. */
    static void forEachTerm(ConvGeometry g, Term t) {
        for (int n = 0; n < g.batch(); n++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++)
                    for (int ky = 0; ky < g.kH(); ky++)
                        for (int kx = 0; kx < g.kW(); kx++) {
                            int iy = oy * g.strideH() - g.padTop() + ky, ix = ox * g.strideW() - g.padLeft() + kx;
                            if (iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW()) continue;
                            for (int o = 0; o < g.outC(); o++)
                                for (int i = 0; i < g.inC(); i++)
                                    t.at(((n * g.inH() + iy) * g.inW() + ix) * g.inC() + i,
                                            ((o * g.kH() + ky) * g.kW() + kx) * g.inC() + i,
                                            ((n * g.outH() + oy) * g.outW() + ox) * g.outC() + o);
                        }
    }

    /** Exact-ish sums (double) and the sums of |terms| of one function's outputs. */
    record Reference(double[] value, double[] absSum) {}

    @FunctionalInterface
    interface Pick { int of(int xi, int wi, int yi); }

    @FunctionalInterface
    interface Product { double of(int xi, int wi, int yi); }

    private static Reference reference(ConvGeometry g, int size, Pick output, Product product) {
        double[] value = new double[size], absSum = new double[size];
        forEachTerm(g, (xi, wi, yi) -> {
            double p = product.of(xi, wi, yi);
            value[output.of(xi, wi, yi)] += p;
            absSum[output.of(xi, wi, yi)] += Math.abs(p);
        });
        return new Reference(value, absSum);
    }

    /**
     * forward; where {@link Winograd#forward} can compute it, an output also carries the rounding
     * of products that are not its own terms: the bound is the larger of the plain one and
     * {@link #winogradBound}'s, with the input phases as sources and K = their count * inC.
     */
    static Reference forwardReference(ConvGeometry g, float[] x, float[] w) {
        Reference plain = reference(g, g.outputSize(), (xi, wi, yi) -> yi, (xi, wi, yi) -> (double) x[xi] * w[wi]);
        if (!Winograd.fitsForward(g)) return plain;
        double[] absSum = plain.absSum().clone();
        int sy = g.strideH(), sx = g.strideW();
        WinogradTransform fy = WinogradTransform.of(Math.ceilDiv(g.kH(), sy)), fx = WinogradTransform.of(Math.ceilDiv(g.kW(), sx));
        long terms = (long) g.kH() * g.kW() * g.inC();
        for (int n = 0; n < g.batch(); n++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++)
                    for (int o = 0; o < g.outC(); o++) {
                        int nn = n, o0 = o, top = oy - oy % 2, left = ox - ox % 2;
                        double sum = 0;
                        for (int ry = 0; ry < sy; ry++)
                            for (int rx = 0; rx < sx; rx++) {
                                int py = ry, px = rx;
                                sum += absEvaluation(fy, fx, oy % 2, ox % 2, (ly, lx, jy, jx) -> {
                                    int ky = sy * jy + py, kx = sx * jx + px;
                                    int iy = py - g.padTop() + sy * (top + ly), ix = px - g.padLeft() + sx * (left + lx);
                                    if (ky >= g.kH() || kx >= g.kW() || iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW()) return 0;
                                    double s = 0;
                                    for (int i = 0; i < g.inC(); i++)
                                        s += Math.abs((double) x[((nn * g.inH() + iy) * g.inW() + ix) * g.inC() + i]
                                                * w[((o0 * g.kH() + ky) * g.kW() + kx) * g.inC() + i]);
                                    return s;
                                });
                            }
                        int at = ((n * g.outH() + oy) * g.outW() + ox) * g.outC() + o;
                        absSum[at] = Math.max(absSum[at], winogradBound(fy, fx, (long) sy * sx * g.inC(), sum) / terms);
                    }
        return new Reference(plain.value(), absSum);
    }

    /**
     * inputGrad, where {@link Winograd#phase} computes a phase: the bound is the larger of the
     * plain one and {@link #winogradBound}'s, with the dy window of the output's 2 x 2 block and
     * the phase's flipped sub-kernel, K = outC.
     */
    static Reference inputGradReference(ConvGeometry g, float[] dy, float[] w) {
        Reference plain = reference(g, g.inputSize(), (xi, wi, yi) -> xi, (xi, wi, yi) -> (double) dy[yi] * w[wi]);
        double[] absSum = plain.absSum().clone();
        long terms = (long) g.kH() * g.kW() * g.outC();
        for (int n = 0; n < g.batch(); n++) {
            for (int iy = 0; iy < g.inH(); iy++) {
                PhaseConv.Axis ay = PhaseConv.Axis.of(g.inH(), g.kH(), g.strideH(), g.padTop(), Math.floorMod(iy + g.padTop(), g.strideH()));
                for (int ix = 0; ix < g.inW(); ix++) {
                    PhaseConv.Axis ax = PhaseConv.Axis.of(g.inW(), g.kW(), g.strideW(), g.padLeft(), Math.floorMod(ix + g.padLeft(), g.strideW()));
                    if (!Winograd.appliesToPhase(g, ay, ax)) continue;
                    WinogradTransform fy = WinogradTransform.of(ay.taps()), fx = WinogradTransform.of(ax.taps());
                    int qy = phaseIndex(ay, iy), qx = phaseIndex(ax, ix);
                    int top = blockStart(ay, qy) - ay.taps() + 1, left = blockStart(ax, qx) - ax.taps() + 1;
                    for (int i = 0; i < g.inC(); i++) {
                        int nn = n, i0 = i;
                        double sum = absEvaluation(fy, fx, qy - blockStart(ay, qy), qx - blockStart(ax, qx), (ly, lx, jy, jx) -> {
                            int y = top + ly, x = left + lx;
                            if (y < 0 || y >= g.outH() || x < 0 || x >= g.outW()) return 0;
                            int ky = ay.tap(ay.taps() - 1 - jy), kx = ax.tap(ax.taps() - 1 - jx);
                            double s = 0;
                            for (int o = 0; o < g.outC(); o++)
                                s += Math.abs((double) dy[((nn * g.outH() + y) * g.outW() + x) * g.outC() + o]
                                        * w[((o * g.kH() + ky) * g.kW() + kx) * g.inC() + i0]);
                            return s;
                        });
                        int at = ((n * g.inH() + iy) * g.inW() + ix) * g.inC() + i;
                        absSum[at] = Math.max(absSum[at], winogradBound(fy, fx, g.outC(), sum) / terms);
                    }
                }
            }
        }
        return new Reference(plain.value(), absSum);
    }

    /** The phase index q of dx position p: p = q*s + r - pad. */
    private static int phaseIndex(PhaseConv.Axis a, int p) {
        return (p + a.pad() - a.r()) / a.s();
    }

    /** The phase index where the 2 x 2 Winograd block holding phase index q starts. */
    private static int blockStart(PhaseConv.Axis a, int q) {
        return a.q0() + (q - a.q0()) / 2 * 2;
    }

    /** Sum over channels of |data * tap| for window element (ly, lx) and sub-kernel tap (jy, jx); 0 outside. */
    @FunctionalInterface
    interface WindowTerm { double at(int ly, int lx, int jy, int jx); }

    /**
     * The Winograd computation of output (a, b) of a 2 x 2 block with every matrix entry, datum
     * and tap replaced by its absolute value: sum over window elements l and taps j of
     * c_y(a, jy, ly) * c_x(b, jx, lx) * |terms|, with c(i, j, l) = sum_p |A^T[i][p]| |G[p][j]| |B^T[p][l]|.
     */
    private static double absEvaluation(WinogradTransform fy, WinogradTransform fx, int a, int b, WindowTerm term) {
        double sum = 0;
        for (int ly = 0; ly < fy.points(); ly++)
            for (int lx = 0; lx < fx.points(); lx++)
                for (int jy = 0; jy < fy.taps(); jy++)
                    for (int jx = 0; jx < fx.taps(); jx++) {
                        double c = coefficient(fy, a, jy, ly) * coefficient(fx, b, jx, lx);
                        if (c != 0) sum += c * term.at(ly, lx, jy, jx);
                    }
        return sum;
    }

    private static double coefficient(WinogradTransform f, int i, int j, int l) {
        int points = f.points();
        double c = 0;
        for (int p = 0; p < points; p++) {
            c += Math.abs(f.outputT()[i * points + p]) * Math.abs(f.kernel()[p * f.taps() + j]) * Math.abs(f.dataT()[p * points + l]);
        }
        return c;
    }

    /**
     * The error bound of a Winograd output, expressed as the n * sum |terms| of the plain bound
     * (so divided by n later): a result computed by + and * is off by at most (depth * 2^-24)
     * times the same computation on absolute values (each operation's relative rounding
     * compounds along its longest path). The depth is at most K for the GEMM, points per axis
     * for each of the data and output transforms and (as taps &lt; points) the kernel transform,
     * 1 for the product and 1 for G's rounded entries: K + 3 * (points_y + points_x) + 2.
     */
    private static double winogradBound(WinogradTransform fy, WinogradTransform fx, long k, double absEvaluation) {
        return (k + 3L * (fy.points() + fx.points()) + 2) * absEvaluation;
    }

    /**
     * weightGrad; where {@link Winograd#weightGrad} can compute it, a weight also carries the
     * rounding of the whole tile of each block: the bound is the larger of the plain one and
     * {@link #winogradBound}'s, with the same coefficients as forward's (dw = G^T dU G and
     * dM = A dY A^T are the adjoints of its steps) and K = all blocks of the batch.
     */
    static Reference weightGradReference(ConvGeometry g, float[] x, float[] dy) {
        Reference plain = reference(g, g.weightSize(), (xi, wi, yi) -> wi, (xi, wi, yi) -> (double) x[xi] * dy[yi]);
        if (!Winograd.fitsForward(g)) return plain;
        int sy = g.strideH(), sx = g.strideW();
        WinogradTransform fy = WinogradTransform.of(Math.ceilDiv(g.kH(), sy)), fx = WinogradTransform.of(Math.ceilDiv(g.kW(), sx));
        double[] evaluation = new double[g.weightSize()];
        for (int n = 0; n < g.batch(); n++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++)
                    for (int ky = 0; ky < g.kH(); ky++)
                        for (int kx = 0; kx < g.kW(); kx++)
                            for (int ly = 0; ly < fy.points(); ly++)
                                for (int lx = 0; lx < fx.points(); lx++) {
                                    double c = coefficient(fy, oy % 2, ky / sy, ly) * coefficient(fx, ox % 2, kx / sx, lx);
                                    int iy = ky % sy - g.padTop() + sy * (oy - oy % 2 + ly);
                                    int ix = kx % sx - g.padLeft() + sx * (ox - ox % 2 + lx);
                                    if (c == 0 || iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW()) continue;
                                    for (int o = 0; o < g.outC(); o++) {
                                        double d = c * Math.abs(dy[((n * g.outH() + oy) * g.outW() + ox) * g.outC() + o]);
                                        for (int i = 0; i < g.inC(); i++)
                                            evaluation[((o * g.kH() + ky) * g.kW() + kx) * g.inC() + i] +=
                                                    d * Math.abs(x[((n * g.inH() + iy) * g.inW() + ix) * g.inC() + i]);
                                    }
                                }
        double[] absSum = plain.absSum().clone();
        long terms = (long) g.batch() * g.outH() * g.outW(), blocks = (long) g.batch() * ((g.outH() + 1) / 2) * ((g.outW() + 1) / 2);
        for (int j = 0; j < absSum.length; j++) absSum[j] = Math.max(absSum[j], winogradBound(fy, fx, blocks, evaluation[j]) / terms);
        return new Reference(plain.value(), absSum);
    }

    // ---- helpers ----

    /** Random x, w, dy in [-1, 1) from the case's seed. */
    static final class Data {
        final float[] x, w, dy;

        Data(Case c) {
            Random r = new Random(c.seed());
            x = random(r, c.g().inputSize());
            w = random(r, c.g().weightSize());
            dy = random(r, c.g().outputSize());
        }

        private static float[] random(Random r, int n) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = 2 * r.nextFloat() - 1;
            return a;
        }
    }

    private static void assertClose(String name, Reference ref, float[] got, long terms) {
        for (int j = 0; j < got.length; j++) {
            double err = Math.abs(got[j] - ref.value()[j]);
            double tol = terms * ULP * ref.absSum()[j];
            int at = j;
            assertTrue(err <= tol, () -> name + ": element " + at + " is " + got[at] + ", expected " + ref.value()[at]
                    + " (error " + err + " > " + tol + ")");
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
