package wgan.kernels;

/** The CPU: the Vector API (or scalar) kernels of this package, on {@link Parallel}'s threads. */
public final class CpuDevice implements Device {
    public static final CpuDevice INSTANCE = new CpuDevice();

    private CpuDevice() {}

    @Override
    public String describe() {
        return "cpu: " + Simd.describe();
    }

    @Override
    public void matmul(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c) {
        Gemm.matmul(transA, transB, m, n, k, a, b, c);
    }

    @Override
    public void convForward(ConvGeometry g, float[] x, float[] w, float[] y) {
        Conv.forward(g, x, w, y);
    }

    @Override
    public void convInputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        Conv.inputGrad(g, dy, w, dx);
    }

    @Override
    public void convWeightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        Conv.weightGrad(g, x, dy, dw);
    }
}
