package wgan.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutation fuzzing of file readers: each case takes one valid input, applies a few random
 * mutations (bit flips, interesting integers, insertions, deletions, truncation, repeated chunks)
 * and hands the bytes to a reader. The property every format must keep: the reader either loads the
 * input or throws the format's own error; anything else (another exception, an OutOfMemoryError, a
 * case over the time limit) fails the test with the seed that reproduces it.
 *
 * <p>{@code -Dwgan.fuzz.cases=N} sets the cases per format (the normal test run does a few thousand;
 * {@code scripts/fuzz} runs long campaigns) and {@code -Dwgan.fuzz.seed=S} the first seed.
 */
public final class Fuzz {

    /** Reads one mutated input; throws the format's error if the bytes are not a valid file. */
    @FunctionalInterface
    public interface Reader {
        void read(byte[] input) throws Exception;
    }

    /** Cases per format: the property {@code wgan.fuzz.cases}, else {@code defaultCases}. */
    public static int cases(int defaultCases) {
        return Integer.getInteger("wgan.fuzz.cases", defaultCases);
    }

    private static final long MAX_CASE_NANOS = 1_000_000_000L;

    /**
     * Time is the case's own CPU time, not the wall clock: a garbage collection or a busy machine
     * pauses the thread without the reader doing any work, and must not fail a case.
     */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final int[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 65536, 1 << 24};

    private Fuzz() {}

    /**
     * Runs {@code cases} mutated inputs drawn from {@code valid} through {@code reader}.
     *
     * @param expected the format's own error type; a reader may throw it (or a subclass) on any input
     */
    public static void run(String format, List<byte[]> valid, int cases, Class<? extends Throwable> expected, Reader reader) {
        long firstSeed = Long.getLong("wgan.fuzz.seed", 1);
        for (int i = 0; i < cases; i++) {
            long seed = firstSeed + i;
            SplittableRandom rnd = new SplittableRandom(seed);
            byte[] input = mutate(valid.get(rnd.nextInt(valid.size())), rnd);
            long start = THREADS.getCurrentThreadCpuTime();
            try {
                reader.read(input);
            } catch (Throwable t) {
                if (!expected.isInstance(t)) {
                    AssertionError e = new AssertionError(format + " fuzz case seed " + seed + " (" + input.length
                            + " bytes) threw " + t + " instead of " + expected.getSimpleName() + " or a valid load", t);
                    throw e;
                }
            }
            long nanos = THREADS.getCurrentThreadCpuTime() - start;
            if (nanos > MAX_CASE_NANOS) {
                fail(format + " fuzz case seed " + seed + " took " + nanos / 1_000_000 + " ms of CPU time (limit " + MAX_CASE_NANOS / 1_000_000 + ")");
            }
        }
    }

    /** One to four random mutations of a copy of {@code valid}. */
    public static byte[] mutate(byte[] valid, SplittableRandom rnd) {
        byte[] b = valid.clone();
        int n = 1 + rnd.nextInt(4);
        for (int m = 0; m < n; m++) b = mutateOnce(b, rnd);
        return b;
    }

    private static byte[] mutateOnce(byte[] b, SplittableRandom rnd) {
        if (b.length == 0) return new byte[] {(byte) rnd.nextInt(256)};
        // Headers decide how much a reader allocates and trusts, so half the mutations land in the first 64 bytes.
        int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(64, b.length)) : rnd.nextInt(b.length);
        switch (rnd.nextInt(7)) {
            case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
            case 1 -> b[at] = (byte) rnd.nextInt(256);
            case 2 -> {
                int v = INTERESTING[rnd.nextInt(INTERESTING.length)];
                boolean bigEndian = rnd.nextBoolean();
                for (int k = 0; k < 4 && at + k < b.length; k++) {
                    b[at + k] = (byte) (bigEndian ? v >>> (24 - 8 * k) : v >>> (8 * k));
                }
            }
            case 3 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
            case 4 -> {
                int len = 1 + rnd.nextInt(Math.min(16, b.length - at));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, out.length - at);
                b = out;
            }
            case 5 -> {
                int len = 1 + rnd.nextInt(16);
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at);
                for (int k = 0; k < len; k++) out[at + k] = (byte) rnd.nextInt(256);
                System.arraycopy(b, at, out, at + len, b.length - at);
                b = out;
            }
            default -> {
                int len = 1 + rnd.nextInt(Math.min(256, b.length - at));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                b = out;
            }
        }
        return b;
    }
}
