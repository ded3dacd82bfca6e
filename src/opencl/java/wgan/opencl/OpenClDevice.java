package wgan.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import wgan.kernels.ConvGeometry;
import wgan.kernels.Device;
import wgan.kernels.Simd;

/**
 * An OpenCL device running the layers' GEMMs and convolutions as {@link GemmKernel}. Buffers are
 * managed explicitly: each call puts its two operands on the device and gets its output back,
 * and nothing else crosses (a convolution's im2col matrix is never stored anywhere). The
 * element-wise ops, batch norm and the optimiser stay on the CPU, so every operand is put again
 * at each call: the CPU may have changed it since.
 */
final class OpenClDevice implements Device {
    private final OpenCLDevice device;
    private final GemmKernel kernel = new GemmKernel();
    /** Bytes put on the device and got from it, whole arrays as Aparapi moves them. */
    private long bytesPut, bytesGot;

    OpenClDevice(OpenCLDevice device) {
        this.device = device;
        kernel.setExplicit(true);
    }

    static String name(OpenCLDevice d) {
        return d.getName().trim() + " (" + d.getOpenCLPlatform().getName().trim() + ", " + d.getType() + ")";
    }

    @Override
    public String describe() {
        return "opencl: " + name(device) + "; on it: matmul, conv forward, conv input gradient, conv weight gradient "
                + "(tiled GEMM, " + GemmKernel.TILE + " x " + GemmKernel.TILE + " work-groups); the rest on the cpu: " + Simd.describe();
    }

    @Override
    public void matmul(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c) {
        multiply(m, n, k, a, transA ? GemmKernel.TRANSPOSED : GemmKernel.DENSE, b,
                transB ? GemmKernel.TRANSPOSED : GemmKernel.DENSE, c, null);
    }

    /** Y (pixels x outC) = cols(x) W^T. */
    @Override
    public void convForward(ConvGeometry g, float[] x, float[] w, float[] y) {
        multiply(g.batch() * g.outH() * g.outW(), g.outC(), g.kH() * g.kW() * g.inC(),
                x, GemmKernel.IM2COL, w, GemmKernel.TRANSPOSED, y, g);
    }

    /** dX (input pixels x inC) = taps(dy) W', with W' the weights as (ky, kx, o) x i. */
    @Override
    public void convInputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        multiply(g.batch() * g.inH() * g.inW(), g.inC(), g.kH() * g.kW() * g.outC(),
                dy, GemmKernel.OUTPUT_TAPS, w, GemmKernel.WEIGHT_TAPS, dx, g);
    }

    /** dW (outC x taps) = dY^T cols(x). */
    @Override
    public void convWeightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        multiply(g.outC(), g.kH() * g.kW() * g.inC(), g.batch() * g.outH() * g.outW(),
                dy, GemmKernel.TRANSPOSED, x, GemmKernel.IM2COL, dw, g);
    }

    private synchronized void multiply(int m, int n, int k, float[] left, int leftLayout, float[] right, int rightLayout,
                                       float[] out, ConvGeometry g) {
        if (m == 0 || n == 0) return;
        kernel.left = left;
        kernel.right = right;
        kernel.out = out;
        kernel.m = m;
        kernel.n = n;
        kernel.k = k;
        kernel.leftLayout = leftLayout;
        kernel.rightLayout = rightLayout;
        if (g != null) kernel.setGeometry(g);
        kernel.put(left).put(right);
        bytesPut += Float.BYTES * ((long) left.length + right.length);
        run(device, kernel, device.createRange2D(roundUp(n), roundUp(m), GemmKernel.TILE, GemmKernel.TILE));
        kernel.get(out);
        bytesGot += Float.BYTES * (long) out.length;
    }

    @Override
    public synchronized Transfers transfers() {
        return new Transfers(bytesPut, bytesGot);
    }

    /**
     * Runs {@code kernel} on {@code device}, or fails. Aparapi runs a kernel it cannot run on the
     * device in Java threads instead, saying so only in a log line (with assertions enabled, it
     * then fails an assertion): either is an error here, never a silent fallback to the CPU.
     */
    static void run(OpenCLDevice device, Kernel kernel, Range range) {
        try {
            kernel.execute(range);
        } catch (AssertionError e) {
            throw fellBack(device, kernel, e.getMessage());
        }
        if (!kernel.isRunningCL()) throw fellBack(device, kernel, "it ran in " + kernel.getExecutionMode());
    }

    private static IllegalStateException fellBack(OpenCLDevice device, Kernel kernel, String what) {
        return new IllegalStateException("the OpenCL kernel " + kernel.getClass().getSimpleName() + " did not run on "
                + name(device) + " (" + what + "); Aparapi's log above says why");
    }

    private static int roundUp(int size) {
        return Math.ceilDiv(size, GemmKernel.TILE) * GemmKernel.TILE;
    }
}
