package wgan.kernels;

/**
 * tanh as a rational function x P(x^2) / Q(x^2) on [-CLAMP, CLAMP], saturating beyond (the float
 * approximation that Eigen uses; maximum error a few ulp). It is built from IEEE operations
 * alone (min, max, fused multiply-add, division), each exactly rounded, so the result is the same
 * bit for bit in interpreted and compiled code and in the scalar and vector paths. Math.tanh and
 * VectorOperators.TANH are not: their JIT intrinsics round differently from their fallbacks,
 * which would make training results depend on JIT timing.
 */
final class Tanh {
    /** Beyond this |x|, tanh(x) rounds to +-1 in float. */
    static final float CLAMP = 7.90531110763549805f;
    /** Numerator coefficients, highest power of x^2 first (Horner order). */
    static final float[] A = {-2.76076847742355e-16f, 2.00018790482477e-13f, -8.60467152213735e-11f,
            5.12229709037114e-08f, 1.48572235717979e-05f, 6.37261928875436e-04f, 4.89352455891786e-03f};
    /** Denominator coefficients, highest power of x^2 first. */
    static final float[] B = {1.19825839466702e-06f, 1.18534705686654e-04f, 2.26843463243900e-03f,
            4.89352518554385e-03f};

    private Tanh() {}

    static float of(float v) {
        float x = Math.min(Math.max(v, -CLAMP), CLAMP);
        float x2 = x * x;
        float p = A[0];
        for (int k = 1; k < A.length; k++) p = Math.fma(p, x2, A[k]);
        float q = B[0];
        for (int k = 1; k < B.length; k++) q = Math.fma(q, x2, B[k]);
        return x * p / q;
    }
}
