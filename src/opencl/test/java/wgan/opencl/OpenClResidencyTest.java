package wgan.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aparapi.device.OpenCLDevice;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import wgan.kernels.ConvGeometry;
import wgan.kernels.CpuDevice;
import wgan.kernels.Device;

/**
 * What crosses to the OpenCL device: a layer's three products share a kernel, outputs cross only
 * at its first launch, and inside a {@link Device#pass} an operand the kernel holds is put once:
 * the weights, the input at the weight gradient, the output gradient at the second backward
 * product. Every product is still the CPU's.
 */
class OpenClResidencyTest {
    /** A small convolution: 2 images 6 x 6 x 3, 4 output channels, 3 x 3 kernels at stride 2. */
    private static final ConvGeometry G = ConvGeometry.conv(2, 6, 6, 3, 4, 3, 3, 2, ConvGeometry.Padding.SAME);
    /** A dense layer: a batch of 5, 7 inputs, 3 outputs. */
    private static final int BATCH = 5, IN = 7, OUT = 3;

    /** A device of its own for each test, so that what one holds is not another's. */
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

    private static final SplittableRandom RANDOM = new SplittableRandom(24);

    /** Small integers, so that any order of summing is exact. */
    private static float[] integers(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = RANDOM.nextInt(-3, 4);
        return v;
    }

    private static long bytes(float[]... arrays) {
        long n = 0;
        for (float[] v : arrays) n += Float.BYTES * (long) v.length;
        return n;
    }

    /** A convolution layer's input, weights and output gradient, and its three products. */
    private final class ConvLayer {
        final float[] x = integers(G.inputSize()), w = integers(G.weightSize()), dy = integers(G.outputSize());

        void forward() {
            check(G.outputSize(), (d, out) -> d.convForward(G, x, w, out));
        }

        /** The input gradient, then the weight gradient, as a backward rule runs them. */
        void backward() {
            check(G.inputSize(), (d, out) -> d.convInputGrad(G, dy, w, out));
            check(G.weightSize(), (d, out) -> d.convWeightGrad(G, x, dy, out));
        }
    }

    /** A dense layer's x (batch x in), w (in x out) and dy (batch x out), and its products as Ops.matmul runs them. */
    private final class DenseLayer {
        final float[] x = integers(BATCH * IN), w = integers(IN * OUT), dy = integers(BATCH * OUT);

        void forward() {
            check(BATCH * OUT, (d, out) -> d.matmul(false, false, BATCH, OUT, IN, x, w, out));
        }

        void backward() {
            check(BATCH * IN, (d, out) -> d.matmul(false, true, BATCH, IN, OUT, dy, w, out));
            check(IN * OUT, (d, out) -> d.matmul(true, false, IN, OUT, BATCH, x, dy, out));
        }
    }

    @FunctionalInterface
    private interface Product { void run(Device d, float[] out); }

    /** The product on the OpenCL device equals the CPU's. */
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
    void aLayersThreeProductsShareAKernelWhoseOutputsCrossOnlyAtItsFirstLaunch() {
        ConvLayer conv = new ConvLayer();
        long before = put();
        conv.forward();
        // x and w pointed at, the three outputs and the unused dy field's placeholder copied by Aparapi.
        assertEquals(bytes(conv.x, conv.w) + Float.BYTES * (G.inputSize() + G.weightSize() + G.outputSize() + 1L), put() - before);
        before = put();
        conv.backward();
        conv.forward();
        assertEquals(bytes(conv.dy, conv.w, conv.x, conv.dy, conv.x, conv.w), put() - before, "outside a pass: each operand at each product");
        DenseLayer dense = new DenseLayer();
        dense.forward();
        dense.backward();
        assertEquals(2, device.kernels(), "one kernel per layer");
    }

    @Test
    void inAPassEachOperandIsPutOnce() {
        ConvLayer conv = new ConvLayer();
        DenseLayer dense = new DenseLayer();
        conv.forward();
        dense.forward();
        long before = put();
        try (var pass = device.pass()) {
            conv.forward();
            dense.forward();
            dense.backward();
            conv.backward();
            // w and x put at the forward product, dy at the first backward one; none again.
            assertEquals(bytes(conv.x, conv.w, conv.dy, dense.x, dense.w, dense.dy), put() - before);
            before = put();
            conv.forward();
            conv.backward();
            dense.forward();
            dense.backward();
        }
        assertEquals(0, put() - before, "all held");
    }

    @Test
    void aNewPassTakesWhatTheHostChangedBetweenPasses() {
        ConvLayer conv = new ConvLayer();
        try (var pass = device.pass()) {
            conv.forward();
            conv.backward();
        }
        // The optimiser's step, between passes.
        for (int i = 0; i < conv.w.length; i++) conv.w[i] += 1;
        long before = put();
        try (var pass = device.pass()) {
            conv.forward();
            conv.backward();
        }
        assertEquals(bytes(conv.x, conv.w, conv.dy), put() - before, "all put again, once");
    }

    @Test
    void anOperandIsSentAgainWhereAnotherLayerOfTheSameShapeTookItsField() {
        ConvLayer first = new ConvLayer(), second = new ConvLayer();
        first.forward();
        try (var pass = device.pass()) {
            first.forward();
            second.forward();
            long before = put();
            first.backward();
            assertEquals(bytes(first.dy, first.w, first.x), put() - before, "w and x were second's; dy new");
        }
        assertEquals(1, device.kernels(), "the two layers share a kernel");
    }

    @Test
    void aPassLastsUntilTheOutermostCloses() {
        ConvLayer conv = new ConvLayer();
        conv.forward();
        long before = put();
        try (var outer = device.pass()) {
            try (var inner = device.pass()) {
                conv.forward();
            }
            conv.backward();
            assertEquals(bytes(conv.x, conv.w, conv.dy), put() - before, "held after the inner pass closed");
        }
        before = put();
        conv.forward();
        assertEquals(bytes(conv.x, conv.w), put() - before, "put again after the outer one closed");
    }

    /**
     * A product whose sizes are all equal fits any arrangement of its family's slots: the one that
     * finds its operands where they are.
     */
    @Test
    void whereSizesAreEqualAnOperandIsFoundInTheSlotThatHoldsIt() {
        int n = 4;
        float[] x = integers(n * n), w = integers(n * n), dy = integers(n * n);
        try (var pass = device.pass()) {
            check(n * n, (d, out) -> d.matmul(false, false, n, n, n, x, w, out));
            long before = put();
            check(n * n, (d, out) -> d.matmul(false, true, n, n, n, dy, w, out));
            check(n * n, (d, out) -> d.matmul(true, false, n, n, n, x, dy, out));
            assertEquals(bytes(dy), put() - before, "w and x held, dy put once");
        }
    }
}
