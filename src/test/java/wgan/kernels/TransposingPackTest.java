package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transposing pack against its definition, element by element: the register transpose
 * (four full rows of at least 8 floats) and the scalar path (short or ragged slivers, other widths).
 */
class TransposingPackTest {
    /** One call; its toString names the case, enough to replay it. */
    record Case(long seed, int width, int valid, int len, int from, int rowStride, float scale) {
        static Case of(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int width = r.nextInt(4) == 0 ? 1 + r.nextInt(6) : VectorGemm.MR;
            int valid = r.nextInt(3) == 0 ? 1 + r.nextInt(width) : width;
            int len = 1 + r.nextInt(70);
            float scale = r.nextBoolean() ? 1f : (float) r.nextDouble(-2, 2);
            return new Case(seed, width, valid, len, r.nextInt(9), len + r.nextInt(12), scale);
        }
    }

    static Stream<Case> cases() {
        return LongStream.range(0, 300).mapToObj(Case::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void packsRowsTransposed(Case c) {
        SplittableRandom r = new SplittableRandom(c.seed + 1);
        float[] src = new float[c.from + c.width * c.rowStride];
        for (int i = 0; i < src.length; i++) src[i] = (float) r.nextDouble(-1, 1);
        int off = r.nextInt(5);
        float[] expected = new float[off + c.len * c.width + 3], actual = expected.clone();
        for (int t = 0; t < c.len; t++) {
            for (int w = 0; w < c.width; w++) {
                expected[off + t * c.width + w] = w < c.valid ? c.scale * src[c.from + w * c.rowStride + t] : 0f;
            }
        }
        // Zero columns must be written, not assumed: start from garbage.
        java.util.Arrays.fill(actual, off, off + c.len * c.width, Float.NaN);
        TransposingPack.rows(src, c.from, c.rowStride, c.valid, c.scale, c.len, c.width, actual, off);
        assertArrayEquals(expected, actual, c.toString());
    }
}
