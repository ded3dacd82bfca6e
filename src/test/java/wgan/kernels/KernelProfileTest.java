package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The profiling device computes what the device it wraps computes (the contract's checks, and the
 * same bits as the CPU), and counts each kernel's calls and flops by shape.
 */
class KernelProfileTest extends DeviceContract {
    @Override
    protected Device device() {
        return new KernelProfile(CpuDevice.INSTANCE);
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        return x;
    }

    @Test
    void countsEachKernelsCallsAndFlopsByShapeAndGivesTheWrappedDevicesBits() {
        KernelProfile profile = new KernelProfile(CpuDevice.INSTANCE);
        SplittableRandom rnd = new SplittableRandom(3);
        float[] a = random(rnd, 6 * 5), b = random(rnd, 5 * 4), c = new float[6 * 4], expected = new float[6 * 4];
        for (int i = 0; i < 3; i++) profile.matmul(false, true, 6, 4, 5, a, b, c);
        CpuDevice.INSTANCE.matmul(false, true, 6, 4, 5, a, b, expected);
        assertArrayEquals(expected, c);

        ConvGeometry g = ConvGeometry.conv(2, 6, 6, 3, 4, 3, 3, 2, ConvGeometry.Padding.SAME);
        float[] x = random(rnd, g.inputSize()), w = random(rnd, g.weightSize()), y = new float[g.outputSize()];
        float[] dx = new float[g.inputSize()], dw = new float[g.weightSize()];
        profile.convForward(g, x, w, y);
        profile.convInputGrad(g, y, w, dx);
        profile.convInputGrad(g, y, w, dx);
        profile.convWeightGrad(g, x, y, dw);
        float[] y2 = new float[y.length], dx2 = new float[dx.length], dw2 = new float[dw.length];
        Conv.forward(g, x, w, y2);
        Conv.inputGrad(g, y2, w, dx2);
        Conv.weightGrad(g, x, y2, dw2);
        assertArrayEquals(y2, y);
        assertArrayEquals(dx2, dx);
        assertArrayEquals(dw2, dw);

        List<KernelProfile.Entry> entries = profile.entries();
        assertEquals(4, entries.size());
        for (int i = 1; i < entries.size(); i++) assertTrue(entries.get(i - 1).nanos() >= entries.get(i).nanos(), "longest first");
        KernelProfile.Entry matmul = entry(entries, "matmul 6 x 5 times 5 x 4 (B transposed)");
        assertEquals(3, matmul.calls());
        assertEquals(2L * 6 * 4 * 5, matmul.flopsPerCall());
        String shape = "batch 2, 6x6x3 -> 3x3x4, 3x3 stride 2";
        assertEquals(1, entry(entries, "conv forward " + shape).calls());
        assertEquals(2, entry(entries, "conv input gradient " + shape).calls());
        assertEquals(g.flops(), entry(entries, "conv weight gradient " + shape).flopsPerCall());
        assertTrue(entries.stream().allMatch(e -> e.nanos() > 0 && e.gflops() > 0));
    }

    /** Profiling a run on another device keeps that device's passes and transfer counts. */
    @Test
    void passesPassesAndTransferCountsThrough() {
        int[] opened = {0}, closed = {0};
        Device.Transfers moved = new Device.Transfers(12, 34);
        Device other = new Device() {
            @Override public String describe() { return "other"; }
            @Override public void matmul(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c) {}
            @Override public void convForward(ConvGeometry g, float[] x, float[] w, float[] y) {}
            @Override public void convInputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx) {}
            @Override public void convWeightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {}
            @Override public Pass pass() {
                opened[0]++;
                return () -> closed[0]++;
            }
            @Override public Transfers transfers() { return moved; }
        };
        KernelProfile profile = new KernelProfile(other);
        profile.pass().close();
        assertEquals(1, opened[0]);
        assertEquals(1, closed[0]);
        assertEquals(moved, profile.transfers());
        assertEquals("other", profile.describe());
    }

    private static KernelProfile.Entry entry(List<KernelProfile.Entry> entries, String kernel) {
        return entries.stream().filter(e -> e.kernel().equals(kernel)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kernel + " in " + entries));
    }
}
