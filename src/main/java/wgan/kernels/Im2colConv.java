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
 *   weightGrad: dW (outC x kH*kW*inC)      = dY^T * cols
 * </pre>
 * cols is never stored: the GEMM packs it from x as it goes ({@link Im2col}), so it costs no
 * extra pass over memory, and one GEMM covers the whole batch, so the weights are packed once
 * and weightGrad's sum over all pixels is ordered by the GEMM alone, whatever the batch.
 *
 * <p>In weightGrad, cols is the GEMM's B, packed along its columns: each pixel's window
 * gives runs of NR adjacent floats. As A (computing dW^T = cols^T * dY and transposing) it
 * would be packed in runs of MR = 4 and then transposed, which measured slower on every layer
 * of E1 and E3. With one input channel, though, cols is only kH*kW wide, and as A each row of a
 * sliver is 4 adjacent floats of x ({@link Im2col#byColumn}), while dY as B is rows of outC
 * floats: so it is computed as dW^T = cols^T * dY then, which measured faster
 * (docs/performance.md#convolution-lowerings).
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
        int k = cols.columns(), pixels = cols.rows(g.batch());
        GemmOperand dyT = GemmOperand.strided(dy, 0, 1, g.outC(), 1f);
        if (g.inC() > 1) {
            Gemm.multiply(g.outC(), k, pixels, dyT, cols.byColumn(), 0f, dw, 0, k);
            return;
        }
        float[] dwT = new float[k * g.outC()];
        Gemm.multiply(k, g.outC(), pixels, cols.byColumn(), dyT, 0f, dwT, 0, g.outC());
        for (int o = 0; o < g.outC(); o++) {
            for (int t = 0; t < k; t++) dw[o * k + t] = dwT[t * g.outC() + o];
        }
    }
}
