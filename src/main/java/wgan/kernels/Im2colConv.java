package wgan.kernels;

import java.util.Arrays;

/**
 * The im2col lowering. Row (n, oy, ox) of the im2col matrix holds the receptive field of output
 * pixel (n, oy, ox), columns (ky, kx, i) in OHWI order:
 * <pre>
 *   cols[(n,oy,ox)][(ky,kx,i)] = x[n, oy*s-pt+ky, ox*s-pl+kx, i]   (0 outside the input)
 * </pre>
 * so the convolution sums of {@link Conv} become, with W the weights viewed as outC x (kH*kW*inC),
 * <pre>
 *   forward:    Y (pixels x outC)          = cols * W^T
 *   weightGrad: dW (outC x kH*kW*inC)      = dY^T * cols = sum over chunks of dY_c^T * cols_c
 * </pre>
 */
final class Im2colConv {
    private Im2colConv() {}

    static void forward(ConvGeometry g, float[] x, float[] w, float[] y, int chunkFloats) {
        int k = g.kH() * g.kW() * g.inC();
        int pixels = g.outH() * g.outW();
        Conv.forEachChunk(g, (long) pixels * k, chunkFloats, (n0, images, cols) -> {
            im2col(g, x, n0, images, cols);
            Gemm.sgemm(false, true, images * pixels, g.outC(), k, 1f, cols, 0, k, w, 0, k,
                    0f, y, n0 * pixels * g.outC(), g.outC());
        });
    }

    /** Chunks are summed into dw in batch order (beta = 1 after the first), whatever the threads. */
    static void weightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw, int chunkFloats) {
        int k = g.kH() * g.kW() * g.inC();
        int pixels = g.outH() * g.outW();
        Conv.forEachChunk(g, (long) pixels * k, chunkFloats, (n0, images, cols) -> {
            im2col(g, x, n0, images, cols);
            Gemm.sgemm(true, false, g.outC(), k, images * pixels, 1f, dy, n0 * pixels * g.outC(), g.outC(),
                    cols, 0, k, n0 == 0 ? 0f : 1f, dw, 0, k);
        });
    }

    /** Fills the im2col rows of images [n0, n0 + images), in parallel over output rows (n, oy). */
    static void im2col(ConvGeometry g, float[] x, int n0, int images, float[] cols) {
        Parallel.forEach(images * g.outH(), row -> {
            int n = n0 + row / g.outH();
            int oy = row % g.outH();
            for (int ox = 0; ox < g.outW(); ox++) {
                int dst = (row * g.outW() + ox) * g.kH() * g.kW() * g.inC();
                for (int ky = 0; ky < g.kH(); ky++) {
                    copyKernelRow(g, x, n, oy * g.strideH() - g.padTop() + ky, ox, cols,
                            dst + ky * g.kW() * g.inC());
                }
            }
        });
    }

    /**
     * Copies the kW taps of input row iy seen by output column ox into cols[dst ..]. The taps
     * inside the input are adjacent pixels, contiguous in NHWC, so they move as one block.
     */
    private static void copyKernelRow(ConvGeometry g, float[] x, int n, int iy, int ox, float[] cols, int dst) {
        int c = g.inC();
        int ix0 = ox * g.strideW() - g.padLeft();
        int kx0 = iy < 0 || iy >= g.inH() ? g.kW() : Math.clamp(-ix0, 0, g.kW());
        int kx1 = Math.max(kx0, Math.min(g.kW(), g.inW() - ix0));
        Arrays.fill(cols, dst, dst + kx0 * c, 0f);
        if (kx1 > kx0) {
            System.arraycopy(x, ((n * g.inH() + iy) * g.inW() + ix0 + kx0) * c, cols, dst + kx0 * c, (kx1 - kx0) * c);
        }
        Arrays.fill(cols, dst + kx1 * c, dst + g.kW() * c, 0f);
    }
}
