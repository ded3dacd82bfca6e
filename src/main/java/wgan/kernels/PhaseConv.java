package wgan.kernels;

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

    static void inputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx, int chunkFloats) {
        for (int ry = 0; ry < g.strideH(); ry++) {
            for (int rx = 0; rx < g.strideW(); rx++) {
                phase(g, Axis.of(g.inH(), g.kH(), g.strideH(), g.padTop(), ry),
                        Axis.of(g.inW(), g.kW(), g.strideW(), g.padLeft(), rx), dy, w, dx, chunkFloats);
            }
        }
    }

    /**
     * weightGrad at stride 1 from the im2col of dy instead of x: the forward pairing
     * iy = oy - pt + ky reads as oy = (iy + pt) - ky, and at stride 1 the single phase has
     * q = iy + pt and ky = kH-1-by, so over all input pixels
     * <pre>
     *   G[i][(by,bx,o)] = sum_{n,iy,ix} x[n,iy,ix,i] * cols[(n,iy+pt,ix+pl)][(by,bx,o)]    G = X^T * cols
     * </pre>
     * and dw[o, kH-1-by, kW-1-bx, i] = G[i][(by,bx,o)]. The GEMM is inC x (kH*kW*outC), reduced
     * over pixels, and cols is kH*kW*outC wide instead of kH*kW*inC: the shape for a narrow outC.
     * cols is the GEMM's B, packed in runs of NR floats, as in {@link Im2colConv#weightGrad}.
     */
    static void weightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        if (g.strideH() != 1 || g.strideW() != 1) throw new IllegalArgumentException("stride 1 only: " + g);
        Im2col cols = im2col(g, Axis.of(g.inH(), g.kH(), 1, g.padTop(), 0), Axis.of(g.inW(), g.kW(), 1, g.padLeft(), 0), dy, 0);
        int k = cols.columns();
        float[] sum = new float[g.inC() * k];
        Gemm.multiply(g.inC(), k, cols.rows(g.batch()), GemmOperand.strided(x, 0, 1, g.inC(), 1f), cols.byColumn(),
                0f, sum, 0, k);
        // G's columns run over (by, bx, o), dw's rows over (o, ky, kx) with ky*kW + kx = taps-1 - (by*kW + bx).
        int taps = g.kH() * g.kW();
        for (int o = 0; o < g.outC(); o++) {
            for (int t = 0; t < taps; t++) {
                int to = (o * taps + t) * g.inC(), from = (taps - 1 - t) * g.outC() + o;
                for (int i = 0; i < g.inC(); i++) dw[to + i] = sum[i * k + from];
            }
        }
    }

    /**
     * dx at the positions of one phase: a GEMM, then a strided copy, chunk by chunk, from the
     * chunk's buffer of GEMM results (with no taps, k = 0, the GEMM writes zeros). At stride 1
     * the one phase is all of dx in order, so one GEMM writes dx itself.
     */
    private static void phase(ConvGeometry g, Axis ay, Axis ax, float[] dy, float[] w, float[] dx, int chunkFloats) {
        int pixels = ay.size() * ax.size();
        if (pixels == 0) return;
        if (Winograd.appliesToPhase(g, ay, ax)) {
            Winograd.phase(g, ay, ax, dy, w, dx, chunkFloats);
            return;
        }
        GemmOperand wp = GemmOperand.strided(packWeights(g, ay, ax, w), 0, 1, g.inC(), 1f);
        int k = ay.taps() * ax.taps() * g.outC();
        if (g.strideH() == 1 && g.strideW() == 1) {
            Im2col cols = im2col(g, ay, ax, dy, 0);
            Gemm.multiply(cols.rows(g.batch()), g.inC(), k, cols.byPixel(), wp, 0f, dx, 0, g.inC());
            return;
        }
        Conv.forEachChunk(g.batch(), (long) pixels * g.inC(), chunkFloats, (n0, images, out) -> {
            Im2col cols = im2col(g, ay, ax, dy, n0);
            Gemm.multiply(cols.rows(images), g.inC(), k, cols.byPixel(), wp, 0f, out, 0, g.inC());
            copyToPhase(g, ay, ax, out, n0, images, dx);
        });
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
     * Copies row (n,qy,qx) of the GEMM result in {@code out} to dx[n0+n, position(qy),
     * position(qx)]; parallel over rows (n, qy).
     */
    private static void copyToPhase(ConvGeometry g, Axis ay, Axis ax, float[] out, int n0, int images, float[] dx) {
        int c = g.inC();
        Parallel.forEach(images * ay.size(), row -> {
            int n = n0 + row / ay.size();
            int iy = ay.position(ay.q0() + row % ay.size());
            for (int q = 0; q < ax.size(); q++) {
                int ix = ax.position(ax.q0() + q);
                System.arraycopy(out, (row * ax.size() + q) * c, dx, ((n * g.inH() + iy) * g.inW() + ix) * c, c);
            }
        });
    }
}
