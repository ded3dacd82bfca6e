package wgan.kernels;

/**
 * The scalar GEMM path, used when the Vector API module is not loaded. Parallel over rows of C;
 * each element of C is reduced over k in order by one thread, so results do not depend on the
 * thread count.
 */
final class ScalarGemm {
    private ScalarGemm() {}

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        Parallel.forEach(m, i -> {
            float[] acc = new float[n];
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (transB) {
                    for (int j = 0; j < n; j++) acc[j] += aip * b[bOff + j * ldb + p];
                } else {
                    int row = bOff + p * ldb;
                    for (int j = 0; j < n; j++) acc[j] += aip * b[row + j];
                }
            }
            int crow = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[crow + j] = beta == 0f ? alpha * acc[j] : alpha * acc[j] + beta * c[crow + j];
            }
        });
    }

    /** C = beta * C without reading A and B: BLAS does not reference them when alpha or k is 0, so NaNs there must not leak. */
    static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[row + j] = beta == 0f ? 0f : beta * c[row + j];
        }
    }
}
