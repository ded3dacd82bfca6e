package wgan.kernels;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the useful floating-point operations of the model's matrix products and convolutions
 * (2 per multiply-add, as {@link ConvGeometry#flops()} defines them), so that benchmarks report
 * GFLOP/s of the model's arithmetic rather than of whatever the kernels do internally.
 */
public final class FlopCounter {
    private static final LongAdder TOTAL = new LongAdder();

    private FlopCounter() {}

    public static void add(long flops) {
        TOTAL.add(flops);
    }

    public static long total() {
        return TOTAL.sum();
    }
}
