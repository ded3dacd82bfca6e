package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stored operand's panels, packed in its own order, against the definition of {@link GemmOperand#pack}:
 * row-major panels through {@link TransposingPack} (its register transpose when four full rows of
 * at least 8 floats make an MR-tall sliver), column-major ones row by row across slivers.
 */
class GemmOperandTest {
    /** One panel of a stored rows x cols matrix; its toString names the case, enough to replay it. */
    record Case(long seed, boolean rowMajorX, int rows, int cols, int r0, int count, int p0, int depth, int width, float scale) {
        static Case of(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int rows = 1 + r.nextInt(60), cols = 1 + r.nextInt(60);
            int r0 = r.nextInt(rows), p0 = r.nextInt(cols);
            int width = r.nextBoolean() ? VectorGemm.MR : r.nextBoolean() ? VectorGemm.NR : 1 + r.nextInt(5);
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
        SplittableRandom r = new SplittableRandom(c.seed + 1);
        float[] x = new float[c.rows * c.cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
        int slivers = (c.count + c.width - 1) / c.width, off = r.nextInt(5);
        float[] expected = new float[off + slivers * c.width * c.depth + 3];
        for (int s = 0; s < slivers; s++) {
            for (int p = 0; p < c.depth; p++) {
                for (int w = 0; w < c.width; w++) {
                    int row = s * c.width + w;
                    expected[off + (s * c.depth + p) * c.width + w] = row < c.count ? c.at(x, c.r0 + row, c.p0 + p) : 0f;
                }
            }
        }
        float[] actual = new float[expected.length];
        // Padding must be written, not assumed: start from garbage.
        Arrays.fill(actual, off, off + slivers * c.width * c.depth, Float.NaN);
        c.operand(x).packSlivers(c.r0, c.count, c.p0, c.depth, c.width, actual, off);
        assertArrayEquals(expected, actual, c.toString());
    }
}
