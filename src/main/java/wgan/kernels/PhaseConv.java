package wgan.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * The transposed convolution (inputGrad) split into output phases, so that it needs no col2im
 * scatter-add. Substituting ky = r + j*s into the forward sum, input row iy = oy*s - pt + ky
 * becomes iy = q*s + r - pt with q = oy + j. So the dx rows with (iy + pt) mod s = r receive
 * only the taps ky = r, r+s, r+2s, ..., and over them dx is an ordinary stride-1 convolution
 * of dy with that sub-kernel (likewise along x):
 * <pre>
 *   dx[n, qy*s+ry-pt, qx*s+rx-pl, i] = sum_{jy,jx,o} dy[n, qy-jy, qx-jx, o] * w[o, ry+jy*s, rx+jx*s, i]
 * </pre>
 * (dy is 0 outside its bounds). Each of the s*s phases (ry, rx) is one GEMM,
 * {@code out = cols * Wp}, K = taps * outC. Numbering the taps backwards, by = tY-1-jy and
 * bx = tX-1-jx, makes the dy pixels of one row of cols a plain tY x tX window of dy, copied like
 * any im2col window, and Wp the sub-kernel flipped (a transposed convolution is a convolution
 * with the flipped kernel):
 * <pre>
 *   cols[(n,qy,qx)][(by,bx,o)] = dy[n, qy-tY+1+by, qx-tX+1+bx, o]
 *   Wp[(by,bx,o)][i]           = w[o, ry+(tY-1-by)*s, rx+(tX-1-bx)*s, i]
 * </pre>
 * The phases cover dx exactly once, so the GEMM result is copied, not added, into its strided
 * dx positions (a GEMM cannot write them itself: the stride between dx rows differs from the
 * stride within one). A phase with 2, 3 or 5 taps per axis goes to {@link Winograd#phase}
 * instead, when its grid is nearly whole 2 x 2 blocks: for 2 x 2 taps 9 multiplies per 2 x 2
 * outputs where this GEMM needs 16, for 5 x 5 36 against 100. A phase that no tap lands on
 * (k &lt; s) is zero. At stride 1 there is one phase and cols is the usual "full convolution"
 * im2col of dy, which {@link #weightGrad} reuses.
 */
final class PhaseConv {
    private PhaseConv() {}

    /**
     * One axis of a phase: the dx positions q*s + r - pad for q in [q0, q1) and the taps
     * r, r+s, ..., r+(taps-1)*s of a kernel of size k.
     */
    record Axis(int r, int s, int pad, int q0, int q1, int taps) {
        static Axis of(int in, int k, int s, int pad, int r) {
            int q0 = Math.floorDiv(pad - r + s - 1, s);
            int q1 = Math.max(q0, Math.floorDiv(in - 1 + pad - r, s) + 1);
            return new Axis(r, s, pad, q0, q1, r < k ? (k - r + s - 1) / s : 0);
        }

        int size() { return q1 - q0; }

        /** The dx position of phase index q. */
        int position(int q) { return q * s + r - pad; }

        /** The kernel position of tap j. */
        int tap(int j) { return r + j * s; }
    }

    /**
     * Phases that {@link Winograd#phase} takes run one after another, each parallel in itself; at
     * stride 1 the one phase is a GEMM straight into dx. The rest run as one parallel loop of
     * tasks, {@link #byRowTasks}.
     */
    static void inputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx, int chunkFloats) {
        List<Axis[]> gemmPhases = new ArrayList<>();
        for (int ry = 0; ry < g.strideH(); ry++) {
            for (int rx = 0; rx < g.strideW(); rx++) {
                Axis ay = Axis.of(g.inH(), g.kH(), g.strideH(), g.padTop(), ry);
                Axis ax = Axis.of(g.inW(), g.kW(), g.strideW(), g.padLeft(), rx);
                if (ay.size() * ax.size() == 0) continue;
                if (Winograd.appliesToPhase(g, ay, ax)) {
                    Winograd.phase(g, ay, ax, dy, w, dx, chunkFloats);
                } else if (g.strideH() == 1 && g.strideW() == 1) {
                    Im2col cols = im2col(g, ay, ax, dy, 0);
                    Gemm.multiply(cols.rows(g.batch()), g.inC(), cols.columns(), cols.byPixel(), weights(g, ay, ax, w), 0f, dx, 0, g.inC());
                } else {
                    gemmPhases.add(new Axis[] {ay, ax});
                }
            }
        }
        if (!gemmPhases.isEmpty()) byRowTasks(g, gemmPhases, dy, w, dx, chunkFloats);
    }

    /**
     * The phases' GEMMs cut into ranges of rows, whose results (up to chunkFloats /
     * {@link Conv#TASK_SHARE} floats) each task copies to their dx positions while they are in its
     * cache. The threads take the tasks of all phases one at a time, each on one thread, with
     * each phase's Wp packed once for all its tasks: no barrier after each phase's GEMM and copy
     * in turn, as when each GEMM was split over the threads, and none of a 2-way split's waiting
     * for the slower half, where E1's critic conv spent a good part of its input gradient
     * (docs/performance.md#convolution-lowerings).
     */
    private static void byRowTasks(ConvGeometry g, List<Axis[]> phases, float[] dy, float[] w, float[] dx, int chunkFloats) {
        int rowsPerTask = Math.max(1, chunkFloats / Conv.TASK_SHARE / g.inC());
        List<int[]> tasks = new ArrayList<>();
        Gemm.PreparedB[] wp = new Gemm.PreparedB[phases.size()];
        for (int p = 0; p < phases.size(); p++) {
            Axis ay = phases.get(p)[0], ax = phases.get(p)[1];
            wp[p] = Gemm.prepare(g.inC(), ay.taps() * ax.taps() * g.outC(), weights(g, ay, ax, w));
            int rows = g.batch() * ay.size() * ax.size();
            for (int r0 = 0; r0 < rows; r0 += rowsPerTask) tasks.add(new int[] {p, r0, Math.min(rowsPerTask, rows - r0)});
        }
        Parallel.forEach(tasks.size(), t -> {
            int p = tasks.get(t)[0], r0 = tasks.get(t)[1], rows = tasks.get(t)[2];
            Axis ay = phases.get(p)[0], ax = phases.get(p)[1];
            float[] out = Conv.BUFFER.take(rows * g.inC());
            try {
                Gemm.multiply(rows, im2col(g, ay, ax, dy, 0).byPixel().fromRow(r0), wp[p], 0f, out, 0, g.inC());
                copyToPhase(g, ay, ax, out, r0, rows, dx);
            } finally {
                Conv.BUFFER.give(out);
            }
        });
    }

    /**
     * weightGrad at stride 1 from the im2col of dy instead of x: the forward pairing
     * iy = oy - pt + ky reads as oy = (iy + pt) - ky, and at stride 1 the single phase has
     * q = iy + pt and ky = kH-1-by, so over all input pixels
     * <pre>
     *   G[(by,bx,o)][i] = sum_{n,iy,ix} cols[(n,iy+pt,ix+pl)][(by,bx,o)] * x[n,iy,ix,i]    G = cols^T * X
     * </pre>
     * and dw[o, kH-1-by, kW-1-bx, i] = G[(by,bx,o)][i]. The GEMM is (kH*kW*outC) x inC, reduced
     * over pixels, and cols is kH*kW*outC wide instead of kH*kW*inC: the shape for a narrow outC.
     * cols is the GEMM's A: for one channel, each row of its MR-tall slivers is 4 adjacent floats
     * of dy ({@link Im2col#byColumn}), and B is x as it lies, rows of inC floats. As B, cols was
     * packed in runs of kW floats, and x as A in runs of 4, which measured slower
     * (docs/performance.md#convolution-lowerings).
     */
    static void weightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        if (g.strideH() != 1 || g.strideW() != 1) throw new IllegalArgumentException("stride 1 only: " + g);
        Im2col cols = im2col(g, Axis.of(g.inH(), g.kH(), 1, g.padTop(), 0), Axis.of(g.inW(), g.kW(), 1, g.padLeft(), 0), dy, 0);
        int k = cols.columns(), c = g.inC();
        float[] sum = new float[k * c];
        Gemm.multiply(k, c, cols.rows(g.batch()), cols.byColumn(), GemmOperand.strided(x, 0, 1, c, 1f), 0f, sum, 0, c);
        // G^T's rows run over (by, bx, o), dw's over (o, ky, kx) with ky*kW + kx = taps-1 - (by*kW + bx).
        int taps = g.kH() * g.kW();
        for (int o = 0; o < g.outC(); o++) {
            for (int t = 0; t < taps; t++) {
                System.arraycopy(sum, ((taps - 1 - t) * g.outC() + o) * c, dw, (o * taps + t) * c, c);
            }
        }
    }

    /** Wp as the GEMM's B. */
    private static GemmOperand weights(ConvGeometry g, Axis ay, Axis ax, float[] w) {
        return GemmOperand.strided(packWeights(g, ay, ax, w), 0, 1, g.inC(), 1f);
    }

    /** Wp[(by,bx,o)][i] = w[o, ry+(tY-1-by)*s, rx+(tX-1-bx)*s, i]: the flipped sub-kernel. */
    private static float[] packWeights(ConvGeometry g, Axis ay, Axis ax, float[] w) {
        float[] wp = new float[ay.taps() * ax.taps() * g.outC() * g.inC()];
        int row = 0;
        for (int by = 0; by < ay.taps(); by++) {
            for (int bx = 0; bx < ax.taps(); bx++) {
                for (int o = 0; o < g.outC(); o++, row++) {
                    int src = ((o * g.kH() + ay.tap(ay.taps() - 1 - by)) * g.kW() + ax.tap(ax.taps() - 1 - bx)) * g.inC();
                    System.arraycopy(w, src, wp, row * g.inC(), g.inC());
                }
            }
        }
        return wp;
    }

    /** cols[(n,qy,qx)] = the tY x tX window of dy ending at pixel (qy, qx), for images n0, n0+1, .... */
    private static Im2col im2col(ConvGeometry g, Axis ay, Axis ax, float[] dy, int n0) {
        return new Im2col(dy, g.outH(), g.outW(), g.outC(), n0, ay.size(), ax.size(), 1, 1,
                ay.q0() - ay.taps() + 1, ax.q0() - ax.taps() + 1, ay.taps(), ax.taps());
    }

    /**
     * Copies rows r0 .. r0+rows of a phase's GEMM result, row (n,qy,qx) at out[(row - r0) * inC],
     * to dx[n, position(qy), position(qx)].
     */
    private static void copyToPhase(ConvGeometry g, Axis ay, Axis ax, float[] out, int r0, int rows, float[] dx) {
        int c = g.inC(), perImage = ay.size() * ax.size();
        for (int row = r0; row < r0 + rows; row++) {
            int n = row / perImage, qy = row % perImage / ax.size(), qx = row % ax.size();
            int iy = ay.position(ay.q0() + qy), ix = ax.position(ax.q0() + qx);
            System.arraycopy(out, (row - r0) * c, dx, ((n * g.inH() + iy) * g.inW() + ix) * c, c);
        }
    }
}
