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
    private static void im2col(ConvGeometry g, float[] x, int n0, int images, float[] cols) {
        int k = g.kH() * g.kW() * g.inC();
        Parallel.forEach(images * g.outH(), row -> {
            int n = n0 + row / g.outH();
            int oy = row % g.outH();
            for (int ox = 0; ox < g.outW(); ox++) {
                window(x, n, g.inH(), g.inW(), g.inC(), oy * g.strideH() - g.padTop(), ox * g.strideW() - g.padLeft(),
                        g.kH(), g.kW(), cols, (row * g.outW() + ox) * k);
            }
        });
    }

    /**
     * Copies the kh x kw window whose top-left pixel is (y0, x0) of image n of an NHWC tensor
     * {@code src} (h x w x c) to dst[off ..] in (row, column, channel) order, with zeros where
     * the window leaves the image. The pixels of a window row are adjacent in NHWC, so each
     * window row moves as one block.
     */
    static void window(float[] src, int n, int h, int w, int c, int y0, int x0, int kh, int kw, float[] dst, int off) {
        for (int ky = 0; ky < kh; ky++, off += kw * c) {
            int y = y0 + ky;
            int kx0 = y < 0 || y >= h ? kw : Math.clamp(-x0, 0, kw);
            int kx1 = Math.max(kx0, Math.min(kw, w - x0));
            Arrays.fill(dst, off, off + kx0 * c, 0f);
            if (kx1 > kx0) System.arraycopy(src, ((n * h + y) * w + x0 + kx0) * c, dst, off + kx0 * c, (kx1 - kx0) * c);
            Arrays.fill(dst, off + kx1 * c, off + kw * c, 0f);
        }
    }
}
