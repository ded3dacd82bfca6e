package wgan.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import java.util.ArrayList;
import java.util.Arrays;
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
 * CPU may have changed it since), except an array that an open {@link #keepOnDevice} scope names:
 * the weights, put once per scope instead of at every product of a forward and backward pass,
 * and the gradient coming into a convolution's backward rule, put once for its two products.
 *
 * <p>Aparapi ties a device buffer to a kernel's array field and replaces it (copying the array
 * anew) whenever the field is set to another array; so each kept array has kernels of its own,
 * one per side of a product it is used on, whose field for it never changes.
 */
final class OpenClDevice implements Device {
    /** Where the kept arrays are used on the left of a product, and where on the right. */
    private static final int LEFT = 0, RIGHT = 1;

    /**
     * Scopes after which an array none of them named is forgotten, its kernels and buffers freed:
     * a training run names its weights every iteration, a few dozen scopes apart at most, so only
     * the weights of a model no longer trained (a finished run of a sweep) go.
     */
    static final int FORGET_AFTER = 1000;

    private final OpenCLDevice device;
    /** Runs the products that no kept array takes part in. */
    private final GemmKernel kernel = newKernel();
    /** The arrays scopes have named and not yet forgotten, by identity. */
    private final Map<float[], Kept> kept = new IdentityHashMap<>();
    private long scopesOpened;
    /** Bytes put on the device and got from it, whole arrays as Aparapi moves them. */
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

    private static GemmKernel newKernel() {
        GemmKernel k = new GemmKernel();
        k.setExplicit(true);
        return k;
    }

    /** An array that scopes name: its kernels, one per side, each with its own copy on the device. */
    private static final class Kept {
        final GemmKernel[] kernels = new GemmKernel[2];
        /** Whether the copy of kernels[side] was put since the last scope naming the array opened. */
        final boolean[] current = new boolean[2];
        /** How many open scopes name the array; while none does, it is put at every product as any operand. */
        int scopes;
        /** The number of the last scope that named it. */
        long lastNamed;

        GemmKernel kernel(int side) {
            if (kernels[side] == null) kernels[side] = newKernel();
            return kernels[side];
        }

        /** Whether the array must be put for a product on {@code side}: the first since a scope naming it opened. */
        boolean putOnce(int side) {
            boolean put = !current[side];
            current[side] = true;
            return put;
        }
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
                transB ? GemmKernel.TRANSPOSED : GemmKernel.DENSE, c, null, false);
    }

    /** Y (pixels x outC) = cols(x) W^T. */
    @Override
    public void convForward(ConvGeometry g, float[] x, float[] w, float[] y) {
        multiply(g.batch() * g.outH() * g.outW(), g.outC(), g.kH() * g.kW() * g.inC(),
                x, GemmKernel.IM2COL, w, GemmKernel.TRANSPOSED, y, g, false);
    }

    /** dX (input pixels x inC) = taps(dy) W', with W' the weights as (ky, kx, o) x i. */
    @Override
    public void convInputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        multiply(g.batch() * g.inH() * g.inW(), g.inC(), g.kH() * g.kW() * g.outC(),
                dy, GemmKernel.OUTPUT_TAPS, w, GemmKernel.WEIGHT_TAPS, dx, g, false);
    }

    /**
     * dW (outC x taps) = dY^T cols(x), with dY on the left, where the input gradient has it; or,
     * when a scope keeps x and not a larger dY, as dW^T = cols(x)^T dY, with x on the left, where
     * the forward pass has it: a transposed convolution's backward rule keeps its gradient, which
     * is x here.
     */
    @Override
    public synchronized void convWeightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        int taps = g.kH() * g.kW() * g.inC(), pixels = g.batch() * g.outH() * g.outW();
        Kept keptX = keptNow(x), keptDy = keptNow(dy);
        if (keptX != null && (keptDy == null || x.length > dy.length)) {
            multiply(taps, g.outC(), pixels, x, GemmKernel.IM2COL_TRANSPOSED, dy, GemmKernel.DENSE, dw, g, true);
        } else {
            multiply(g.outC(), taps, pixels, dy, GemmKernel.TRANSPOSED, x, GemmKernel.IM2COL, dw, g, false);
        }
    }

    /** out = left right (m x n), or its transpose (n x m) when {@code outTransposed}. */
    private synchronized void multiply(int m, int n, int k, float[] left, int leftLayout, float[] right, int rightLayout,
                                       float[] out, ConvGeometry g, boolean outTransposed) {
        if (m == 0 || n == 0) return;
        Kept keptLeft = keptNow(left), keptRight = keptNow(right);
        // A product runs on one kept array's kernels (see the class comment): with both kept, the
        // larger stays on the device and the other is put as any operand.
        if (keptLeft != null && keptRight != null) {
            if (left.length >= right.length) keptRight = null;
            else keptLeft = null;
        }
        GemmKernel kernel = keptLeft != null ? keptLeft.kernel(LEFT) : keptRight != null ? keptRight.kernel(RIGHT) : this.kernel;
        kernel.left = left;
        kernel.right = right;
        kernel.out = out;
        kernel.m = m;
        kernel.n = n;
        kernel.k = k;
        kernel.leftLayout = leftLayout;
        kernel.rightLayout = rightLayout;
        kernel.outTransposed = outTransposed ? 1 : 0;
        if (g != null) kernel.setGeometry(g);
        if (keptLeft == null || keptLeft.putOnce(LEFT)) put(kernel, left);
        if (keptRight == null || keptRight.putOnce(RIGHT)) put(kernel, right);
        run(device, kernel, device.createRange2D(roundUp(n), roundUp(m), GemmKernel.TILE, GemmKernel.TILE));
        kernel.get(out);
        bytesGot += Float.BYTES * (long) out.length;
    }

    private void put(GemmKernel kernel, float[] array) {
        kernel.put(array);
        bytesPut += Float.BYTES * (long) array.length;
    }

    /** What scopes keep of {@code array} while one of them is open; null when none is. */
    private Kept keptNow(float[] array) {
        Kept k = kept.get(array);
        return k != null && k.scopes > 0 ? k : null;
    }

    @Override
    public synchronized Residency keepOnDevice(List<float[]> arrays) {
        long scope = ++scopesOpened;
        List<Kept> named = new ArrayList<>();
        for (float[] array : arrays) {
            Kept k = kept.computeIfAbsent(array, a -> new Kept());
            k.scopes++;
            k.lastNamed = scope;
            Arrays.fill(k.current, false);
            named.add(k);
        }
        kept.values().removeIf(k -> {
            boolean forgotten = k.scopes == 0 && scope - k.lastNamed > FORGET_AFTER;
            if (forgotten) {
                for (GemmKernel g : k.kernels) if (g != null) g.dispose();
            }
            return forgotten;
        });
        return new Residency() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (OpenClDevice.this) {
                    if (closed) return;
                    closed = true;
                    for (Kept k : named) k.scopes--;
                }
            }
        };
    }

    /** How many arrays the device keeps kernels for, named by an open scope or not yet forgotten. */
    synchronized int keptArrays() {
        return kept.size();
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
