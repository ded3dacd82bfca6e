package wgan.kernels;

import java.util.Arrays;

/**
 * The tap lowering, for a narrow side of the convolution: one GEMM multiplies every pixel by
 * every tap of the kernel at once (N = channels * kH * kW instead of a few channels), and a cheap
 * gather then adds up the kH*kW shifted taps. No im2col is built.
 * <pre>
 *   forward:   T[(o,ky,kx)][(n,iy,ix)] = sum_i w[o,ky,kx,i] * x[n,iy,ix,i]       T = W * X^T
 *              y[n,oy,ox,o]           = sum_{ky,kx} T[(o,ky,kx)][(n, oy*s-pt+ky, ox*s-pl+kx)]
 *   inputGrad: D[(n,oy,ox)][(ky,kx,i)] = sum_o dy[n,oy,ox,o] * w[o,ky,kx,i]     D = dY * W
 *              dx[n,iy,ix,i]          = sum over (ky,kx) with iy = oy*s-pt+ky, ix = ox*s-pl+kx
 *                                       of D[(n,oy,ox)][(ky,kx,i)]
 * </pre>
 * W is the weights viewed as (outC*kH*kW) x inC for forward and as outC x (kH*kW*inC) for
 * inputGrad; both are the OHWI array as it is. Taps outside the input are skipped by the gather.
 * Forward keeps the taps in the rows of T so that each row is a stack of images: the gather then
 * adds whole shifted image rows, with unit stride at stride 1.
 * D is the matrix that col2im would scatter-add; gathering instead lets each dx pixel be summed
 * by one thread, in a fixed tap order.
 */
final class TapConv {
    private TapConv() {}

    static void forward(ConvGeometry g, float[] x, float[] w, float[] y, int chunkFloats) {
        int pixels = g.inH() * g.inW();
        int width = g.outC() * g.kH() * g.kW();
        Conv.forEachChunk(g, (long) pixels * width, chunkFloats, (n0, images, t) -> {
            Gemm.sgemm(false, true, width, images * pixels, g.inC(), 1f, w, 0, g.inC(),
                    x, n0 * pixels * g.inC(), g.inC(), 0f, t, 0, images * pixels);
            gatherForward(g, t, n0, images, y);
        });
    }

    static void inputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx, int chunkFloats) {
        int pixels = g.outH() * g.outW();
        int width = g.kH() * g.kW() * g.inC();
        Conv.forEachChunk(g, (long) pixels * width, chunkFloats, (n0, images, d) -> {
            Gemm.sgemm(false, false, images * pixels, width, g.outC(), 1f, dy, n0 * pixels * g.outC(), g.outC(),
                    w, 0, width, 0f, d, 0, width);
            gatherInputGrad(g, d, n0, images, dx);
        });
    }

    /**
     * y for images [n0, n0 + images) from T (whose rows are images * inH * inW long); parallel
     * over output rows (n, oy). Each output channel's row is summed in {@code sum}, tap by tap.
     */
    private static void gatherForward(ConvGeometry g, float[] t, int n0, int images, float[] y) {
        int ldt = images * g.inH() * g.inW();
        Parallel.forEach(images * g.outH(), row -> {
            int image = row / g.outH();
            int oy = row % g.outH();
            float[] sum = new float[g.outW()];
            for (int o = 0; o < g.outC(); o++) {
                Arrays.fill(sum, 0f);
                for (int ky = 0; ky < g.kH(); ky++) {
                    int iy = oy * g.strideH() - g.padTop() + ky;
                    if (iy < 0 || iy >= g.inH()) continue;
                    for (int kx = 0; kx < g.kW(); kx++) {
                        addTapRow(g, t, ((o * g.kH() + ky) * g.kW() + kx) * ldt + (image * g.inH() + iy) * g.inW(), kx, sum);
                    }
                }
                int yBase = (n0 * g.outH() + row) * g.outW() * g.outC() + o;
                for (int ox = 0; ox < g.outW(); ox++) y[yBase + ox * g.outC()] = sum[ox];
            }
        });
    }

    /** sum[ox] += t[rowStart + ix] with ix = ox*s - pl + kx, for the ox whose ix lies in the input row. */
    private static void addTapRow(ConvGeometry g, float[] t, int rowStart, int kx, float[] sum) {
        int s = g.strideW();
        int shift = kx - g.padLeft();
        int ox0 = Math.max(0, Math.ceilDiv(-shift, s));
        int ox1 = Math.min(g.outW(), Math.floorDiv(g.inW() - 1 - shift, s) + 1);
        for (int ox = ox0; ox < ox1; ox++) sum[ox] += t[rowStart + ox * s + shift];
    }

    /**
     * dx for images [n0, n0 + images) from their D rows; parallel over input rows (n, iy). The
     * taps reaching row iy are ky = (iy+pt) mod s, then every s-th, from output row (iy+pt-ky)/s.
     */
    private static void gatherInputGrad(ConvGeometry g, float[] d, int n0, int images, float[] dx) {
        int c = g.inC();
        Parallel.forEach(images * g.inH(), row -> {
            int image = row / g.inH();
            int iy = row % g.inH();
            for (int ix = 0; ix < g.inW(); ix++) {
                int dxBase = ((n0 * g.inH() + row) * g.inW() + ix) * c;
                Arrays.fill(dx, dxBase, dxBase + c, 0f);
                for (int ky = Math.floorMod(iy + g.padTop(), g.strideH()); ky < g.kH(); ky += g.strideH()) {
                    int oy = (iy + g.padTop() - ky) / g.strideH();
                    if (oy >= g.outH()) continue;
                    if (oy < 0) break;
                    for (int kx = Math.floorMod(ix + g.padLeft(), g.strideW()); kx < g.kW(); kx += g.strideW()) {
                        int ox = (ix + g.padLeft() - kx) / g.strideW();
                        if (ox >= g.outW()) continue;
                        if (ox < 0) break;
                        int src = ((((image * g.outH() + oy) * g.outW() + ox) * g.kH() + ky) * g.kW() + kx) * c;
                        for (int i = 0; i < c; i++) dx[dxBase + i] += d[src + i];
                    }
                }
            }
        });
    }
}
