package wgan.kernels;

/**
 * 2-D convolution kernels over NHWC tensors with OHWI weights ([outC][kH][kW][inC]); see
 * {@link ConvGeometry}. The three functions are one bilinear map seen three ways, so each is the
 * adjoint of another and autodiff needs nothing else (a transposed convolution's forward pass
 * is {@link #inputGrad}):
 * <pre>
 *   forward:    y[n,oy,ox,o]  = sum_{ky,kx,i} x[n, oy*s-pt+ky, ox*s-pl+kx, i] * w[o,ky,kx,i]
 *   inputGrad:  dx = forward^T(dy)      (the transposed convolution)
 *   weightGrad: dw[o,ky,kx,i] = sum_{n,oy,ox} x[n, oy*s-pt+ky, ox*s-pl+kx, i] * dy[n,oy,ox,o]
 * </pre>
 * Outputs are overwritten, not accumulated.
 */
public final class Conv {
    private Conv() {}

    public static void forward(ConvGeometry g, float[] x, float[] w, float[] y) {
        DirectConv.forward(g, x, w, y);
    }

    public static void inputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        DirectConv.inputGrad(g, dy, w, dx);
    }

    public static void weightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        DirectConv.weightGrad(g, x, dy, dw);
    }
}
