package wgan.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import wgan.kernels.ConvGeometry;
import wgan.kernels.Device;
import wgan.kernels.Simd;

/**
 * An OpenCL device running the layers' GEMMs and convolutions as {@link GemmKernel}. Buffers are
 * managed explicitly: a call puts its operands on the device and gets its output back, and
 * nothing else crosses (a convolution's im2col matrix is never stored anywhere). The element-wise
 * ops, batch norm and the optimiser stay on the CPU, so an operand is put again at each call (the
 * CPU may have changed it since), except an array that an open {@link #keepOnDevice} scope names
 * (a model's weights), which is not put again while the kernel that last took it still holds it.
 *
 * <p>Aparapi ties a device buffer to each array field of a kernel and makes it anew whenever the
 * field points to another array, copying the array into it (on a device with memory of its own),
 * even an output the kernel only writes. So each length of output has a kernel of its own whose
 * output array never changes (results are copied from it on the host), and an operand whose field
 * is pointed at it is not put as well: Aparapi's copy is the put. A run's products recur with the
 * same shapes, so each finds its kernel holding what it last ran on, the weights among it.
 */
final class OpenClDevice implements Device {
    private final OpenCLDevice device;
    /** The kernels, one per length of output. */
    private final Map<Integer, GemmKernel> byOutputLength = new HashMap<>();
    /** The arrays that open scopes name, by identity. */
    private final Map<float[], Kept> kept = new IdentityHashMap<>();
    /** How many scopes have opened: the time at which arrays are named and sent. */
    private long scopesOpened;
    /**
     * Bytes put on the device and got from it, whole arrays, counting the copies Aparapi makes of
     * arrays its fields newly point to; on a device sharing the host's memory (PoCL), what a device
     * with memory of its own would move.
     */
    private long bytesPut, bytesGot;

    OpenClDevice(OpenCLDevice device) {
        this.device = device;
        useOwnMemoryIfGpu(device);
    }

    /**
     * Aparapi takes every device for one that shares the host's memory unless told otherwise, and
     * then wraps the Java arrays in place (CL_MEM_USE_HOST_PTR): a discrete GPU would read them
     * across its bus. A GPU gets buffers in its own memory, copied by the puts and gets; a CPU
     * device (PoCL) keeps reading the arrays in place, which is right for it.
     */
    static void useOwnMemoryIfGpu(OpenCLDevice device) {
        if (device.getType() == com.aparapi.device.Device.TYPE.GPU) device.setSharedMemory(false);
    }

    /** An array named by open scopes. */
    private static final class Kept {
        /** How many open scopes name it. */
        int scopes;
        /** When the last scope naming it opened: a copy sent before then may be stale. */
        long namedAt;
    }

    static String name(OpenCLDevice d) {
        return d.getName().trim() + " (" + d.getOpenCLPlatform().getName().trim() + ", " + d.getType() + ")";
    }

    @Override
    public String describe() {
        return "opencl: " + name(device) + "; on it: matmul, conv forward, conv input gradient, conv weight gradient "
                + "(tiled GEMM, " + GemmKernel.TILE + " x " + GemmKernel.TILE + " work-groups; "
                + (device.isSharedMemory() ? "arrays read in place, in memory shared with the host" : "arrays copied to its own memory")
                + "); the rest on the cpu: " + Simd.describe();
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

    /** out (m x n) = left right. */
    private synchronized void multiply(int m, int n, int k, float[] left, int leftLayout, float[] right, int rightLayout,
                                       float[] out, ConvGeometry g) {
        if (m == 0 || n == 0) return;
        GemmKernel kernel = byOutputLength.computeIfAbsent(out.length, this::newKernel);
        kernel.m = m;
        kernel.n = n;
        kernel.k = k;
        kernel.leftLayout = leftLayout;
        kernel.rightLayout = rightLayout;
        if (g != null) kernel.setGeometry(g);
        send(kernel, GemmKernel.LEFT, left);
        send(kernel, GemmKernel.RIGHT, right);
        run(device, kernel, device.createRange2D(roundUp(n), roundUp(m), GemmKernel.TILE, GemmKernel.TILE));
        kernel.get(kernel.out);
        System.arraycopy(kernel.out, 0, out, 0, out.length);
        bytesGot += Float.BYTES * (long) out.length;
    }

    /** A kernel with an output array of its own, which Aparapi copies to the device at its first launch. */
    private GemmKernel newKernel(int outputLength) {
        GemmKernel kernel = new GemmKernel(outputLength);
        kernel.setExplicit(true);
        bytesPut += Float.BYTES * (long) outputLength;
        return kernel;
    }

    /**
     * Makes {@code array} the kernel's {@code operand} on the device: Aparapi copies it when the
     * field pointed elsewhere, and otherwise it is put, unless a scope keeps it and it was sent
     * to this field since the last scope naming it opened. (Aparapi also makes a buffer anew when
     * the garbage collector has moved its array; that copy is not counted.)
     */
    private void send(GemmKernel kernel, int operand, float[] array) {
        boolean repointed = kernel.pointTo(operand, array);
        Kept k = kept.get(array);
        boolean current = !repointed && k != null && kernel.sentAt(operand) >= k.namedAt;
        if (current) return;
        if (!repointed) kernel.put(array);
        kernel.sent(operand, scopesOpened);
        bytesPut += Float.BYTES * (long) array.length;
    }

    @Override
    public synchronized Residency keepOnDevice(List<float[]> arrays) {
        long scope = ++scopesOpened;
        List<float[]> named = List.copyOf(arrays);
        for (float[] array : named) {
            Kept k = kept.computeIfAbsent(array, a -> new Kept());
            k.scopes++;
            k.namedAt = scope;
        }
        return new Residency() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (OpenClDevice.this) {
                    if (closed) return;
                    closed = true;
                    for (float[] array : named) {
                        Kept k = kept.get(array);
                        if (--k.scopes == 0) kept.remove(array);
                    }
                }
            }
        };
    }

    /** How many arrays open scopes name. */
    synchronized int keptArrays() {
        return kept.size();
    }

    /** How many kernels the device has made: one per length of output. */
    synchronized int kernels() {
        return byOutputLength.size();
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
