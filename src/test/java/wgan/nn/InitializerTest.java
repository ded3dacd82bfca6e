package wgan.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import wgan.tensor.Rng;

class InitializerTest {
    private static final int N = 100_000;

    /** Sample standard deviation; its relative standard error is about 1/sqrt(2N) = 0.22%. */
    private static double std(float[] w) {
        double m = 0, s = 0;
        for (float v : w) m += v;
        m /= w.length;
        for (float v : w) s += (v - m) * (v - m);
        return Math.sqrt(s / w.length);
    }

    @ParameterizedTest(name = "fanIn={0} fanOut={1}")
    @CsvSource({"48, 96", "3136, 1", "1, 1"})
    void glorotUniformLimitAndSpread(int fanIn, int fanOut) {
        float[] w = new float[N];
        Initializer.glorotUniform().fill(w, fanIn, fanOut, new Rng(fanIn));
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float max = 0;
        for (float v : w) max = Math.max(max, Math.abs(v));
        assertTrue(max <= limit && max > 0.999 * limit, "max |w| " + max + " vs limit " + limit);
        assertEquals(limit / Math.sqrt(3), std(w), 0.01 * limit);
    }

    @ParameterizedTest(name = "fanIn={0}")
    @CsvSource({"16", "1024"})
    void heNormalAndNormalStd(int fanIn) {
        float[] w = new float[N];
        Initializer.heNormal().fill(w, fanIn, 7, new Rng(1));
        assertEquals(Math.sqrt(2.0 / fanIn), std(w), 0.01 * Math.sqrt(2.0 / fanIn));
        Initializer.normal(0.02f).fill(w, fanIn, 7, new Rng(2));
        assertEquals(0.02, std(w), 0.0002);
        Initializer.zeros().fill(w, fanIn, 7, new Rng(3));
        for (float v : w) assertEquals(0f, v);
    }
}
