package wgan.kernels;

/**
 * Single-precision general matrix multiply, row-major:
 * {@code C = alpha * op(A) * op(B) + beta * C}, with op(X) = X or X^T.
 *
 * <p>op(A) is m x k, op(B) is k x n, C is m x n. {@code lda}, {@code ldb}, {@code ldc} are the
 * row strides of A, B, C as stored (so A stored m x k has lda >= k; stored k x m (transA) has
 * lda >= m). When beta == 0, C is not read (NaNs in C do not propagate), as in BLAS.
 */
public final class Gemm {
    private Gemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        // VectorGemm is only loaded (and so only links against jdk.incubator.vector) when the module is there.
        if (Simd.AVAILABLE) {
            VectorGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        ScalarGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * C (m x n) = A * B + beta * C for operands that pack themselves (see {@link GemmOperand}):
     * A as X[i][p], B as X[j][p]. The lowerings of {@link Conv} pass im2col matrices this way, so
     * that they are packed straight from the tensor and never stored.
     */
    static void multiply(int m, int n, int k, GemmOperand a, GemmOperand b, float beta, float[] c, int cOff, int ldc) {
        if (Simd.AVAILABLE) {
            VectorGemm.multiply(m, n, k, a, b, beta, c, cOff, ldc);
            return;
        }
        ScalarGemm.multiply(m, n, k, a, b, beta, c, cOff, ldc);
    }

    /** op(B) (k x n) made ready once for many products with it, each on one thread: see {@link #multiply(int, GemmOperand, PreparedB, float, float[], int, int)}. */
    record PreparedB(int n, int k, GemmOperand operand, float[] packed) {}

    /** Packs op(B) on the SIMD path, where every product would otherwise pack it again. */
    static PreparedB prepare(int n, int k, GemmOperand b) {
        return new PreparedB(n, k, b, Simd.AVAILABLE && k > 0 ? VectorGemm.packB(n, k, b) : null);
    }

    /**
     * C (m x n) = A * B + beta * C on the calling thread alone, for a loop body: the same results
     * as {@link #multiply(int, int, int, GemmOperand, GemmOperand, float, float[], int, int)}.
     */
    static void multiply(int m, GemmOperand a, PreparedB b, float beta, float[] c, int cOff, int ldc) {
        if (b.packed() != null) {
            VectorGemm.multiplyPacked(m, b.n(), b.k(), a, b.packed(), beta, c, cOff, ldc);
            return;
        }
        multiply(m, b.n(), b.k(), a, b.operand(), beta, c, cOff, ldc);
    }

    /** Convenience: dense, no offsets, C = op(A) op(B). */
    public static void matmul(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c) {
        sgemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
    }
}
