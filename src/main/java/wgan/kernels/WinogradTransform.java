package wgan.kernels;

/**
 * The matrices of Winograd's minimal filtering algorithm F(2, r) along one axis: two outputs of
 * the r-tap correlation y[q] = sum_j d[q + j] * g[j] from its r + 1 inputs d[q .. q + r], as
 * <pre>
 *   y = A^T [ (G g) . (B^T d) ]        A^T: 2 x (r+1),  G: (r+1) x r,  B^T: (r+1) x (r+1)
 * </pre>
 * with r + 1 multiplies instead of 2r (Lavin and Gray, "Fast Algorithms for Convolutional Neural
 * Networks", CVPR 2016, section 4). The matrices come from the Toom-Cook construction on the
 * points p_0 .. p_{r-1} and infinity: G evaluates the kernel polynomial sum_j g_j t^j at each
 * point (at infinity: its leading coefficient g_{r-1}), A^T is the transpose of the same
 * evaluation of the 2-output polynomial, and B^T is the transposed inverse of the Vandermonde
 * matrix of the points, each row scaled to small integers with the inverse scale moved into G.
 * So the data transform B^T, applied to every window, is exact up to one rounding per output,
 * and only G, applied once per kernel, carries fractions. {@code WinogradTransformTest} checks
 * the identity above for each r against the direct correlation.
 *
 * <p>Matrices are row-major, in the layout {@link ElementwiseKernels#linearCombinations} takes.
 */
record WinogradTransform(int taps, float[] dataT, float[] kernel, float[] outputT) {
    /** Points 0, 1 and infinity. */
    static final WinogradTransform F2 = new WinogradTransform(2,
            new float[] {
                1, -1, 0,
                0, 1, 0,
                0, -1, 1},
            new float[] {
                1, 0,
                1, 1,
                0, 1},
            new float[] {
                1, 1, 0,
                0, 1, 1});

    /** Points 0, 1, -1 and infinity (Lavin and Gray's F(2, 3), up to signs). */
    static final WinogradTransform F3 = new WinogradTransform(3,
            new float[] {
                1, 0, -1, 0,
                0, 1, 1, 0,
                0, -1, 1, 0,
                0, -1, 0, 1},
            new float[] {
                1, 0, 0,
                0.5f, 0.5f, 0.5f,
                0.5f, -0.5f, 0.5f,
                0, 0, 1},
            new float[] {
                1, 1, 1, 0,
                0, 1, -1, 1});

    /** Points 0, 1, -1, 2, -2 and infinity (those of Lavin and Gray's F(4, 3)). */
    static final WinogradTransform F5 = new WinogradTransform(5,
            new float[] {
                4, 0, -5, 0, 1, 0,
                0, 4, 4, -1, -1, 0,
                0, -4, 4, 1, -1, 0,
                0, -2, -1, 2, 1, 0,
                0, 2, -1, -2, 1, 0,
                0, 4, 0, -5, 0, 1},
            new float[] {
                1f / 4, 0, 0, 0, 0,
                1f / 6, 1f / 6, 1f / 6, 1f / 6, 1f / 6,
                1f / 6, -1f / 6, 1f / 6, -1f / 6, 1f / 6,
                1f / 24, 1f / 12, 1f / 6, 1f / 3, 2f / 3,
                1f / 24, -1f / 12, 1f / 6, -1f / 3, 2f / 3,
                0, 0, 0, 0, 1},
            new float[] {
                1, 1, 1, 1, 1, 0,
                0, 1, -1, 2, -2, 1});

    /** Inputs per output pair: the side of a transformed tile. */
    int points() { return taps + 1; }

    /** G^T (taps x points): takes a gradient of U back to the kernel (dg = G^T dU). */
    float[] kernelTransposed() { return transpose(kernel, points(), taps); }

    /** A (points x 2): takes a gradient of the two outputs back to the transformed tile (dm = A dy). */
    float[] outputTransposed() { return transpose(outputT, 2, points()); }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j];
        }
        return t;
    }

    /** Whether F(2, taps) is here. */
    static boolean exists(int taps) {
        return taps == 2 || taps == 3 || taps == 5;
    }

    static WinogradTransform of(int taps) {
        return switch (taps) {
            case 2 -> F2;
            case 3 -> F3;
            case 5 -> F5;
            default -> throw new IllegalArgumentException("no F(2, " + taps + ")");
        };
    }
}
