package wgan.kernels;

/**
 * The scalar GEMM path, used when the Vector API module is not loaded. Parallel over rows of C;
 * each element of C is reduced over k in order by one thread, so results do not depend on the
 * thread count.
 */
final class ScalarGemm {
    private ScalarGemm() {}

    /** Reduction depth packed at a time: a KC x n panel of B, and one row of A, per pass. */
    private static final int KC = 256;

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        multiply(m, n, k, GemmOperand.a(transA, a, aOff, lda, alpha), GemmOperand.b(transB, b, bOff, ldb),
                beta, c, cOff, ldc);
    }

    /** C = A * B + beta * C, B packed KC rows at a time as a plain row-major k x n panel; see {@link Gemm#multiply}. */
    static void multiply(int m, int n, int k, GemmOperand a, GemmOperand b, float beta, float[] c, int cOff, int ldc) {
        if (k == 0) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        float[] panel = new float[Math.min(k, KC) * n];
        for (int pc = 0; pc < k; pc += KC) {
            int depth = Math.min(KC, k - pc), p0 = pc;
            // Later panels carry on from what the earlier ones left in C.
            float start = pc == 0 ? beta : 1f;
            b.pack(0, n, pc, depth, n, panel, 0);
            Parallel.forEach(m, i -> {
                float[] row = new float[depth];
                a.pack(i, 1, p0, depth, 1, row, 0);
                float[] acc = new float[n];
                for (int p = 0; p < depth; p++) {
                    for (int j = 0; j < n; j++) acc[j] += row[p] * panel[p * n + j];
                }
                int crow = cOff + i * ldc;
                for (int j = 0; j < n; j++) c[crow + j] = start == 0f ? acc[j] : acc[j] + start * c[crow + j];
            });
        }
    }

    /** C = beta * C without reading A and B: BLAS does not reference them when alpha or k is 0, so NaNs there must not leak. */
    static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[row + j] = beta == 0f ? 0f : beta * c[row + j];
        }
    }
}
