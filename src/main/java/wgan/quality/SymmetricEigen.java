package wgan.quality;

/**
 * The eigen-decomposition A = V diag(values) V^T of a real symmetric matrix by the cyclic Jacobi
 * method (Golub and Van Loan, Matrix Computations, section 8.5): plane rotations that each zero
 * one off-diagonal pair, swept over all pairs until the off-diagonal part is negligible. Each
 * rotation is orthogonal, so the eigenvalues come out to within a few ulps of the matrix's norm
 * however close or repeated they are; on the 128 x 128 covariances of the judge's features a
 * decomposition takes a few sweeps of 8,128 rotations.
 */
final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;

    final double[] values;
    /** vectors[i][k]: component i of the eigenvector of values[k] (the columns of V). */
    final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes a symmetric matrix (only read, not changed). */
    static SymmetricEigen of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) throw new IllegalArgumentException("not a square matrix: row " + i + " has " + matrix[i].length + " of " + n);
            a[i] = matrix[i].clone();
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;
        double norm = 0;
        for (double[] row : a) for (double x : row) norm += x * x;
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(a) > 1e-30 * norm; sweep++) {
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] != 0) rotate(a, v, p, q);
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i][i];
        return new SymmetricEigen(values, v);
    }

    private static double offDiagonal(double[][] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) if (i != j) s += a[i][j] * a[i][j];
        return s;
    }

    /**
     * A = J^T A J and V = V J for the rotation J in the (p, q) plane that zeroes A[p][q]:
     * its tangent t is the smaller root of t^2 + 2 theta t - 1 = 0, theta = (A_qq - A_pp) / 2 A_pq,
     * which keeps the rotation below 45 degrees (the choice that makes the method converge).
     */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) t = 1;
        double c = 1 / Math.sqrt(t * t + 1), s = t * c;
        int n = a.length;
        for (int k = 0; k < n; k++) {
            double kp = a[k][p], kq = a[k][q];
            a[k][p] = c * kp - s * kq;
            a[k][q] = s * kp + c * kq;
        }
        for (int k = 0; k < n; k++) {
            double pk = a[p][k], qk = a[q][k];
            a[p][k] = c * pk - s * qk;
            a[q][k] = s * pk + c * qk;
        }
        a[p][q] = a[q][p] = 0;
        for (int k = 0; k < n; k++) {
            double kp = v[k][p], kq = v[k][q];
            v[k][p] = c * kp - s * kq;
            v[k][q] = s * kp + c * kq;
        }
    }

    /** V diag(sqrt(max(values, 0))) V^T: the square root of a positive semi-definite matrix, rounding's small negative eigenvalues taken as 0. */
    double[][] sqrtMatrix() {
        int n = values.length;
        double[] root = new double[n];
        for (int k = 0; k < n; k++) root[k] = Math.sqrt(Math.max(values[k], 0));
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += vectors[i][k] * root[k] * vectors[j][k];
                out[i][j] = out[j][i] = s;
            }
        }
        return out;
    }
}
