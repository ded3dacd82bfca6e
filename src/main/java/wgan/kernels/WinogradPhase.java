package wgan.kernels;

import java.util.Arrays;
import wgan.kernels.PhaseConv.Axis;

/**
 * One phase of {@link PhaseConv} whose sub-kernel has 2 x 2 taps (every phase of a 4 x 4,
 * stride-2 transposed convolution, as in E1's generator), by Winograd's minimal filtering
 * algorithm F(2x2, 2x2) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks",
 * CVPR 2016, section 4): 9 multiplies for each 2 x 2 block of outputs instead of 16.
 *
 * <p>Along one axis the phase computes y[q] = d[q-1]*g[0] + d[q]*g[1], with d the dy row and g
 * the flipped sub-kernel of {@link PhaseConv}. Two neighbouring outputs share d[q], so
 * <pre>
 *   m0 = (d0 - d1) * g0,   m1 = d1 * (g0 + g1),   m2 = (d2 - d1) * g1
 *   y[q] = m0 + m1,        y[q+1] = m1 + m2          (d0, d1, d2 = d[q-1], d[q], d[q+1])
 * </pre>
 * which is y = A^T [(G g) . (B^T d)] with
 * <pre>
 *   B^T = | 1 -1  0 |     G = | 1 0 |     A^T = | 1 1 0 |
 *         | 0  1  0 |         | 1 1 |           | 0 1 1 |
 *         | 0 -1  1 |         | 0 1 |
 * </pre>
 * Nesting it along both axes gives Y = A^T [U . V] A for each 2 x 2 output block, with
 * V = B^T d B of its 3 x 3 window of dy and U = G g G^T of the 2 x 2 sub-kernel. Over channels
 * the products U . V are summed, so for each of the 9 positions k of the 3 x 3 transformed
 * tile that sum is one GEMM over all blocks:
 * <pre>
 *   M[k][t][i] = sum_o V[k][t][o] * U[k][o][i]          (blocks t, dy channels o, dx channels i)
 * </pre>
 * Blocks that stick out of the phase are computed in full and only their valid outputs kept.
 * The transforms add and subtract only, so the rounding is that of the GEMMs plus a few
 * additions; for the same reason every result is bitwise the same for any thread count.
 */
final class WinogradPhase {
    /** Positions of the transformed 3 x 3 tile. */
    private static final int POSITIONS = 9;

    private WinogradPhase() {}

    static boolean applies(Axis ay, Axis ax) {
        return ay.taps() == 2 && ax.taps() == 2;
    }

    /** dx at the positions of one phase with 2 x 2 taps; see {@link PhaseConv}. */
    static void phase(ConvGeometry g, Axis ay, Axis ax, float[] dy, float[] w, float[] dx, int chunkFloats) {
        int blocksY = (ay.size() + 1) / 2, blocksX = (ax.size() + 1) / 2;
        int oc = g.outC(), ic = g.inC();
        float[] u = transformKernel(g, ay, ax, w);
        Conv.forEachChunk(g, (long) POSITIONS * blocksY * blocksX * (oc + ic), chunkFloats, (n0, images, buffer) -> {
            int blocks = images * blocksY * blocksX;
            int mOff = POSITIONS * blocks * oc;
            transformInput(g, ay, ax, dy, n0, images, buffer);
            for (int k = 0; k < POSITIONS; k++) {
                Gemm.sgemm(false, false, blocks, ic, oc, 1f, buffer, k * blocks * oc, oc, u, k * oc * ic, ic,
                        0f, buffer, mOff + k * blocks * ic, ic);
            }
            transformOutput(g, ay, ax, buffer, mOff, n0, images, dx);
        });
    }

    /**
     * U[k][o][i] = (G g G^T)[k] for the sub-kernel g[by][bx] = w[o, ry+(1-by)*s, rx+(1-bx)*s, i]
     * of {@link PhaseConv}: G along the kernel's columns into h, then along its rows into U;
     * parallel over o.
     */
    private static float[] transformKernel(ConvGeometry g, Axis ay, Axis ax, float[] w) {
        int oc = g.outC(), ic = g.inC();
        float[] u = new float[POSITIONS * oc * ic];
        Parallel.forEach(oc, o -> {
            float[] h = new float[2 * 3 * ic];
            for (int by = 0; by < 2; by++) {
                int tap0 = ((o * g.kH() + ay.tap(1 - by)) * g.kW() + ax.tap(1)) * ic;
                int tap1 = ((o * g.kH() + ay.tap(1 - by)) * g.kW() + ax.tap(0)) * ic;
                Elementwise.K.winogradKernel(w, tap0, tap1 - tap0, h, by * 3 * ic, ic, ic);
            }
            for (int c = 0; c < 3; c++) Elementwise.K.winogradKernel(h, c * ic, 3 * ic, u, (c * oc + o) * ic, 3 * oc * ic, ic);
        });
        return u;
    }

    /**
     * V[k][t][o] = (B^T d B)[k] for the 3 x 3 window d of dy under block t, dy rows
     * q0 + 2*by - 1 .. q0 + 2*by + 1 (likewise columns), 0 outside dy: B^T along the window's
     * columns into e, then along its rows straight into V; parallel over block rows.
     */
    private static void transformInput(ConvGeometry g, Axis ay, Axis ax, float[] dy, int n0, int images, float[] v) {
        int oc = g.outC(), blocksY = (ay.size() + 1) / 2, blocksX = (ax.size() + 1) / 2;
        int blocks = images * blocksY * blocksX;
        Parallel.forEach(images * blocksY, row -> {
            int n = n0 + row / blocksY, top = ay.q0() + 2 * (row % blocksY) - 1;
            float[] d = new float[POSITIONS * oc];
            float[] e = new float[POSITIONS * oc];
            for (int bx = 0; bx < blocksX; bx++) {
                int left = ax.q0() + 2 * bx - 1;
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 3; c++) {
                        int y = top + r, x = left + c, to = (3 * r + c) * oc;
                        if (y < 0 || y >= g.outH() || x < 0 || x >= g.outW()) {
                            Arrays.fill(d, to, to + oc, 0f);
                        } else {
                            System.arraycopy(dy, ((n * g.outH() + y) * g.outW() + x) * oc, d, to, oc);
                        }
                    }
                }
                for (int c = 0; c < 3; c++) Elementwise.K.winogradData(d, c * oc, 3 * oc, e, c * oc, 3 * oc, oc);
                int t = row * blocksX + bx;
                for (int r = 0; r < 3; r++) {
                    Elementwise.K.winogradData(e, 3 * r * oc, oc, v, (3 * r * blocks + t) * oc, blocks * oc, oc);
                }
            }
        });
    }

    /**
     * dx of each valid output (a, b) of block t: Y = A^T M A, A^T along the rows of M into z,
     * then along its columns into y, whose valid outputs are copied to dx; parallel over block
     * rows.
     */
    private static void transformOutput(ConvGeometry g, Axis ay, Axis ax, float[] m, int mOff, int n0, int images,
                                        float[] dx) {
        int ic = g.inC(), blocksY = (ay.size() + 1) / 2, blocksX = (ax.size() + 1) / 2;
        int step = images * blocksY * blocksX * ic;
        Parallel.forEach(images * blocksY, row -> {
            int n = n0 + row / blocksY, qy0 = 2 * (row % blocksY);
            float[] z = new float[3 * 2 * ic];
            float[] y = new float[2 * 2 * ic];
            for (int bx = 0; bx < blocksX; bx++) {
                int block = mOff + (row * blocksX + bx) * ic;
                for (int r = 0; r < 3; r++) Elementwise.K.winogradOutput(m, block + 3 * r * step, step, z, 2 * r * ic, ic, ic);
                for (int b = 0; b < 2; b++) Elementwise.K.winogradOutput(z, b * ic, 2 * ic, y, b * ic, 2 * ic, ic);
                for (int a = 0; a < 2 && qy0 + a < ay.size(); a++) {
                    int iy = ay.position(ay.q0() + qy0 + a);
                    for (int b = 0; b < 2 && 2 * bx + b < ax.size(); b++) {
                        int ix = ax.position(ax.q0() + 2 * bx + b);
                        System.arraycopy(y, (2 * a + b) * ic, dx, ((n * g.inH() + iy) * g.inW() + ix) * ic, ic);
                    }
                }
            }
        });
    }
}
