package wgan.kernels;

import java.util.Arrays;

/**
 * Convolutions made of 2 x 2-tap correlations, by Winograd's minimal filtering algorithm
 * F(2x2, 2x2) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016,
 * section 4): 9 multiplies for each 2 x 2 block of outputs instead of 16. Two convolutions of
 * E1 are of this kind:
 * <ul>
 *   <li>each output phase of a 4 x 4, stride-2 transposed convolution ({@link #phase}; see
 *       {@link PhaseConv}): one correlation of dy with a 2 x 2 sub-kernel;</li>
 *   <li>a 4 x 4, stride-2 convolution ({@link #forward}): splitting ky = 2*jy + ry (likewise kx),
 *       input row oy*2 - pt + ky = 2*(oy + jy) + ry - pt, so y is the sum over the 4 input
 *       phases (ry, rx) of a correlation of the phase's pixels x[2*q + ry - pt] with the 2 x 2
 *       sub-kernel w[., 2*jy + ry, 2*jx + rx, .].</li>
 * </ul>
 *
 * <p>Along one axis a correlation computes y[q] = d[q]*g[0] + d[q+1]*g[1]. Two neighbouring
 * outputs share d[q+1], so
 * <pre>
 *   m0 = (d0 - d1) * g0,   m1 = d1 * (g0 + g1),   m2 = (d2 - d1) * g1
 *   y[q] = m0 + m1,        y[q+1] = m1 + m2          (d0, d1, d2 = d[q], d[q+1], d[q+2])
 * </pre>
 * which is y = A^T [(G g) . (B^T d)] with
 * <pre>
 *   B^T = | 1 -1  0 |     G = | 1 0 |     A^T = | 1 1 0 |
 *         | 0  1  0 |         | 1 1 |           | 0 1 1 |
 *         | 0 -1  1 |         | 0 1 |
 * </pre>
 * Nesting it along both axes gives Y = A^T [U . V] A for each 2 x 2 output block, with
 * V = B^T d B of its 3 x 3 window and U = G g G^T of the 2 x 2 sub-kernel. The products U . V are
 * summed over channels and sources (the phases above), so for each of the 9 positions k of the
 * transformed tile that sum is one GEMM over all blocks:
 * <pre>
 *   M[k][t][o] = sum_{s,c} V[k][t][(s,c)] * U[k][(s,c)][o]     (blocks t, sources s, channels c)
 * </pre>
 * Blocks that stick out of the output are computed in full and only their valid outputs kept.
 * The transforms add and subtract only, so the rounding is that of the GEMMs plus a few
 * additions, and every result is bitwise the same for any thread count.
 */
final class Winograd {
    /** Positions of the transformed 3 x 3 tile. */
    private static final int POSITIONS = 9;

    private Winograd() {}

    /**
     * One axis of the problem: outputs q in [0, outputs) land at row outFirst + q*outStep of the
     * output; in source phase p, block b's 3-row window starts at row origins[p] + 2*b*step of
     * the source (of size sourceSize; rows outside read 0) and its rows are step apart.
     */
    record Axis(int outputs, int outFirst, int outStep, int[] origins, int step, int sourceSize) {
        int blocks() { return (outputs + 1) / 2; }

        int windowStart(int phase, int block) { return origins[phase] + 2 * block * step; }
    }

    /** Where the oc weights (one per output channel, contiguous) of tap (jy, jx) of source (py, px), channel c, start. */
    @FunctionalInterface
    interface Taps {
        int offset(int py, int px, int jy, int jx, int c);
    }

    /** Whether a PhaseConv phase is a 2 x 2 correlation worth computing this way. */
    static boolean appliesToPhase(PhaseConv.Axis ay, PhaseConv.Axis ax) {
        return ay.taps() == 2 && ax.taps() == 2 && fewWasted(ay.size(), ax.size());
    }

    /**
     * Whether a convolution is a 4 x 4, stride-2 one with enough channels on both sides for
     * GEMMs (see {@link Conv#NARROW}) and worth computing this way.
     */
    static boolean appliesToForward(ConvGeometry g) {
        return g.strideH() == 2 && g.strideW() == 2 && g.kH() == 4 && g.kW() == 4
                && g.inC() >= Conv.NARROW && g.outC() >= Conv.NARROW && fewWasted(g.outH(), g.outW());
    }

    /**
     * Whether blocks that stick out of the outputs add less than a fifth to the work. On a 7 x 7
     * grid (E1's critic and first generator layer) they add 31%, which takes 9/16 to 0.74 of
     * the direct multiplies, and measured (JMH, 2 threads) the transforms then ate the gain:
     * 53-62 against 56-90 GFLOP/s for the critic's conv, even for the 7 -> 14 transposed conv; on
     * the 14 x 14 grids of the 14 -> 28 one, 1.3-1.8 times the direct GEMM's speed.
     */
    private static boolean fewWasted(int outputsY, int outputsX) {
        return 4L * ((outputsY + 1) / 2) * ((outputsX + 1) / 2) * 5 < 6L * outputsY * outputsX;
    }

    /**
     * dx at the positions of one phase of {@link PhaseConv} with 2 x 2 taps: the correlation of
     * dy (window rows q0-1 .. q0+1 for phase index q0) with the flipped sub-kernel
     * g[jy][jx] = w[o, ry+(1-jy)*s, rx+(1-jx)*s, i].
     */
    static void phase(ConvGeometry g, PhaseConv.Axis ay, PhaseConv.Axis ax, float[] dy, float[] w, float[] dx,
                      int chunkFloats) {
        Axis y = new Axis(ay.size(), ay.position(ay.q0()), ay.s(), new int[] {ay.q0() - 1}, 1, g.outH());
        Axis x = new Axis(ax.size(), ax.position(ax.q0()), ax.s(), new int[] {ax.q0() - 1}, 1, g.outW());
        int ic = g.inC();
        convolve(g.batch(), y, x, dy, g.outC(), w,
                (py, px, jy, jx, c) -> ((c * g.kH() + ay.tap(1 - jy)) * g.kW() + ax.tap(1 - jx)) * ic,
                dx, g.inH(), g.inW(), ic, chunkFloats);
    }

    /**
     * A 4 x 4, stride-2 convolution: the sum over input phases (ry, rx) of the correlation of
     * x[2*q + ry - pt, 2*q' + rx - pl] with w[o, 2*jy + ry, 2*jx + rx, i]. The weights are first
     * copied to [ky][kx][i][o], so each tap's output channels are contiguous.
     */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] y, int chunkFloats) {
        int ic = g.inC(), oc = g.outC(), taps = g.kH() * g.kW();
        float[] wt = new float[w.length];
        Parallel.forEach(taps, t -> {
            for (int i = 0; i < ic; i++) {
                for (int o = 0; o < oc; o++) wt[(t * ic + i) * oc + o] = w[(o * taps + t) * ic + i];
            }
        });
        Axis rows = new Axis(g.outH(), 0, 1, new int[] {-g.padTop(), 1 - g.padTop()}, 2, g.inH());
        Axis cols = new Axis(g.outW(), 0, 1, new int[] {-g.padLeft(), 1 - g.padLeft()}, 2, g.inW());
        convolve(g.batch(), rows, cols, x, ic, wt,
                (py, px, jy, jx, c) -> (((2 * jy + py) * g.kW() + 2 * jx + px) * ic + c) * oc,
                y, g.outH(), g.outW(), oc, chunkFloats);
    }

    /**
     * out (batch, outH, outW, oc) at the outputs of ay x ax = the sum over sources (py, px) of
     * the 2 x 2 correlations of src (batch, ay.sourceSize, ax.sourceSize, c) with taps, in
     * chunks of whole images.
     */
    private static void convolve(int batch, Axis ay, Axis ax, float[] src, int c, float[] taps, Taps at,
                                 float[] out, int outH, int outW, int oc, int chunkFloats) {
        int k = ay.origins().length * ax.origins().length * c;
        float[] u = transformKernel(ay, ax, c, taps, at, oc);
        Conv.forEachChunk(batch, (long) POSITIONS * ay.blocks() * ax.blocks() * (k + oc), chunkFloats, (n0, count, buffer) -> {
            int blocks = count * ay.blocks() * ax.blocks();
            int mOff = POSITIONS * blocks * k;
            transformInput(ay, ax, src, c, n0, count, buffer);
            for (int p = 0; p < POSITIONS; p++) {
                Gemm.sgemm(false, false, blocks, oc, k, 1f, buffer, p * blocks * k, k, u, p * k * oc, oc,
                        0f, buffer, mOff + p * blocks * oc, oc);
            }
            transformOutput(ay, ax, buffer, mOff, oc, n0, count, out, outH, outW);
        });
    }

    /**
     * U[k][(s,c)][o] = (G g G^T)[k] for each source s = (py, px) and channel c: G along the
     * sub-kernel's columns into h, then along its rows into U; parallel over (s, c).
     */
    private static float[] transformKernel(Axis ay, Axis ax, int c, float[] taps, Taps at, int oc) {
        int sourcesX = ax.origins().length, rows = ay.origins().length * sourcesX * c;
        float[] u = new float[POSITIONS * rows * oc];
        Parallel.forEach(rows, row -> {
            int s = row / c, ch = row % c, py = s / sourcesX, px = s % sourcesX;
            float[] h = new float[2 * 3 * oc];
            for (int jy = 0; jy < 2; jy++) {
                int tap0 = at.offset(py, px, jy, 0, ch), tap1 = at.offset(py, px, jy, 1, ch);
                Elementwise.K.winogradKernel(taps, tap0, tap1 - tap0, h, jy * 3 * oc, oc, oc);
            }
            for (int col = 0; col < 3; col++) {
                Elementwise.K.winogradKernel(h, col * oc, 3 * oc, u, (col * rows + row) * oc, 3 * rows * oc, oc);
            }
        });
        return u;
    }

    /**
     * V[k][t][(s,c)] = (B^T d B)[k] for the 3 x 3 window d of source s under block t (0 outside
     * the source): B^T along the window's columns into e, then along its rows straight into V;
     * parallel over block rows.
     */
    private static void transformInput(Axis ay, Axis ax, float[] src, int c, int n0, int images, float[] v) {
        int sourcesY = ay.origins().length, sourcesX = ax.origins().length, k = sourcesY * sourcesX * c;
        int blocks = images * ay.blocks() * ax.blocks();
        Parallel.forEach(images * ay.blocks(), row -> {
            int n = n0 + row / ay.blocks(), by = row % ay.blocks();
            float[] d = new float[POSITIONS * c];
            float[] e = new float[POSITIONS * c];
            for (int bx = 0; bx < ax.blocks(); bx++) {
                int t = row * ax.blocks() + bx;
                for (int py = 0; py < sourcesY; py++) {
                    for (int px = 0; px < sourcesX; px++) {
                        gatherWindow(ay, ax, src, c, n, ay.windowStart(py, by), ax.windowStart(px, bx), d);
                        for (int col = 0; col < 3; col++) Elementwise.K.winogradData(d, col * c, 3 * c, e, col * c, 3 * c, c);
                        int to = t * k + (py * sourcesX + px) * c;
                        for (int r = 0; r < 3; r++) {
                            Elementwise.K.winogradData(e, 3 * r * c, c, v, 3 * r * blocks * k + to, blocks * k, c);
                        }
                    }
                }
            }
        });
    }

    /** d[(r, col)][.] = src[n, top + r*step, left + col*step, .] for the 3 x 3 window, 0 outside. */
    private static void gatherWindow(Axis ay, Axis ax, float[] src, int c, int n, int top, int left, float[] d) {
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 3; col++) {
                int y = top + r * ay.step(), x = left + col * ax.step(), to = (3 * r + col) * c;
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
     * then along its columns into y, whose valid outputs are copied out; parallel over block rows.
     */
    private static void transformOutput(Axis ay, Axis ax, float[] m, int mOff, int oc, int n0, int images,
                                        float[] out, int outH, int outW) {
        int step = images * ay.blocks() * ax.blocks() * oc;
        Parallel.forEach(images * ay.blocks(), row -> {
            int n = n0 + row / ay.blocks(), qy0 = 2 * (row % ay.blocks());
            float[] z = new float[3 * 2 * oc];
            float[] y = new float[2 * 2 * oc];
            for (int bx = 0; bx < ax.blocks(); bx++) {
                int block = mOff + (row * ax.blocks() + bx) * oc;
                for (int r = 0; r < 3; r++) Elementwise.K.winogradOutput(m, block + 3 * r * step, step, z, 2 * r * oc, oc, oc);
                for (int b = 0; b < 2; b++) Elementwise.K.winogradOutput(z, b * oc, 2 * oc, y, b * oc, 2 * oc, oc);
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
}
