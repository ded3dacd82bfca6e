package wgan.kernels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A device that runs another's kernels and times each call, by kernel and shape: where a training
 * iteration spends its time, and at what rate, for {@code wgan bench --by-kernel}. A call's time
 * includes its waits for the other threads, as the iteration's does. Results are the other
 * device's, unchanged.
 */
public final class KernelProfile implements Device {
    /** One kernel at one shape: its calls, their total time and the flops each does. */
    public record Entry(String kernel, long calls, long nanos, long flopsPerCall) {
        /** The rate of its calls, in the model's flops (an effective rate where Winograd runs). */
        public double gflops() {
            return nanos == 0 ? 0 : (double) calls * flopsPerCall / nanos;
        }
    }

    private final Device device;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public KernelProfile(Device device) {
        this.device = device;
    }

    /** The device whose calls it times. */
    public Device device() {
        return device;
    }

    @Override
    public String describe() {
        return device.describe();
    }

    @Override
    public void matmul(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c) {
        time(String.format(Locale.ROOT, "matmul %d x %d times %d x %d%s", m, k, k, n,
                        transA || transB ? " (" + (transA ? "A" : "") + (transB ? "B" : "") + " transposed)" : ""),
                2L * m * n * k, () -> device.matmul(transA, transB, m, n, k, a, b, c));
    }

    @Override
    public void convForward(ConvGeometry g, float[] x, float[] w, float[] y) {
        time("conv forward " + shape(g), g.flops(), () -> device.convForward(g, x, w, y));
    }

    @Override
    public void convInputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        time("conv input gradient " + shape(g), g.flops(), () -> device.convInputGrad(g, dy, w, dx));
    }

    @Override
    public void convWeightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        time("conv weight gradient " + shape(g), g.flops(), () -> device.convWeightGrad(g, x, dy, dw));
    }

    @Override
    public Pass pass() {
        return device.pass();
    }

    @Override
    public Transfers transfers() {
        return device.transfers();
    }

    /** "batch 64, 28x28x128 -> 14x14x128, 4x4 stride 2": the convolution as Conv sees it (a transposed layer's input gradient is its forward pass). */
    private static String shape(ConvGeometry g) {
        return String.format(Locale.ROOT, "batch %d, %dx%dx%d -> %dx%dx%d, %dx%d stride %d", g.batch(), g.inH(), g.inW(), g.inC(),
                g.outH(), g.outW(), g.outC(), g.kH(), g.kW(), g.strideH());
    }

    /** Runs {@code call} and adds its time to {@code kernel}'s. */
    private void time(String kernel, long flops, Runnable call) {
        long t0 = System.nanoTime();
        call.run();
        long nanos = System.nanoTime() - t0;
        synchronized (this) {
            entries.merge(kernel, new Entry(kernel, 1, nanos, flops),
                    (a, b) -> new Entry(kernel, a.calls() + 1, a.nanos() + nanos, flops));
        }
    }

    /** The kernels timed so far, the longest total first. */
    public synchronized List<Entry> entries() {
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.sort(Comparator.comparingLong(Entry::nanos).reversed());
        return sorted;
    }
}
