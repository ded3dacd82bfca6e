package wgan.quality;

/**
 * The Fréchet distance between two sets of feature vectors, each summarised by its mean and
 * covariance as a Gaussian (Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule
 * Converge to a Local Nash Equilibrium", section "Fréchet Inception Distance"):
 * d^2 = |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)), in double precision.
 *
 * <p>Tr((S1 S2)^(1/2)) is the sum of the square roots of the eigenvalues of S1 S2. With
 * A = S1^(1/2), S1 S2 = A (A S2) has the eigenvalues of (A S2) A = A S2 A (XY and YX share
 * them), and A S2 A is symmetric positive semi-definite, so its eigenvalues are real and
 * non-negative and a symmetric eigen-decomposition ({@link SymmetricEigen}) finds them stably.
 * This avoids the general matrix square root of the non-symmetric S1 S2 (scipy's sqrtm in
 * pytorch-fid), which can return complex parts from rounding when S1 or S2 is near singular.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** The mean and covariance (with the unbiased n - 1 divisor, as numpy's cov) of n vectors. */
    public record Statistics(double[] mean, double[][] covariance, int count) {
        public static Statistics of(double[][] x) {
            int n = x.length;
            if (n < 2) throw new IllegalArgumentException("a covariance needs at least 2 vectors, got " + n);
            int d = x[0].length;
            double[] mean = new double[d];
            for (double[] row : x) for (int j = 0; j < d; j++) mean[j] += row[j] / n;
            double[][] cov = new double[d][d];
            double[] centred = new double[d];
            for (double[] row : x) {
                if (row.length != d) throw new IllegalArgumentException("vectors of " + row.length + " and " + d + " values");
                for (int j = 0; j < d; j++) centred[j] = row[j] - mean[j];
                for (int i = 0; i < d; i++) {
                    double ci = centred[i];
                    for (int j = i; j < d; j++) cov[i][j] += ci * centred[j];
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) cov[j][i] = cov[i][j] /= n - 1;
            }
            return new Statistics(mean, cov, n);
        }
    }

    /** The distance between two sets of vectors (each row one vector). */
    public static double between(double[][] a, double[][] b) {
        return between(Statistics.of(a), Statistics.of(b));
    }

    public static double between(Statistics a, Statistics b) {
        int d = a.mean().length;
        if (b.mean().length != d) throw new IllegalArgumentException("features of " + d + " and " + b.mean().length + " values");
        double meanTerm = 0;
        for (int j = 0; j < d; j++) meanTerm += (a.mean()[j] - b.mean()[j]) * (a.mean()[j] - b.mean()[j]);
        double trace = 0;
        for (int j = 0; j < d; j++) trace += a.covariance()[j][j] + b.covariance()[j][j];
        double[][] root = SymmetricEigen.of(a.covariance()).sqrtMatrix();
        double[][] m = multiply(multiply(root, b.covariance()), root);
        // Rounding leaves m a few ulps from symmetric; the decomposition reads its mean.
        for (int i = 0; i < d; i++) for (int j = i + 1; j < d; j++) m[i][j] = m[j][i] = (m[i][j] + m[j][i]) / 2;
        double traceRoot = 0;
        for (double ev : SymmetricEigen.of(m).values) traceRoot += Math.sqrt(Math.max(ev, 0));
        return meanTerm + trace - 2 * traceRoot;
    }

    static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length, k = y.length, m = y[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double xp = x[i][p];
                for (int j = 0; j < m; j++) out[i][j] += xp * y[p][j];
            }
        }
        return out;
    }
}
