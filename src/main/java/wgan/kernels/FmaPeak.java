package wgan.kernels;

import java.util.OptionalDouble;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * This machine's FP32 FMA peak on one core, measured: what {@code bench} quotes its percentage
 * against. A constant would be right only for the CPU it was read off (the peak doubles from
 * AVX2 to AVX-512 with two 512-bit pipes, and moves with the clock).
 */
public final class FmaPeak {
    /**
     * Enough rounds for the JIT to compile the loop and for the clock to settle, each a fraction
     * of a millisecond once compiled.
     */
    private static final int ROUNDS = 200;
    private static final int STEPS_PER_ROUND = 20_000;

    private FmaPeak() {}

    /** GFLOP/s of one thread doing nothing but independent vector FMAs; empty on the scalar path. */
    public static OptionalDouble perCoreGflops() {
        return Simd.AVAILABLE ? OptionalDouble.of(Probe.best()) : OptionalDouble.empty();
    }

    /** Kept in its own class so that FmaPeak loads even when the Vector API module is absent. */
    private static final class Probe {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static volatile float sink;

        static double best() {
            double best = 0;
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = System.nanoTime();
                // Kept in a volatile field, so the JIT cannot drop the loop as unused.
                sink = run(STEPS_PER_ROUND, 0.999999f, 1e-7f);
                long ns = System.nanoTime() - t0;
                best = Math.max(best, 2.0 * 12 * S.length() * STEPS_PER_ROUND / ns);
            }
            return best;
        }

        /**
         * Twelve independent accumulators: more chains than FMA pipes times latency (2 x 4 on the
         * CPUs seen here), so the loop is bound by throughput alone. Each is a sum acc += x * y, the
         * accumulator as the addend as in the GEMM's tile: with it as a factor instead
         * (acc = acc * m + c), C2's code ran at 68-100 GFLOP/s on a Zen 3 core that this form
         * and the GEMM's tile hold at 103 (docs/performance.md#fma-peak). x * y is small, so every
         * value stays finite, and the factors come in as arguments so the JIT cannot fold the sums.
         */
        private static float run(int steps, float x, float y) {
            FloatVector a = FloatVector.broadcast(S, x), b = FloatVector.broadcast(S, y), one = FloatVector.broadcast(S, 1f);
            FloatVector a0 = one, a1 = one, a2 = one, a3 = one, a4 = one, a5 = one;
            FloatVector a6 = one, a7 = one, a8 = one, a9 = one, a10 = one, a11 = one;
            for (int i = 0; i < steps; i++) {
                a0 = a.fma(b, a0);
                a1 = a.fma(b, a1);
                a2 = a.fma(b, a2);
                a3 = a.fma(b, a3);
                a4 = a.fma(b, a4);
                a5 = a.fma(b, a5);
                a6 = a.fma(b, a6);
                a7 = a.fma(b, a7);
                a8 = a.fma(b, a8);
                a9 = a.fma(b, a9);
                a10 = a.fma(b, a10);
                a11 = a.fma(b, a11);
            }
            return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                    .lane(0);
        }
    }
}
