package wgan.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

class LayoutsTest {

    @ParameterizedTest(name = "n={0} h={1} w={2} c={3}")
    @CsvSource({"1, 1, 1, 1", "2, 3, 5, 3", "3, 4, 2, 1", "2, 7, 7, 4"})
    void channelsFirstMovesEachValueToItsNchwPlace(int n, int h, int w, int c) {
        Tensor x = Tensor.zeros(n, h, w, c);
        new Rng(n * 1000 + h * 100 + w * 10 + c).fillUniform(x.data(), -1f, 1f);
        Tensor y = Layouts.toChannelsFirst(x);
        assertArrayEquals(new int[] {n, c, h, w}, y.shape());
        for (int i = 0; i < n; i++)
            for (int r = 0; r < h; r++)
                for (int q = 0; q < w; q++)
                    for (int k = 0; k < c; k++) {
                        assertEquals(x.data()[((i * h + r) * w + q) * c + k], y.data()[((i * c + k) * h + r) * w + q]);
                    }
    }
}
