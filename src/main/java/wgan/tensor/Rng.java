package wgan.tensor;

import java.util.Arrays;

/**
 * A seeded random number generator whose whole state can be saved and restored exactly, so a
 * training run resumed from a checkpoint draws the same numbers it would have drawn.
 *
 * <p>The generator is xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number
 * generators", 2018), seeded by expanding a 64-bit seed with SplitMix64 as its authors
 * recommend. Gaussians come from the Marsaglia polar method, which makes two values at a time;
 * the unused one is part of the state.
 *
 * <p>Independent streams (initialisation, noise, shuffling, interpolation factors) come from
 * {@link #fork(long)}: a child seeded from the parent's state and a stream id, which leaves the
 * parent unchanged, so the streams do not depend on the order in which they are forked.
 */
public final class Rng {
    /** Length of {@link #state()}: four xoshiro words, a spare-Gaussian flag, its bits. */
    public static final int STATE_LENGTH = 6;

    private final long[] s = new long[4];
    private boolean hasSpare;
    private double spare;

    public Rng(long seed) {
        long x = seed;
        for (int i = 0; i < 4; i++) {
            x += 0x9E3779B97F4A7C15L;
            s[i] = mix(x);
        }
    }

    /** SplitMix64's output function (Steele, Lea, Flood 2014): a bijective 64-bit mixer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A generator for stream {@code streamId}, derived from this one's state; this one is not advanced. */
    public Rng fork(long streamId) {
        long h = mix(streamId ^ 0x6A09E667F3BCC909L);
        for (long w : s) h = mix(h ^ w);
        return new Rng(h);
    }

    public long nextLong() {
        long result = Long.rotateLeft(s[1] * 5, 7) * 9;
        long t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = Long.rotateLeft(s[3], 45);
        return result;
    }

    /** Uniform in [0, bound), without modulo bias (Lemire 2019, "Fast random integer generation in an interval"). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        long m = (nextLong() >>> 32) * bound;
        if ((m & 0xFFFFFFFFL) < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while ((m & 0xFFFFFFFFL) < threshold) m = (nextLong() >>> 32) * bound;
        }
        return (int) (m >>> 32);
    }

    /** Uniform in [0, 1) with 24 random bits (every float of the form k / 2^24). */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal, by the Marsaglia polar method. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u, v, r;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            r = u * u + v * v;
        } while (r >= 1 || r == 0);
        double f = Math.sqrt(-2 * Math.log(r) / r);
        spare = v * f;
        hasSpare = true;
        return u * f;
    }

    public void fillGaussian(float[] out, float mean, float std) {
        for (int i = 0; i < out.length; i++) out[i] = (float) (mean + std * nextGaussian());
    }

    /** Uniform in [lo, hi) (up to float rounding of lo + (hi - lo) u). */
    public void fillUniform(float[] out, float lo, float hi) {
        for (int i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * nextFloat();
    }

    /** Shuffles {@code a} in place (Fisher–Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The complete state, {@link #STATE_LENGTH} longs; {@link #restore} continues from it exactly. */
    public long[] state() {
        long[] st = Arrays.copyOf(s, STATE_LENGTH);
        st[4] = hasSpare ? 1 : 0;
        st[5] = Double.doubleToRawLongBits(spare);
        return st;
    }

    public void restore(long[] state) {
        if (state.length != STATE_LENGTH) {
            throw new IllegalArgumentException("Rng state has " + state.length + " longs, expected " + STATE_LENGTH);
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("Rng state of all zeros is not a xoshiro256** state");
        }
        System.arraycopy(state, 0, s, 0, 4);
        hasSpare = state[4] != 0;
        spare = Double.longBitsToDouble(state[5]);
    }

    /** A generator that continues from a saved {@link #state()}. */
    public static Rng fromState(long[] state) {
        Rng r = new Rng(0);
        r.restore(state);
        return r;
    }
}
