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
         * CPUs seen here), so the loop is bound by throughput alone. a = a * m + c with m just
         * below 1 keeps every value finite, and the factors come in as arguments so the JIT
         * cannot fold the chain.
         */
        private static float run(int steps, float m, float c) {
            FloatVector mul = FloatVector.broadcast(S, m), add = FloatVector.broadcast(S, c), one = FloatVector.broadcast(S, 1f);
            FloatVector a0 = one, a1 = one, a2 = one, a3 = one, a4 = one, a5 = one;
            FloatVector a6 = one, a7 = one, a8 = one, a9 = one, a10 = one, a11 = one;
            for (int i = 0; i < steps; i++) {
                a0 = a0.fma(mul, add);
                a1 = a1.fma(mul, add);
                a2 = a2.fma(mul, add);
                a3 = a3.fma(mul, add);
                a4 = a4.fma(mul, add);
                a5 = a5.fma(mul, add);
                a6 = a6.fma(mul, add);
                a7 = a7.fma(mul, add);
                a8 = a8.fma(mul, add);
                a9 = a9.fma(mul, add);
                a10 = a10.fma(mul, add);
                a11 = a11.fma(mul, add);
            }
            return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                    .lane(0);
        }
    }
}
