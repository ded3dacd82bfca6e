package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Operands' panels, packed in their own order, against the definition of {@link GemmOperand#pack}.
 * Stored matrices: row-major panels through {@link TransposingPack} (its register transpose when
 * four full rows of at least 8 floats make an MR-tall sliver), column-major ones row by row across
 * slivers. Im2col matrices, both views, against the im2col formula over random windows, strides
 * and offsets that put windows partly or wholly outside the tensor.
 */
class GemmOperandTest {
    /** One panel of a stored rows x cols matrix; its toString names the case, enough to replay it. */
    record Case(long seed, boolean rowMajorX, int rows, int cols, int r0, int count, int p0, int depth, int width, float scale) {
        static Case of(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            // Depths up to 200: more than one run of a narrow sliver (GemmOperand.Strided.NARROW_RUN).
            int rows = 1 + r.nextInt(60), cols = 1 + r.nextInt(200);
            int r0 = r.nextInt(rows), p0 = r.nextInt(cols);
            int width = r.nextBoolean() ? MicroTile.MR : r.nextBoolean() ? MicroTile.NR : 1 + r.nextInt(5);
            float scale = r.nextBoolean() ? 1f : (float) r.nextDouble(-2, 2);
            return new Case(seed, r.nextBoolean(), rows, cols, r0, 1 + r.nextInt(rows - r0), p0, 1 + r.nextInt(cols - p0), width, scale);
        }

        /** X[r][p] as stored: row-major (X's rows along the unit stride of p) or column-major. */
        GemmOperand operand(float[] x) {
            return rowMajorX ? GemmOperand.strided(x, 0, cols, 1, scale) : GemmOperand.strided(x, 0, 1, rows, scale);
        }

        float at(float[] x, int r, int p) {
            return scale * (rowMajorX ? x[r * cols + p] : x[p * rows + r]);
        }
    }

    static Stream<Case> cases() {
        return LongStream.range(0, 300).mapToObj(Case::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void packsSliversAsDefined(Case c) {
        float[] x = random(c.rows * c.cols, c.seed + 1);
        assertPacks(c.operand(x), (r, p) -> c.at(x, r, p), c.r0, c.count, c.p0, c.depth, c.width, c.seed, c.toString());
    }

    /**
     * One panel of an im2col matrix of images n0 .. n0+images-1 of an h x w x ch tensor, viewed
     * by pixel (rows of X are the matrix's rows) or by column (its columns).
     */
    record Im2colCase(long seed, Im2col cols, int images, boolean byPixel, int r0, int count, int p0, int depth, int width) {
        static Im2colCase of(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int h = 1 + r.nextInt(6), w = 1 + r.nextInt(6), ch = 1 + r.nextInt(20), kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4);
            int n0 = r.nextInt(2), images = 1 + r.nextInt(2);
            Im2col cols = new Im2col(random((n0 + images) * h * w * ch, seed + 1), h, w, ch, n0, 1 + r.nextInt(5), 1 + r.nextInt(5),
                    1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(-3, 2), r.nextInt(-3, 2), kh, kw);
            boolean byPixel = r.nextBoolean();
            int rows = byPixel ? cols.rows(images) : cols.columns(), depths = byPixel ? cols.columns() : cols.rows(images);
            int r0 = r.nextInt(rows), p0 = r.nextInt(depths);
            int width = r.nextBoolean() ? MicroTile.MR : r.nextBoolean() ? MicroTile.NR : 1 + r.nextInt(5);
            return new Im2colCase(seed, cols, images, byPixel, r0, 1 + r.nextInt(rows - r0), p0, 1 + r.nextInt(depths - p0), width);
        }

        GemmOperand operand() {
            return byPixel ? cols.byPixel() : cols.byColumn();
        }

        /** X[r][p] from the im2col formula: src[n0+n, gy*sy + y0 + ky, gx*sx + x0 + kx, ch], 0 outside. */
        float at(int r, int p) {
            int row = byPixel ? r : p, column = byPixel ? p : r;
            int grid = cols.gridH() * cols.gridW();
            int n = cols.n0() + row / grid, gy = row % grid / cols.gridW(), gx = row % cols.gridW();
            int ky = column / (cols.kw() * cols.c()), kx = column / cols.c() % cols.kw(), ch = column % cols.c();
            int y = gy * cols.sy() + cols.y0() + ky, x = gx * cols.sx() + cols.x0() + kx;
            boolean inside = y >= 0 && y < cols.h() && x >= 0 && x < cols.w();
            return inside ? cols.src()[((n * cols.h() + y) * cols.w() + x) * cols.c() + ch] : 0f;
        }

        @Override
        public String toString() {
            return "Im2colCase[seed=" + seed + ", " + (byPixel ? "byPixel" : "byColumn") + ", r0=" + r0 + ", count=" + count
                    + ", p0=" + p0 + ", depth=" + depth + ", width=" + width + ", h=" + cols.h() + ", w=" + cols.w() + ", c=" + cols.c()
                    + ", n0=" + cols.n0() + ", grid=" + cols.gridH() + "x" + cols.gridW() + ", stride=" + cols.sy() + "x" + cols.sx()
                    + ", origin=" + cols.y0() + "," + cols.x0() + ", k=" + cols.kh() + "x" + cols.kw() + "]";
        }
    }

    static Stream<Im2colCase> im2colCases() {
        return LongStream.range(0, 300).mapToObj(Im2colCase::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("im2colCases")
    void packsIm2colSliversAsDefined(Im2colCase c) {
        assertPacks(c.operand(), c::at, c.r0, c.count, c.p0, c.depth, c.width, c.seed, c.toString());
    }

    /** X[r][p] of the matrix an operand stands for. */
    @FunctionalInterface
    interface Element {
        float at(int r, int p);
    }

    /** packSlivers of rows r0 .. r0+count against the definition, into a buffer that starts as garbage. */
    private static void assertPacks(GemmOperand operand, Element x, int r0, int count, int p0, int depth, int width,
                                    long seed, String name) {
        int slivers = (count + width - 1) / width, off = new SplittableRandom(seed + 2).nextInt(5);
        float[] expected = new float[off + slivers * width * depth + 3];
        for (int s = 0; s < slivers; s++) {
            for (int p = 0; p < depth; p++) {
                for (int w = 0; w < width; w++) {
                    int row = s * width + w;
                    expected[off + (s * depth + p) * width + w] = row < count ? x.at(r0 + row, p0 + p) : 0f;
                }
            }
        }
        float[] actual = new float[expected.length];
        // Padding must be written, not assumed.
        Arrays.fill(actual, off, off + slivers * width * depth, Float.NaN);
        operand.packSlivers(r0, count, p0, depth, width, actual, off);
        assertArrayEquals(expected, actual, name);
    }

    private static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
