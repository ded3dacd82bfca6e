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
 * Weights kept on the OpenCL device by {@link Device#keepOnDevice} scopes: put once per scope (and
 * side of a product), put again when a new scope opens, and every product still the CPU's.
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

    @Test
    void aKeptArrayIsPutOncePerScopeForEachSideItIsUsedOn() {
        Operands o = new Operands();
        long before = put();
        try (var scope = device.keepOnDevice(List.of(o.w))) {
            o.rightProducts();
            assertEquals(o.bytes(o.w, o.x, o.dy, o.a), put() - before, "w put at its first product only");
            o.rightProducts();
            assertEquals(o.bytes(o.w, o.x, o.dy, o.a, o.x, o.dy, o.a), put() - before, "w not put again");
            before = put();
            o.leftProduct();
            o.leftProduct();
            assertEquals(o.bytes(o.w, o.b, o.b), put() - before, "w put once more, on the left");
        }
    }

    /** A backward rule keeps its gradient while the trainer keeps the weights: one product, two kept arrays. */
    @Test
    void ofTwoKeptOperandsTheLargerIsPutOnceAndTheOtherAtEveryProduct() {
        Operands o = new Operands();
        long before = put();
        try (var weights = device.keepOnDevice(List.of(o.w)); var gradient = device.keepOnDevice(List.of(o.dy, o.b))) {
            // dy (72 floats) on the left, w (108) on the right: w stays.
            check(G.inputSize(), (d, out) -> d.convInputGrad(G, o.dy, o.w, out));
            check(G.inputSize(), (d, out) -> d.convInputGrad(G, o.dy, o.w, out));
            assertEquals(o.bytes(o.w, o.dy, o.dy), put() - before, "w put once, dy at each product");
            before = put();
            // w on the left, b (135) on the right: b stays.
            o.leftProduct();
            o.leftProduct();
            assertEquals(o.bytes(o.w, o.w, o.b), put() - before, "b put once, w at each product");
        }
    }

    /**
     * A transposed convolution's backward rule keeps its gradient, which is x of the convolution
     * forward and weight gradient it runs: the weight gradient then runs transposed, x on the
     * left as in the forward product, so x is put once for both.
     */
    @Test
    void aKeptInputIsPutOnceForTheForwardProductAndTheWeightGradient() {
        Operands o = new Operands();
        long before = put();
        try (var gradient = device.keepOnDevice(List.of(o.x))) {
            check(G.outputSize(), (d, out) -> d.convForward(G, o.x, o.w, out));
            check(G.weightSize(), (d, out) -> d.convWeightGrad(G, o.x, o.dy, out));
            assertEquals(o.bytes(o.x, o.w, o.dy), put() - before, "x put once");
        }
        before = put();
        check(G.weightSize(), (d, out) -> d.convWeightGrad(G, o.x, o.dy, out));
        assertEquals(o.bytes(o.x, o.dy), put() - before, "outside the scope, both put");
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
        try (var scope = device.keepOnDevice(List.of(o.w))) {
            o.rightProducts();
            o.leftProduct();
        }
    }

    @Test
    void outsideAScopeEveryOperandIsPutAtEveryProduct() {
        Operands o = new Operands();
        device.keepOnDevice(List.of(o.w)).close();
        long before = put();
        o.rightProducts();
        o.leftProduct();
        assertEquals(o.bytes(o.w, o.x, o.w, o.dy, o.a, o.w, o.w, o.b), put() - before);
    }

    @Test
    void anArrayIsKeptWhileAnyScopeNamesItAndPutAgainWhenOneOpens() {
        Operands o = new Operands(), other = new Operands();
        long before = put();
        try (var outer = device.keepOnDevice(List.of(o.w))) {
            o.rightProducts();
            try (var inner = device.keepOnDevice(List.of(other.w, o.w))) {
                o.rightProducts();
                other.rightProducts();
            }
            o.rightProducts();
            long operands = o.bytes(o.x, o.dy, o.a);
            assertEquals(3 * operands + o.bytes(o.w, o.w) + other.bytes(other.w, other.x, other.dy, other.a), put() - before,
                    "w put when each scope opened, and kept by the outer one after the inner one closed");
        }
    }

    @Test
    void anArrayNoScopeNamedForLongIsForgottenAndKeptAnewWhenNamedAgain() {
        Operands o = new Operands();
        try (var scope = device.keepOnDevice(List.of(o.w))) {
            o.rightProducts();
        }
        for (int i = 0; i < OpenClDevice.FORGET_AFTER; i++) device.keepOnDevice(List.of()).close();
        assertEquals(1, device.keptArrays(), "w kept " + OpenClDevice.FORGET_AFTER + " scopes after its last");
        device.keepOnDevice(List.of()).close();
        assertEquals(0, device.keptArrays(), "w forgotten");
        long before = put();
        try (var scope = device.keepOnDevice(List.of(o.w))) {
            o.rightProducts();
            o.rightProducts();
        }
        assertEquals(o.bytes(o.w, o.x, o.dy, o.a, o.x, o.dy, o.a), put() - before);
    }
}
