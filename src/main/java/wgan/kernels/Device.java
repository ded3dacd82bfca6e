package wgan.kernels;

/**
 * Where the layers' GEMMs and convolutions run: every matrix product and convolution of
 * {@code wgan.autodiff.Ops} goes through the {@link Devices#current() current} device. The CPU
 * device ({@link CpuDevice}) runs the kernels of this package; another backend (the OpenCL one
 * of wgan-opencl.jar) is found at run time through {@link DeviceBackend}. The functions are those
 * of {@link Gemm#matmul} and {@link Conv}, with the same layouts; outputs are overwritten.
 */
public interface Device {
    /** The device and which kernels run on it, as a run prints it. */
    String describe();

    /** C (m x n) = op(A) op(B), dense, as {@link Gemm#matmul}. */
    void matmul(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c);

    /** {@link Conv#forward}. */
    void convForward(ConvGeometry g, float[] x, float[] w, float[] y);

    /** {@link Conv#inputGrad}: the transposed convolution. */
    void convInputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx);

    /** {@link Conv#weightGrad}. */
    void convWeightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw);
}
