package wgan.kernels;

/**
 * The im2col lowering. Row (n, oy, ox) of the im2col matrix holds the receptive field of output
 * pixel (n, oy, ox), columns (ky, kx, i) in OHWI order:
 * <pre>
 *   cols[(n,oy,ox)][(ky,kx,i)] = x[n, oy*s-pt+ky, ox*s-pl+kx, i]   (0 outside the input)
 * </pre>
 * so the convolution sums of {@link Conv} become, with W the weights viewed as outC x (kH*kW*inC),
 * <pre>
 *   forward:    Y (pixels x outC)          = cols * W^T
 *   weightGrad: dW^T (kH*kW*inC x outC)    = cols^T * dY, then transposed into dW
 * </pre>
 * cols is never stored: the GEMM packs it from x as it goes ({@link Im2col}), so it costs no
 * extra pass over memory, and one GEMM covers the whole batch, so the weights are packed once
 * and weightGrad reduces over all pixels in one chain per element, not chunk by chunk through dW.
 *
 * <p>weightGrad computes dW^T rather than dW = dY^T * cols so that C is tall and narrow, as in
 * forward: with C wide (outC rows of kH*kW*inC), the packed panel of B (KC x up to NC columns of
 * cols) outgrows L2, which measured 10-15% slower on the E3 layers than the transpose costs.
 */
final class Im2colConv {
    private Im2colConv() {}

    static void forward(ConvGeometry g, float[] x, float[] w, float[] y) {
        Im2col cols = Im2col.ofInput(g, x);
        int k = cols.columns();
        Gemm.multiply(cols.rows(g.batch()), g.outC(), k, cols.byPixel(), GemmOperand.strided(w, 0, k, 1, 1f),
                0f, y, 0, g.outC());
    }

    static void weightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        Im2col cols = Im2col.ofInput(g, x);
        int k = cols.columns();
        Conv.withBuffer(k * g.outC(), t -> {
            Gemm.multiply(k, g.outC(), cols.rows(g.batch()), cols.byColumn(), GemmOperand.strided(dy, 0, 1, g.outC(), 1f),
                    0f, t, 0, g.outC());
            transpose(t, k, g.outC(), dw);
        });
    }

    /** Rows of the input per transpose block: 16 floats, one 64-byte line of each output row. */
    private static final int BLOCK = 16;

    /** out (cols x rows) = in (rows x cols) transposed, in blocks of rows so that both sides move by whole cache lines. */
    private static void transpose(float[] in, int rows, int cols, float[] out) {
        Parallel.forEach(Math.ceilDiv(rows, BLOCK), b -> {
            int r0 = b * BLOCK, r1 = Math.min(rows, r0 + BLOCK);
            for (int c = 0; c < cols; c++) {
                for (int r = r0; r < r1; r++) out[c * rows + r] = in[r * cols + c];
            }
        });
    }
}
