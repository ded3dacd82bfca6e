package wgan.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aparapi.device.OpenCLDevice;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import wgan.kernels.ConvGeometry;
import wgan.kernels.CpuDevice;
import wgan.kernels.Device;

/**
 * What crosses to the OpenCL device: each operand once per product, outputs only at their kernel's
 * first launch, and weights kept by {@link Device#keepOnDevice} scopes once per scope and kernel
 * while the kernel holds them; every product still the CPU's.
 */
class OpenClResidencyTest {
    /** Of a small convolution: 2 images 6 x 6 x 3, 4 output channels, 3 x 3 kernels at stride 2. */
    private static final ConvGeometry G = ConvGeometry.conv(2, 6, 6, 3, 4, 3, 3, 2, ConvGeometry.Padding.SAME);
    /** Rows of the products that read the weights w as a dense matrix, 4 x 27 (a Dense layer's kernel). */
    private static final int ROWS = 5, TAPS = 27;

    /** A device of its own for each test, so that what one keeps is not another's. */
    private OpenClDevice device;

    @BeforeEach
    void open() {
        OpenCLDevice d = OpenCLDevice.listDevices(null).get(0);
        // Shared memory, Aparapi's default, lets PoCL's kernels read the Java arrays in place, so
        // a copy that was not put again would not show; a GPU holds copies of its own, as this does.
        d.setSharedMemory(false);
        device = new OpenClDevice(d);
    }

    /** Back to Aparapi's default: the listed device objects are shared with the other tests. */
    @AfterEach
    void restoreSharedMemory() {
        OpenCLDevice.listDevices(null).get(0).setSharedMemory(true);
    }

    /** The weights w and the other operands of the products that read them; small integers, so that sums are exact. */
    private final class Operands {
        final float[] w = integers(G.weightSize()), x = integers(G.inputSize()), dy = integers(G.outputSize());
        final float[] a = integers(ROWS * TAPS), b = integers(TAPS * ROWS);
        private static final SplittableRandom RANDOM = new SplittableRandom(24);

        private static float[] integers(int size) {
            float[] v = new float[size];
            for (int i = 0; i < size; i++) v[i] = RANDOM.nextInt(-3, 4);
            return v;
        }

        /** Conv forward, conv input gradient and a dense product with w on the right, each checked against the CPU. */
        void rightProducts() {
            check(G.outputSize(), (d, out) -> d.convForward(G, x, w, out));
            check(G.inputSize(), (d, out) -> d.convInputGrad(G, dy, w, out));
            check(ROWS * G.outC(), (d, out) -> d.matmul(false, true, ROWS, G.outC(), TAPS, a, w, out));
        }

        /** w^T b, w on the left. */
        void leftProduct() {
            check(TAPS * ROWS, (d, out) -> d.matmul(true, false, TAPS, ROWS, G.outC(), w, b, out));
        }

        long bytes(float[]... arrays) {
            long n = 0;
            for (float[] v : arrays) n += Float.BYTES * (long) v.length;
            return n;
        }
    }

    @FunctionalInterface
    private interface Product { void run(Device d, float[] out); }

    /** The product on the OpenCL device equals the CPU's: the operands are small integers, so any order of summing is exact. */
    private void check(int size, Product p) {
        float[] want = new float[size], got = new float[size];
        p.run(CpuDevice.INSTANCE, want);
        p.run(device, got);
        assertArrayEquals(want, got);
    }

    private long put() {
        return device.transfers().put();
    }

    /** Products on new operand arrays, with outputs of lengths the device has seen: each operand crosses once, by Aparapi's copy as its field is pointed at it. */
    @Test
    void eachOperandCrossesOnceAndAnOutputOnlyAtItsKernelsFirstLaunch() {
        Operands o = new Operands();
        long before = put();
        check(G.outputSize(), (d, out) -> d.convForward(G, o.x, o.w, out));
        assertEquals(o.bytes(o.x, o.w) + Float.BYTES * G.outputSize(), put() - before, "the new kernel's output copied once");
        assertEquals(1, device.kernels());
        Operands other = new Operands();
        before = put();
        check(G.outputSize(), (d, out) -> d.convForward(G, other.x, other.w, out));
        check(G.outputSize(), (d, out) -> d.convForward(G, o.x, o.w, out));
        assertEquals(other.bytes(other.x, other.w) + o.bytes(o.x, o.w), put() - before, "operands only, each once");
        assertEquals(1, device.kernels(), "one kernel per length of output");
    }

    @Test
    void aKeptArrayIsPutOncePerScopeWhileItsKernelHoldsIt() {
        Operands o = new Operands();
        o.rightProducts();
        long before = put();
        try (var scope = device.keepOnDevice(List.of(o.w))) {
            o.rightProducts();
            assertEquals(o.bytes(o.w, o.x, o.w, o.dy, o.w, o.a), put() - before, "w put at its first product of each kernel");
            before = put();
            o.rightProducts();
            o.rightProducts();
            assertEquals(2 * o.bytes(o.x, o.dy, o.a), put() - before, "w not put again");
            before = put();
            // Another product with the forward's output length points its kernel's right field elsewhere.
            Operands other = new Operands();
            check(G.outputSize(), (d, out) -> d.convForward(G, other.x, other.w, out));
            check(G.outputSize(), (d, out) -> d.convForward(G, o.x, o.w, out));
            assertEquals(other.bytes(other.x, other.w) + o.bytes(o.x, o.w), put() - before, "w sent again where its field was taken");
        }
    }

    @Test
    void aNewScopeTakesTheWeightsTheHostChangedBetweenScopes() {
        Operands o = new Operands();
        try (var scope = device.keepOnDevice(List.of(o.w))) {
            o.rightProducts();
            o.leftProduct();
        }
        // The optimiser's step, between scopes.
        for (int i = 0; i < o.w.length; i++) o.w[i] += 1;
        long before = put();
        try (var scope = device.keepOnDevice(List.of(o.w))) {
            o.rightProducts();
            o.leftProduct();
        }
        assertEquals(o.bytes(o.w, o.x, o.w, o.dy, o.w, o.a, o.w, o.b), put() - before, "w put again at each kernel");
    }

    @Test
    void outsideAScopeEveryOperandIsPutAtEveryProduct() {
        Operands o = new Operands();
        device.keepOnDevice(List.of(o.w)).close();
        o.rightProducts();
        o.leftProduct();
        long before = put();
        o.rightProducts();
        o.leftProduct();
        assertEquals(o.bytes(o.w, o.x, o.w, o.dy, o.a, o.w, o.w, o.b), put() - before);
    }

    @Test
    void anArrayIsKeptWhileAnyScopeNamesItAndPutAgainWhenOneOpens() {
        Operands o = new Operands(), other = new Operands();
        o.rightProducts();
        long before = put();
        try (var outer = device.keepOnDevice(List.of(o.w))) {
            o.rightProducts();
            try (var inner = device.keepOnDevice(List.of(other.w, o.w))) {
                o.rightProducts();
                other.rightProducts();
            }
            o.rightProducts();
            long operands = o.bytes(o.x, o.dy, o.a);
            // w put at each of the 3 kernels when the outer scope opened, again when the inner one
            // did, and again after other's w took the kernels' right fields.
            assertEquals(3 * operands + 9 * o.bytes(o.w) + other.bytes(other.w, other.x, other.w, other.dy, other.w, other.a),
                    put() - before);
            assertEquals(1, device.keptArrays(), "the outer scope still names w");
        }
        assertEquals(0, device.keptArrays(), "no scope names an array any more");
    }
}
