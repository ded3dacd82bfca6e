package wgan.kernels;

import java.util.Arrays;

/**
 * Convolutions made of small correlations, by Winograd's minimal filtering algorithm F(2x2, r x r')
 * (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016, section 4):
 * (r+1)(r'+1) multiplies for each 2 x 2 block of outputs instead of 4 r r'. Along one axis,
 * {@link WinogradTransform} computes two outputs of an r-tap correlation from r + 1 inputs as
 * y = A^T [(G g) . (B^T d)]; for r = 2 that is
 * <pre>
 *   m0 = (d0 - d1) * g0,   m1 = d1 * (g0 + g1),   m2 = (d2 - d1) * g1
 *   y[q] = m0 + m1,        y[q+1] = m1 + m2          (d0, d1, d2 = d[q], d[q+1], d[q+2])
 * </pre>
 * Nesting it along both axes gives Y = A^T [U . V] A for each 2 x 2 output block, with
 * V = B^T d B of its (r+1) x (r'+1) window and U = G g G^T of the r x r' kernel. The products
 * U . V are summed over channels and sources (below), so for each position k of the transformed
 * tile that sum is one GEMM over all blocks:
 * <pre>
 *   M[k][t][o] = sum_{s,c} V[k][t][(s,c)] * U[k][(s,c)][o]     (blocks t, sources s, channels c)
 * </pre>
 * Three convolutions are of this kind:
 * <ul>
 *   <li>each output phase of a transposed convolution ({@link #phase}; see {@link PhaseConv}):
 *       one correlation of dy with the phase's flipped sub-kernel, whose taps are 2 x 2 in a
 *       4 x 4 stride-2 one (E1), 3 or 2 per axis in a 5 x 5 stride-2 one (E2, E3), 5 x 5 at
 *       stride 1;</li>
 *   <li>a stride-1 convolution ({@link #forward}): one correlation of x with w;</li>
 *   <li>a stride-2 convolution ({@link #forward}): splitting ky = 2*jy + ry (likewise kx),
 *       input row oy*2 - pt + ky = 2*(oy + jy) + ry - pt, so y is the sum over the 4 input
 *       phases (ry, rx) of a correlation of the phase's pixels x[2*q + ry - pt] with the
 *       sub-kernel w[., 2*jy + ry, 2*jx + rx, .]; sub-kernels with fewer taps (ry = 1 of an
 *       odd kernel) are padded with zeros.</li>
 * </ul>
 * The weight gradient runs the adjoint of each step ({@link #weightGrad}): one GEMM per tile
 * position, over the blocks.
 * Blocks that stick out of the output are computed in full and only their valid outputs kept.
 * The data and output transforms have integer coefficients and the GEMMs reduce in a fixed
 * order, so every result is bitwise the same for any thread count. For r = 2 they add and
 * subtract only; the rounding error grows with r (docs/architecture.md gives its measured size,
 * {@code ConvTest} derives the bound it checks).
 */
final class Winograd {
    /**
     * Fewer 2 x 2 blocks per image than this make a convolution's GEMMs too short (M = blocks)
     * to pay for the kernel transform, whose U is (r+1)^2 * sources * inC * outC floats: E3's
     * stride-2 convs measured faster by Winograd at 16 blocks per image, slower at 4. The
     * transposed convolutions' phases have a quarter of the K (no sources) and measured faster
     * even at 4 blocks per image, so the rule is for the forward pass only
     * (docs/performance.md#winograd). It counts per image, not per batch, so that a batch is
     * computed the same way whole or in parts (the critic's fakes of several rounds are made in
     * one pass).
     */
    static final int MIN_FORWARD_BLOCKS_PER_IMAGE = 8;

    private Winograd() {}

    /**
     * One axis of the problem: outputs q in [0, outputs) land at row outFirst + q*outStep of the
     * output; in source phase p, block b's window of f.points() rows starts at row
     * origins[p] + 2*b*step of the source (of size sourceSize; rows outside read 0) and its rows
     * are step apart.
     */
    record Axis(int outputs, int outFirst, int outStep, int[] origins, int step, int sourceSize, WinogradTransform f) {
        int blocks() { return (outputs + 1) / 2; }

        int points() { return f.points(); }

        int taps() { return f.taps(); }

        int windowStart(int phase, int block) { return origins[phase] + 2 * block * step; }
    }

    /**
     * Where the oc weights (one per output channel, contiguous) of tap (jy, jx) of source
     * (py, px), channel c, start; -1 for a tap the source's sub-kernel does not have (0).
     */
    @FunctionalInterface
    interface Taps {
        int offset(int py, int px, int jy, int jx, int c);
    }

    /**
     * Whether a PhaseConv phase is worth computing this way: taps for which F(2, r) is here on
     * both axes, a GEMM reduction of at least {@link Conv#NARROW} channels, and few wasted blocks.
     */
    static boolean appliesToPhase(ConvGeometry g, PhaseConv.Axis ay, PhaseConv.Axis ax) {
        return WinogradTransform.exists(ay.taps()) && WinogradTransform.exists(ax.taps())
                && g.outC() >= Conv.NARROW && fewWasted(ay.size(), ax.size());
    }

    /**
     * Whether a convolution is worth computing this way: {@link #fitsWithGemms}, and at least
     * {@link #MIN_FORWARD_BLOCKS_PER_IMAGE} blocks per image.
     */
    static boolean appliesToForward(ConvGeometry g) {
        return fitsWithGemms(g) && ((g.outH() + 1) / 2) * ((g.outW() + 1) / 2) >= MIN_FORWARD_BLOCKS_PER_IMAGE;
    }

    /**
     * Whether a convolution's weight gradient is worth computing this way: {@link #fitsWithGemms},
     * at stride 1 or with sub-kernels of exactly 2 x 2 taps (a 4 x 4 kernel at stride 2). At
     * stride 1, 5 x 5 leaves 36/100 of the multiplies, and E3's layers measured much faster than
     * by im2col. At stride 2 the zero-padded sources of a 5 x 5 kernel leave 64/100, and its
     * F(2, 3) transforms ate that: E3's critic measured no faster. A 4 x 4 kernel leaves 36/64
     * with F(2, 2)'s fused transforms, and E1's 28 -> 14 layer measured faster
     * (docs/performance.md#winograd).
     */
    static boolean appliesToWeightGrad(ConvGeometry g) {
        boolean stride1 = g.strideH() == 1 && g.strideW() == 1;
        boolean whole2x2 = g.strideH() == 2 && g.strideW() == 2 && g.kH() == 4 && g.kW() == 4;
        return (stride1 || whole2x2) && fitsWithGemms(g);
    }

    /** {@link #fitsForward}, with enough channels on both sides for GEMMs (see {@link Conv#NARROW}) and few wasted blocks. */
    private static boolean fitsWithGemms(ConvGeometry g) {
        return fitsForward(g) && g.inC() >= Conv.NARROW && g.outC() >= Conv.NARROW && fewWasted(g.outH(), g.outW());
    }

    /**
     * Whether {@link #forward} can compute a convolution: stride 1 or 2 with sub-kernels of
     * ceil(k / stride) taps for which F(2, r) is here (4 x 4 or 5 x 5 at stride 2; 2, 3 or 5 at
     * stride 1).
     */
    static boolean fitsForward(ConvGeometry g) {
        return g.strideH() <= 2 && g.strideW() <= 2
                && WinogradTransform.exists(subTaps(g.kH(), g.strideH())) && WinogradTransform.exists(subTaps(g.kW(), g.strideW()));
    }

    private static int subTaps(int k, int stride) {
        return Math.ceilDiv(k, stride);
    }

    /**
     * Whether blocks that stick out of the outputs add less than a fifth to the work. On a 7 x 7
     * grid (E1's critic and first generator layer) they add 31%, which takes 9/16 to 0.74 of
     * the direct multiplies, and the transforms then ate the gain, while on the 14 x 14 grids of
     * E1's 14 -> 28 layer Winograd measured well ahead of the direct GEMM
     * (docs/performance.md#winograd).
     */
    private static boolean fewWasted(int outputsY, int outputsX) {
        return 4L * ((outputsY + 1) / 2) * ((outputsX + 1) / 2) * 5 < 6L * outputsY * outputsX;
    }

    /**
     * dx at the positions of one phase of {@link PhaseConv}: the correlation of dy (window rows
     * q0-t+1 .. q0+1 for phase index q0 and t taps) with the flipped sub-kernel
     * g[jy][jx] = w[o, ry+(tY-1-jy)*s, rx+(tX-1-jx)*s, i].
     */
    static void phase(ConvGeometry g, PhaseConv.Axis ay, PhaseConv.Axis ax, float[] dy, float[] w, float[] dx,
                      int chunkFloats) {
        Axis y = new Axis(ay.size(), ay.position(ay.q0()), ay.s(), new int[] {ay.q0() - ay.taps() + 1}, 1, g.outH(),
                WinogradTransform.of(ay.taps()));
        Axis x = new Axis(ax.size(), ax.position(ax.q0()), ax.s(), new int[] {ax.q0() - ax.taps() + 1}, 1, g.outW(),
                WinogradTransform.of(ax.taps()));
        int ic = g.inC();
        convolve(g.batch(), y, x, dy, g.outC(), w,
                (py, px, jy, jx, c) -> ((c * g.kH() + ay.tap(ay.taps() - 1 - jy)) * g.kW() + ax.tap(ax.taps() - 1 - jx)) * ic,
                dx, g.inH(), g.inW(), ic, chunkFloats);
    }

    /**
     * A stride-1 or stride-2 convolution: the sum over input phases (ry, rx) of the correlation
     * of x[s*q + ry - pt, s*q' + rx - pl] with w[o, s*jy + ry, s*jx + rx, i]. The weights are
     * first copied to [ky][kx][i][o], so each tap's output channels are contiguous.
     */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] y, int chunkFloats) {
        int ic = g.inC(), oc = g.outC(), taps = g.kH() * g.kW();
        float[] wt = new float[w.length];
        Parallel.forEach(taps, t -> {
            for (int i = 0; i < ic; i++) {
                for (int o = 0; o < oc; o++) wt[(t * ic + i) * oc + o] = w[(o * taps + t) * ic + i];
            }
        });
        int sy = g.strideH(), sx = g.strideW();
        convolve(g.batch(), rowsOf(g), columnsOf(g), x, ic, wt, (py, px, jy, jx, c) -> {
            int ky = sy * jy + py, kx = sx * jx + px;
            return ky < g.kH() && kx < g.kW() ? ((ky * g.kW() + kx) * ic + c) * oc : -1;
        }, y, g.outH(), g.outW(), oc, chunkFloats);
    }

    /**
     * weightGrad of a convolution that {@link #forward} computes, by the adjoint of each of its
     * steps (Lavin and Gray, section 5): for each 2 x 2 block of dy (0 outside the output)
     * dM = A dY A^T; for each tile position k, dU[k][o][(s,c)] = sum over blocks t of
     * dM[k][t][o] * V[k][t][(s,c)], one GEMM over all blocks of the batch (K = blocks, chunk
     * after chunk into the same dU, so each element is one chain of sums); then dg = G^T dU G
     * gives each source's sub-kernel, whose padded taps are dropped.
     */
    static void weightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw, int chunkFloats) {
        Axis ay = rowsOf(g), ax = columnsOf(g);
        int ic = g.inC(), oc = g.outC(), k = ay.origins().length * ax.origins().length * ic;
        int positions = ay.points() * ax.points();
        float[] du = new float[positions * oc * k];
        forEachTileChunk(g.batch(), ay, ax, k, oc, chunkFloats, (n0, count, blocks, buffer, mOff) -> {
            transformInput(ay, ax, x, ic, n0 * ay.blocks(), count * ay.blocks(), buffer);
            transformGradient(ay, ax, dy, oc, n0 * ay.blocks(), count * ay.blocks(), buffer, mOff, g.outH(), g.outW());
            // Split by columns of dU, so that no two tasks pack the same part of V, the wider operand.
            forEachPositionGemm(positions, k, (p, c0, c1) -> Gemm.sgemm(true, false, oc, c1 - c0, blocks, 1f,
                    buffer, mOff + p * blocks * oc, oc, buffer, p * blocks * k + c0, k, n0 == 0 ? 0f : 1f, du, p * oc * k + c0, k));
        });
        transformKernelGradient(g, ay, ax, du, dw);
    }

    private static Axis rowsOf(ConvGeometry g) {
        return forwardAxis(g.outH(), g.strideH(), g.padTop(), g.inH(), g.kH());
    }

    private static Axis columnsOf(ConvGeometry g) {
        return forwardAxis(g.outW(), g.strideW(), g.padLeft(), g.inW(), g.kW());
    }

    /** One axis of {@link #forward}: 2 x 2 blocks of the outputs over the input phases of the stride. */
    private static Axis forwardAxis(int outputs, int stride, int pad, int inSize, int k) {
        return new Axis(outputs, 0, 1, phaseOrigins(stride, pad), stride, inSize, WinogradTransform.of(subTaps(k, stride)));
    }

    /** The first source row of each input phase r: r - pad. */
    private static int[] phaseOrigins(int stride, int pad) {
        int[] origins = new int[stride];
        for (int r = 0; r < stride; r++) origins[r] = r - pad;
        return origins;
    }

    /**
     * out (batch, outH, outW, oc) at the outputs of ay x ax = the sum over sources (py, px) of
     * the correlations of src (batch, ay.sourceSize, ax.sourceSize, c) with taps. Each task
     * reads all of U, which costs little next to its GEMMs only when it has at least
     * {@link #MIN_TASK_BLOCKS} blocks; so small kernels go {@link #byTasks}, large ones
     * {@link #byChunks}.
     */
    private static void convolve(int batch, Axis ay, Axis ax, float[] src, int c, float[] taps, Taps at,
                                 float[] out, int outH, int outW, int oc, int chunkFloats) {
        int k = ay.origins().length * ax.origins().length * c, positions = ay.points() * ax.points();
        float[] u = transformKernel(ay, ax, c, taps, at, oc);
        long floatsPerRow = (long) positions * ax.blocks() * (k + oc);
        if (Conv.CHUNK_FLOATS / Conv.TASK_SHARE / floatsPerRow * ax.blocks() >= MIN_TASK_BLOCKS) {
            int rowsPerTask = (int) Math.clamp(chunkFloats / Conv.TASK_SHARE / floatsPerRow, 1, batch * ay.blocks());
            byTasks(batch, ay, ax, src, c, u, k, out, outH, outW, oc, rowsPerTask);
        } else {
            byChunks(batch, ay, ax, src, c, u, k, out, outH, outW, oc, chunkFloats);
        }
    }

    /**
     * Fewer blocks per task than this leave its GEMMs too short for U, read once per task: E1's
     * 28 -> 14 conv (7 blocks per task) and E3's 8 x 8 x 512 -> 256 (4) measured slower by tasks
     * than by chunks (docs/performance.md#winograd).
     */
    static final int MIN_TASK_BLOCKS = 16;

    /**
     * {@link #convolve} by tasks of rowsPerTask rows of blocks, taken by the threads one at a
     * time, each through all three steps on one thread with its tiles in a buffer that stays in
     * its L2 cache; U is packed for the GEMMs once, ahead of them all. The steps' data go
     * through memory instead in {@link #byChunks}, which measured slower for E1's 14 -> 28
     * transposed conv (docs/performance.md#winograd).
     */
    private static void byTasks(int batch, Axis ay, Axis ax, float[] src, int c, float[] u, int k,
                                float[] out, int outH, int outW, int oc, int rowsPerTask) {
        int positions = ay.points() * ax.points(), blockRows = batch * ay.blocks();
        Gemm.PreparedB[] up = new Gemm.PreparedB[positions];
        Parallel.forEach(positions, p -> up[p] = Gemm.prepare(oc, k, GemmOperand.strided(u, p * k * oc, 1, oc, 1f)));
        Parallel.forEach(Math.ceilDiv(blockRows, rowsPerTask), task -> {
            int row0 = task * rowsPerTask, rows = Math.min(rowsPerTask, blockRows - row0), blocks = rows * ax.blocks();
            int mOff = positions * blocks * k;
            float[] buffer = TASK_TILES.take(positions * blocks * (k + oc));
            try {
                transformInput(ay, ax, src, c, row0, rows, buffer);
                for (int p = 0; p < positions; p++) {
                    Gemm.multiply(blocks, GemmOperand.strided(buffer, p * blocks * k, k, 1, 1f), up[p], 0f,
                            buffer, mOff + p * blocks * oc, oc);
                }
                transformOutput(ay, ax, buffer, mOff, oc, row0, rows, out, outH, outW);
            } finally {
                TASK_TILES.give(buffer);
            }
        });
    }

    /** Each thread's buffer of transformed tiles for {@link #byTasks}. */
    private static final Scratch TASK_TILES = new Scratch();

    /**
     * {@link #convolve} by chunks of whole images, each step over all of a chunk's blocks in
     * turn, so that each GEMM has as many rows as the chunk has blocks.
     */
    private static void byChunks(int batch, Axis ay, Axis ax, float[] src, int c, float[] u, int k,
                                 float[] out, int outH, int outW, int oc, int chunkFloats) {
        int positions = ay.points() * ax.points();
        forEachTileChunk(batch, ay, ax, k, oc, chunkFloats, (n0, count, blocks, buffer, mOff) -> {
            transformInput(ay, ax, src, c, n0 * ay.blocks(), count * ay.blocks(), buffer);
            forEachPositionGemm(positions, blocks, (p, r0, r1) -> Gemm.sgemm(false, false, r1 - r0, oc, k, 1f,
                    buffer, (p * blocks + r0) * k, k, u, p * k * oc, oc, 0f, buffer, mOff + (p * blocks + r0) * oc, oc));
            transformOutput(ay, ax, buffer, mOff, oc, n0 * ay.blocks(), count * ay.blocks(), out, outH, outW);
        });
    }

    /** The work on images [n0, n0 + images): their blocks, and a buffer with V (K = k) at 0 and M (N = oc) at mOff. */
    @FunctionalInterface
    private interface TileChunk {
        void run(int n0, int images, int blocks, float[] buffer, int mOff);
    }

    /**
     * Runs {@code chunk} over the batch in chunks of whole images (see {@link Conv#forEachChunk})
     * whose buffer holds the transformed tiles of the data, V[position][block][k], followed by
     * those of the outputs, M[position][block][oc]. The tiles of a 2 x 2 block hold
     * (r+1)(r'+1) / 4 floats per float of data, up to 9 for r = 5, so the chunk's budget grows
     * with the tile: with chunkFloats alone, E3's 8 x 8 x 512 -> 256 layer ran 2 images (32
     * blocks) per GEMM. A budget of chunkFloats * tile / 2 measured best of those tried
     * (docs/performance.md#winograd).
     */
    private static void forEachTileChunk(int batch, Axis ay, Axis ax, int k, int oc, int chunkFloats, TileChunk chunk) {
        int positions = ay.points() * ax.points(), blocksPerImage = ay.blocks() * ax.blocks();
        int budget = Math.toIntExact((long) chunkFloats * positions / 2);
        Conv.forEachChunk(batch, (long) positions * blocksPerImage * (k + oc), budget, (n0, count, buffer) -> {
            int blocks = count * blocksPerImage;
            chunk.run(n0, count, blocks, buffer, positions * blocks * k);
        });
    }

    /** Rows (or columns) [from, to) of the GEMM of tile position p. */
    @FunctionalInterface
    private interface PositionPart {
        void run(int p, int from, int to);
    }

    /**
     * A chunk's GEMMs, one per tile position with extent rows (or columns) each, as tasks the threads
     * take one at a time: whole GEMMs, or equal ranges of them where there are too few to share out
     * evenly (at least 4 per thread and a multiple of the thread count). Each task runs on the
     * one thread that takes it ({@link Parallel#threadsForNewLoop}), so no GEMM ends in a wait
     * for the slower of two halves, and a thread that the machine slows down takes fewer tasks.
     * Every output is still one chain of FMAs in a fixed order, whoever computes it.
     */
    private static void forEachPositionGemm(int positions, int extent, PositionPart gemm) {
        int threads = Parallel.threads(), parts = 1;
        while (parts < extent && (positions * parts < 4 * threads || positions * parts % threads != 0)) parts++;
        int split = parts;
        Parallel.forEach(positions * split, t -> {
            int p = t / split, part = t % split;
            gemm.run(p, (int) ((long) part * extent / split), (int) ((long) (part + 1) * extent / split));
        });
    }

    /**
     * U[k][(s,c)][o] = (G g G^T)[k] for each source s = (py, px) and channel c: the sub-kernel
     * is gathered into g (zeros for missing taps), G goes along its columns into h, then along
     * its rows into U; parallel over (s, c).
     */
    private static float[] transformKernel(Axis ay, Axis ax, int c, float[] taps, Taps at, int oc) {
        int sourcesX = ax.origins().length, rows = ay.origins().length * sourcesX * c;
        int ty = ay.taps(), tx = ax.taps(), px = ax.points();
        float[] u = new float[ay.points() * px * rows * oc];
        Parallel.forEach(rows, row -> {
            int s = row / c, ch = row % c, sy = s / sourcesX, sx = s % sourcesX;
            float[] gk = new float[ty * tx * oc];
            for (int jy = 0; jy < ty; jy++) {
                for (int jx = 0; jx < tx; jx++) {
                    int from = at.offset(sy, sx, jy, jx, ch);
                    if (from >= 0) System.arraycopy(taps, from, gk, (jy * tx + jx) * oc, oc);
                }
            }
            float[] h = new float[ty * px * oc];
            for (int jy = 0; jy < ty; jy++) {
                Elementwise.K.linearCombinations(ax.f().kernel(), tx, gk, jy * tx * oc, oc, h, jy * px * oc, oc, oc);
            }
            for (int col = 0; col < px; col++) {
                Elementwise.K.linearCombinations(ay.f().kernel(), ty, h, col * oc, px * oc,
                        u, (col * rows + row) * oc, px * rows * oc, oc);
            }
        });
        return u;
    }

    /**
     * V[k][t][(s,c)] = (B^T d B)[k] for the window d of source s under block t (0 outside the
     * source): B^T along the window's columns into e, then along its rows straight into V;
     * parallel over the rows of blocks row0 .. row0+rows of the batch (image n's rows of blocks
     * are n * ay.blocks() onwards).
     */
    private static void transformInput(Axis ay, Axis ax, float[] src, int c, int row0, int rows, float[] v) {
        int sourcesY = ay.origins().length, sourcesX = ax.origins().length, k = sourcesY * sourcesX * c;
        int blocks = rows * ax.blocks(), wy = ay.points(), wx = ax.points();
        boolean f2 = isF2x2(ay, ax);
        Parallel.forEach(rows, row -> {
            int n = (row0 + row) / ay.blocks(), by = (row0 + row) % ay.blocks();
            float[] d = new float[wy * wx * c];
            float[] e = new float[wy * wx * c];
            for (int bx = 0; bx < ax.blocks(); bx++) {
                int t = row * ax.blocks() + bx;
                for (int py = 0; py < sourcesY; py++) {
                    for (int px = 0; px < sourcesX; px++) {
                        int top = ay.windowStart(py, by), left = ax.windowStart(px, bx), to = t * k + (py * sourcesX + px) * c;
                        if (f2 && inside(ay, top) && inside(ax, left)) {
                            // The window straight from src: no copy into d.
                            Elementwise.K.winogradData2x2(src, ((n * ay.sourceSize() + top) * ax.sourceSize() + left) * c,
                                    ay.step() * ax.sourceSize() * c, ax.step() * c, v, to, blocks * k, c);
                            continue;
                        }
                        gatherWindow(ay, ax, src, c, n, top, left, d);
                        if (f2) {
                            Elementwise.K.winogradData2x2(d, 0, wx * c, c, v, to, blocks * k, c);
                            continue;
                        }
                        for (int col = 0; col < wx; col++) {
                            Elementwise.K.linearCombinations(ay.f().dataT(), wy, d, col * c, wx * c, e, col * c, wx * c, c);
                        }
                        for (int r = 0; r < wy; r++) {
                            Elementwise.K.linearCombinations(ax.f().dataT(), wx, e, r * wx * c, c,
                                    v, r * wx * blocks * k + to, blocks * k, c);
                        }
                    }
                }
            }
        });
    }

    /**
     * Whether both axes are F(2, 2), whose transforms have fused kernels
     * ({@link ElementwiseKernels#winogradData2x2}, {@link ElementwiseKernels#winogradOutput2x2}):
     * each 3 x 3 tile in one pass, its 9 vectors per channel block in registers, where the two
     * passes of {@link ElementwiseKernels#linearCombinations} went through a buffer.
     */
    private static boolean isF2x2(Axis ay, Axis ax) {
        return ay.f() == WinogradTransform.F2 && ax.f() == WinogradTransform.F2;
    }

    /** Whether a window that starts at row (or column) start lies inside the source on this axis. */
    private static boolean inside(Axis a, int start) {
        return start >= 0 && start + (a.points() - 1) * a.step() < a.sourceSize();
    }

    /** d[(r, col)][.] = src[n, top + r*step, left + col*step, .] for the window, 0 outside. */
    private static void gatherWindow(Axis ay, Axis ax, float[] src, int c, int n, int top, int left, float[] d) {
        for (int r = 0; r < ay.points(); r++) {
            for (int col = 0; col < ax.points(); col++) {
                int y = top + r * ay.step(), x = left + col * ax.step(), to = (r * ax.points() + col) * c;
                if (y < 0 || y >= ay.sourceSize() || x < 0 || x >= ax.sourceSize()) {
                    Arrays.fill(d, to, to + c, 0f);
                } else {
                    System.arraycopy(src, ((n * ay.sourceSize() + y) * ax.sourceSize() + x) * c, d, to, c);
                }
            }
        }
    }

    /**
     * out at each valid output (a, b) of block t: Y = A^T M A, A^T along the rows of M into z,
     * then along its columns into y, whose valid outputs are copied out; parallel over the rows
     * of blocks row0 .. row0+rows of the batch.
     */
    private static void transformOutput(Axis ay, Axis ax, float[] m, int mOff, int oc, int row0, int rows,
                                        float[] out, int outH, int outW) {
        int step = rows * ax.blocks() * oc, wy = ay.points(), wx = ax.points();
        boolean f2 = isF2x2(ay, ax);
        Parallel.forEach(rows, row -> {
            int n = (row0 + row) / ay.blocks(), qy0 = 2 * ((row0 + row) % ay.blocks());
            float[] z = new float[wy * 2 * oc];
            float[] y = new float[2 * 2 * oc];
            for (int bx = 0; bx < ax.blocks(); bx++) {
                int block = mOff + (row * ax.blocks() + bx) * oc;
                if (f2 && qy0 + 1 < ay.outputs() && 2 * bx + 1 < ax.outputs()) {
                    // A whole block goes straight to its four outputs.
                    int oy = ay.outFirst() + qy0 * ay.outStep(), ox = ax.outFirst() + 2 * bx * ax.outStep();
                    Elementwise.K.winogradOutput2x2(m, block, step, out, ((n * outH + oy) * outW + ox) * oc,
                            ay.outStep() * outW * oc, ax.outStep() * oc, oc);
                    continue;
                }
                if (f2) {
                    Elementwise.K.winogradOutput2x2(m, block, step, y, 0, 2 * oc, oc, oc);
                } else {
                    for (int r = 0; r < wy; r++) {
                        Elementwise.K.linearCombinations(ax.f().outputT(), wx, m, block + r * wx * step, step, z, 2 * r * oc, oc, oc);
                    }
                    for (int b = 0; b < 2; b++) {
                        Elementwise.K.linearCombinations(ay.f().outputT(), wy, z, b * oc, 2 * oc, y, b * oc, 2 * oc, oc);
                    }
                }
                for (int a = 0; a < 2 && qy0 + a < ay.outputs(); a++) {
                    int oy = ay.outFirst() + (qy0 + a) * ay.outStep();
                    for (int b = 0; b < 2 && 2 * bx + b < ax.outputs(); b++) {
                        int ox = ax.outFirst() + (2 * bx + b) * ax.outStep();
                        System.arraycopy(y, (2 * a + b) * oc, out, ((n * outH + oy) * outW + ox) * oc, oc);
                    }
                }
            }
        });
    }

    /**
     * dM[k][t][o] = (A dY A^T)[k] for the 2 x 2 block t of dy (0 where it sticks out of the
     * output): A along the block's rows into z, then along its columns straight into dM, or for
     * F(2x2, 2x2) both at once ({@link ElementwiseKernels#winogradGradient2x2}), a whole block
     * straight from dy, as {@link #transformInput} and {@link #transformOutput} do;
     * parallel over the rows of blocks row0 .. row0+rows of the batch. The adjoint of
     * {@link #transformOutput}.
     */
    private static void transformGradient(Axis ay, Axis ax, float[] dy, int oc, int row0, int rows, float[] m, int mOff,
                                          int outH, int outW) {
        int step = rows * ax.blocks() * oc, wy = ay.points(), wx = ax.points();
        float[] aY = ay.f().outputTransposed(), aX = ax.f().outputTransposed();
        boolean f2 = isF2x2(ay, ax);
        Parallel.forEach(rows, row -> {
            int n = (row0 + row) / ay.blocks(), qy0 = 2 * ((row0 + row) % ay.blocks());
            float[] d = new float[2 * 2 * oc];
            float[] z = new float[2 * wx * oc];
            for (int bx = 0; bx < ax.blocks(); bx++) {
                int block = mOff + (row * ax.blocks() + bx) * oc;
                if (f2 && qy0 + 1 < ay.outputs() && 2 * bx + 1 < ax.outputs()) {
                    // A whole block straight from dy: no copy into d.
                    Elementwise.K.winogradGradient2x2(dy, ((n * outH + qy0) * outW + 2 * bx) * oc, outW * oc, oc, m, block, step, oc);
                    continue;
                }
                gatherBlock(ay, ax, dy, oc, n, qy0, 2 * bx, outH, outW, d);
                if (f2) {
                    Elementwise.K.winogradGradient2x2(d, 0, 2 * oc, oc, m, block, step, oc);
                    continue;
                }
                for (int a = 0; a < 2; a++) {
                    Elementwise.K.linearCombinations(aX, 2, d, 2 * a * oc, oc, z, a * wx * oc, oc, oc);
                }
                for (int col = 0; col < wx; col++) {
                    Elementwise.K.linearCombinations(aY, 2, z, col * oc, wx * oc, m, block + col * step, wx * step, oc);
                }
            }
        });
    }

    /** d[(a, b)][.] = dy[n, qy0 + a, qx0 + b, .] for the 2 x 2 block at (qy0, qx0), 0 where it sticks out of the output. */
    private static void gatherBlock(Axis ay, Axis ax, float[] dy, int oc, int n, int qy0, int qx0, int outH, int outW, float[] d) {
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                int oy = qy0 + a, ox = qx0 + b, to = (2 * a + b) * oc;
                if (oy < ay.outputs() && ox < ax.outputs()) {
                    System.arraycopy(dy, ((n * outH + oy) * outW + ox) * oc, d, to, oc);
                } else {
                    Arrays.fill(d, to, to + oc, 0f);
                }
            }
        }
    }

    /**
     * dw[o, s*jy + py, s*jx + px, c] = (G^T dU G)[jy][jx] of dU[.][o][(s,c)] for each output
     * channel o and source s = (py, px), taps outside the kernel dropped: G^T along the tile's
     * columns into h, then along its rows into the sub-kernel gk; parallel over (o, s). The
     * adjoint of {@link #transformKernel}.
     */
    private static void transformKernelGradient(ConvGeometry g, Axis ay, Axis ax, float[] du, float[] dw) {
        int ic = g.inC(), sourcesX = ax.origins().length, sources = ay.origins().length * sourcesX;
        int k = sources * ic, rowStep = g.outC() * k, ty = ay.taps(), tx = ax.taps(), py = ay.points(), px = ax.points();
        float[] gY = ay.f().kernelTransposed(), gX = ax.f().kernelTransposed();
        Parallel.forEach(g.outC() * sources, row -> {
            int o = row / sources, s = row % sources, ry = s / sourcesX, rx = s % sourcesX;
            float[] h = new float[py * tx * ic];
            for (int a = 0; a < py; a++) {
                Elementwise.K.linearCombinations(gX, px, du, a * px * rowStep + o * k + s * ic, rowStep, h, a * tx * ic, ic, ic);
            }
            float[] gk = new float[ty * tx * ic];
            for (int jx = 0; jx < tx; jx++) {
                Elementwise.K.linearCombinations(gY, py, h, jx * ic, tx * ic, gk, jx * ic, tx * ic, ic);
            }
            for (int jy = 0; jy < ty; jy++) {
                for (int jx = 0; jx < tx; jx++) {
                    int ky = g.strideH() * jy + ry, kx = g.strideW() * jx + rx;
                    if (ky < g.kH() && kx < g.kW()) System.arraycopy(gk, (jy * tx + jx) * ic, dw, ((o * g.kH() + ky) * g.kW() + kx) * ic, ic);
                }
            }
        });
    }
}
