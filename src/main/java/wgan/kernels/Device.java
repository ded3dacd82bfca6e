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

    /**
     * Opens a pass (a model's forward and backward passes): until it closes, the caller writes no
     * array that a product inside it reads. So a device with memory of its own may keep what it
     * put and not put it again for a later product of the pass: the weights, a layer's input
     * (read again by its weight gradient) and an output gradient (read by both of a layer's
     * backward products). Passes may nest; the promise holds until the outermost closes, and a
     * copy put before a pass opened is stale, since the caller may have written the array then
     * (the optimiser's step comes between passes). The CPU has nothing to keep.
     */
    default Pass pass() {
        return () -> {};
    }

    /** An open pass; closing it (again: nothing) ends the caller's promise. */
    interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Bytes put on the device and got back from it so far; none for a device that is the CPU.
     * A run divides them by its iterations to say what crosses per iteration.
     */
    default Transfers transfers() {
        return Transfers.NONE;
    }

    /** Bytes moved to ({@code put}) and from ({@code got}) a device. */
    record Transfers(long put, long got) {
        public static final Transfers NONE = new Transfers(0, 0);

        /** What moved between {@code earlier} and this. */
        public Transfers since(Transfers earlier) {
            return new Transfers(put - earlier.put, got - earlier.got);
        }

        public Transfers plus(Transfers more) {
            return new Transfers(put + more.put, got + more.got);
        }
    }
}
