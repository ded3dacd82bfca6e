package wgan.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import wgan.kernels.ConvGeometry;
import wgan.kernels.Device;
import wgan.kernels.Simd;

/**
 * An OpenCL device running the layers' GEMMs and convolutions as {@link GemmKernel}. Buffers are
 * managed explicitly: a call puts its operands on the device and gets its output back, and
 * nothing else crosses (a convolution's im2col matrix is never stored anywhere). The element-wise
 * ops, batch norm and the optimiser stay on the CPU, so each product's output crosses back and
 * each new operand crosses there; but inside a {@link #pass} the caller writes nothing a product
 * read, so an operand the device still holds is not put again: the weights at each of their
 * products, a layer's input at its weight gradient, an output gradient at the second of the
 * layer's two backward products.
 *
 * <p>Aparapi ties a device buffer to each array field of a kernel and makes it anew whenever the
 * field points to another array, copying the array into it (on a device with memory of its own),
 * even an output the kernel only writes. So the products that share arrays share a kernel: a
 * layer's three products (a {@link GemmKernel} family), found by the convolution's geometry or
 * by the three sizes of a matrix product. Each slot's output array is the kernel's own and never
 * changes (results are copied from it on the host), and an operand whose field is pointed at it is
 * not put as well: Aparapi's copy is the put. A run's products recur with the same shapes, so each
 * finds its kernel holding what it last ran on.
 */
final class OpenClDevice implements Device {
    private final OpenCLDevice device;
    /** The kernels, one per family of products: by {@link ConvGeometry}, or by {@link MatmulSizes}. */
    private final Map<Object, GemmKernel> byFamily = new HashMap<>();
    /** How many passes are open, and the number of the newest outermost one (0: none yet). */
    private int openPasses;
    private long pass;
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

    /** The slots of a convolution's family: its input, its weights and its output (see GemmKernel). */
    private static final int X = 0, W = 1, Y = 2;
    /** The slots {left, right, out} of a convolution's three products. */
    private static final int[] FORWARD = {X, W, Y}, INPUT_GRADIENT = {Y, W, X}, WEIGHT_GRADIENT = {Y, X, W};

    /**
     * A matrix product's family: its three sizes in increasing order, d0 &lt;= d1 &lt;= d2. A
     * layer's three products are m x k times k x n in three arrangements of the same sizes (for a
     * dense layer: batch, inputs, outputs), and each matrix lacks one size: slot i holds the
     * matrix without d_i.
     */
    record MatmulSizes(int d0, int d1, int d2) {
        static MatmulSizes of(int m, int n, int k) {
            int[] d = {m, n, k};
            Arrays.sort(d);
            return new MatmulSizes(d[0], d[1], d[2]);
        }

        int size(int slot) {
            return slot == 0 ? d0 : slot == 1 ? d1 : d2;
        }

        /** The lengths of the slots' matrices. */
        int[] lengths() {
            return new int[] {d1 * d2, d0 * d2, d0 * d1};
        }
    }

    @Override
    public void matmul(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c) {
        MatmulSizes family = MatmulSizes.of(m, n, k);
        multiply(family, null, m, n, k, a, transA ? GemmKernel.TRANSPOSED : GemmKernel.DENSE, b,
                transB ? GemmKernel.TRANSPOSED : GemmKernel.DENSE, c);
    }

    /** Y (pixels x outC) = cols(x) W^T. */
    @Override
    public void convForward(ConvGeometry g, float[] x, float[] w, float[] y) {
        multiply(g, FORWARD, g.batch() * g.outH() * g.outW(), g.outC(), g.kH() * g.kW() * g.inC(),
                x, GemmKernel.IM2COL, w, GemmKernel.TRANSPOSED, y);
    }

    /** dX (input pixels x inC) = taps(dy) W', with W' the weights as (ky, kx, o) x i. */
    @Override
    public void convInputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        multiply(g, INPUT_GRADIENT, g.batch() * g.inH() * g.inW(), g.inC(), g.kH() * g.kW() * g.outC(),
                dy, GemmKernel.OUTPUT_TAPS, w, GemmKernel.WEIGHT_TAPS, dx);
    }

    /** dW (outC x taps) = dY^T cols(x). */
    @Override
    public void convWeightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        multiply(g, WEIGHT_GRADIENT, g.outC(), g.kH() * g.kW() * g.inC(), g.batch() * g.outH() * g.outW(),
                dy, GemmKernel.TRANSPOSED, x, GemmKernel.IM2COL, dw);
    }

    /**
     * out (m x n) = left right, on the kernel of {@code family}: left and right read from, and out
     * written to, the given slots, or (a matrix product, {@code slots} null) the slots of the
     * sizes each lacks.
     */
    private synchronized void multiply(Object family, int[] slots, int m, int n, int k,
                                       float[] left, int leftLayout, float[] right, int rightLayout, float[] out) {
        if (m == 0 || n == 0) return;
        GemmKernel kernel = byFamily.computeIfAbsent(family, OpenClDevice::newKernel);
        if (slots == null) slots = matmulSlots((MatmulSizes) family, kernel, m, n, k, left, right);
        kernel.m = m;
        kernel.n = n;
        kernel.k = k;
        kernel.leftLayout = leftLayout;
        kernel.rightLayout = rightLayout;
        kernel.leftSlot = slots[0];
        kernel.rightSlot = slots[1];
        kernel.outSlot = slots[2];
        if (family instanceof ConvGeometry g) kernel.setGeometry(g);
        send(kernel, slots[0], left);
        send(kernel, slots[1], right);
        if (!kernel.launched()) bytesPut += Float.BYTES * kernel.firstLaunchFloats();
        run(device, kernel, device.createRange2D(roundUp(n), roundUp(m), GemmKernel.TILE, GemmKernel.TILE));
        kernel.markLaunched();
        float[] result = kernel.output(slots[2]);
        kernel.get(result);
        System.arraycopy(result, 0, out, 0, out.length);
        bytesGot += Float.BYTES * (long) out.length;
    }

    /** A family's kernel, with an output array as long as each of its slots' matrices. */
    private static GemmKernel newKernel(Object family) {
        int[] lengths = family instanceof ConvGeometry g ? new int[] {g.inputSize(), g.weightSize(), g.outputSize()}
                : ((MatmulSizes) family).lengths();
        GemmKernel kernel = new GemmKernel(lengths);
        kernel.setExplicit(true);
        return kernel;
    }

    /**
     * The slots {left, right, out} of a matrix product: left (m x k) lacks n, right (k x n) lacks
     * m, out lacks k. Where sizes are equal, more than one arrangement fits: the one that finds
     * more operands where they are, and then the one that displaces fewer held in the open pass.
     */
    private int[] matmulSlots(MatmulSizes family, GemmKernel kernel, int m, int n, int k, float[] left, float[] right) {
        int[] best = null;
        int bestScore = Integer.MIN_VALUE;
        for (int[] slots : ARRANGEMENTS) {
            if (family.size(slots[0]) != n || family.size(slots[1]) != m || family.size(slots[2]) != k) continue;
            int score = 0;
            for (int i = 0; i < 2; i++) {
                if (kernel.operand(slots[i]) == (i == 0 ? left : right)) score += 2;
                else if (sentInThisPass(kernel, slots[i])) score -= 1;
            }
            if (score > bestScore) {
                best = slots;
                bestScore = score;
            }
        }
        return best;
    }

    private boolean sentInThisPass(GemmKernel kernel, int slot) {
        return openPasses > 0 && kernel.sentInPass(slot) == pass;
    }

    /** The orders of the three slots. */
    private static final int[][] ARRANGEMENTS = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};

    /**
     * Makes {@code array} the operand in {@code slot} on the device: Aparapi copies it when the
     * field pointed elsewhere, and otherwise it is put, unless it was sent in the open pass. (Aparapi
     * also makes a buffer anew when the garbage collector has moved its array; that copy is not
     * counted.)
     */
    private void send(GemmKernel kernel, int slot, float[] array) {
        boolean repointed = kernel.pointTo(slot, array);
        if (!repointed && sentInThisPass(kernel, slot)) return;
        if (!repointed) kernel.put(array);
        kernel.sent(slot, openPasses > 0 ? pass : NO_PASS);
        bytesPut += Float.BYTES * (long) array.length;
    }

    /** What an array sent outside passes is sent in: no pass's number. */
    private static final long NO_PASS = 0;

    @Override
    public synchronized Pass pass() {
        if (openPasses++ == 0) pass++;
        return new Pass() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (OpenClDevice.this) {
                    if (closed) return;
                    closed = true;
                    openPasses--;
                }
            }
        };
    }

    /** How many kernels the device has made: one per family of products. */
    synchronized int kernels() {
        return byFamily.size();
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
