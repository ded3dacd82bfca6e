package wgan.kernels;

import java.util.Arrays;

/**
 * The tap lowering, for a narrow side of the convolution: one GEMM multiplies every pixel by
 * every tap of the kernel at once (a side of channels * kH * kW instead of a few channels), and
 * a cheap gather then adds up the kH*kW shifted taps. No im2col is built.
 * <pre>
 *   forward:   T[(o,ky,kx)][(n,iy,ix)] = sum_i w[o,ky,kx,i] * x[n,iy,ix,i]       T = W * X^T
 *              y[n,oy,ox,o]           = sum_{ky,kx} T[(o,ky,kx)][(n, oy*s-pt+ky, ox*s-pl+kx)]
 *   inputGrad: D[(ky,kx,i)][(n,oy,ox)] = sum_o w[o,ky,kx,i] * dy[n,oy,ox,o]     D = W^T * dY^T
 *              dx[n,iy,ix,i]          = sum over (ky,kx) with iy = oy*s-pt+ky, ix = ox*s-pl+kx
 *                                       of D[(ky,kx,i)][(n,oy,ox)]
 * </pre>
 * W is the weights viewed as (outC*kH*kW) x inC for forward and as outC x (kH*kW*inC) for
 * inputGrad; both are the OHWI array as it is. Taps outside the input are skipped by the gather.
 * The taps index the rows of T and D, so each row is a stack of images and the gather adds
 * whole shifted image rows (unit stride on the side with stride 1). D is the matrix that col2im
 * would scatter-add; gathering instead lets each dx row be summed by one thread, in a fixed tap
 * order.
 */
final class TapConv {
    private TapConv() {}

    static void forward(ConvGeometry g, float[] x, float[] w, float[] y, int chunkFloats) {
        int pixels = g.inH() * g.inW();
        int width = g.outC() * g.kH() * g.kW();
        Conv.forEachChunk(g.batch(), (long) pixels * width, chunkFloats, (n0, images, t) -> {
            Gemm.sgemm(false, true, width, images * pixels, g.inC(), 1f, w, 0, g.inC(),
                    x, n0 * pixels * g.inC(), g.inC(), 0f, t, 0, images * pixels);
            gatherForward(g, t, n0, images, y);
        });
    }

    static void inputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx, int chunkFloats) {
        int pixels = g.outH() * g.outW();
        int width = g.kH() * g.kW() * g.inC();
        Conv.forEachChunk(g.batch(), (long) pixels * width, chunkFloats, (n0, images, d) -> {
            Gemm.sgemm(true, true, width, images * pixels, g.outC(), 1f, w, 0, width,
                    dy, n0 * pixels * g.outC(), g.outC(), 0f, d, 0, images * pixels);
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

    /**
     * sum[ox] += t[rowStart + ix] with ix = ox*s - pl + kx, for the ox whose ix lies in the input
     * row: at stride 1, one shifted row of T added to sum, as vectors.
     */
    private static void addTapRow(ConvGeometry g, float[] t, int rowStart, int kx, float[] sum) {
        int shift = kx - g.padLeft();
        int first = firstOx(g, shift), end = endOx(g, shift);
        if (g.strideW() == 1) {
            Elementwise.K.accumulate(t, rowStart + first + shift, sum, first, Math.max(0, end - first));
            return;
        }
        for (int ox = first; ox < end; ox++) sum[ox] += t[rowStart + ox * g.strideW() + shift];
    }

    /**
     * dx for images [n0, n0 + images) from D (whose rows are images * outH * outW long); parallel
     * over input rows (n, iy), each summed in {@code sum}. The taps reaching row iy are
     * ky = (iy+pt) mod s, then every s-th, from output row (iy+pt-ky)/s.
     */
    private static void gatherInputGrad(ConvGeometry g, float[] d, int n0, int images, float[] dx) {
        int c = g.inC();
        int ldd = images * g.outH() * g.outW();
        Parallel.forEach(images * g.inH(), row -> {
            int image = row / g.inH();
            int iy = row % g.inH();
            float[] sum = new float[g.inW() * c];
            for (int ky = Math.floorMod(iy + g.padTop(), g.strideH()); ky < g.kH(); ky += g.strideH()) {
                int oy = (iy + g.padTop() - ky) / g.strideH();
                if (oy >= g.outH()) continue;
                if (oy < 0) break;
                for (int kx = 0; kx < g.kW(); kx++) {
                    for (int i = 0; i < c; i++) {
                        addTapRowToInput(g, d, ((ky * g.kW() + kx) * c + i) * ldd + (image * g.outH() + oy) * g.outW(),
                                kx, i, sum);
                    }
                }
            }
            System.arraycopy(sum, 0, dx, (n0 * g.inH() + row) * g.inW() * c, g.inW() * c);
        });
    }

    /** sum[ix*inC + i] += d[rowStart + ox] with ix = ox*s - pl + kx, for the ox whose ix lies in the input row. */
    private static void addTapRowToInput(ConvGeometry g, float[] d, int rowStart, int kx, int i, float[] sum) {
        int shift = kx - g.padLeft();
        int end = endOx(g, shift);
        for (int ox = firstOx(g, shift); ox < end; ox++) {
            sum[(ox * g.strideW() + shift) * g.inC() + i] += d[rowStart + ox];
        }
    }

    /** The first output column whose input column ox*s + shift is inside the input (ix >= 0). */
    private static int firstOx(ConvGeometry g, int shift) {
        return Math.max(0, Math.ceilDiv(-shift, g.strideW()));
    }

    /** One past the last output column whose input column ox*s + shift is inside the input (ix < inW). */
    private static int endOx(ConvGeometry g, int shift) {
        return Math.min(g.outW(), Math.floorDiv(g.inW() - 1 - shift, g.strideW()) + 1);
    }
}
