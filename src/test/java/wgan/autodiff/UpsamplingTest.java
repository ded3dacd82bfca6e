package wgan.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import wgan.tensor.Tensor;

/** Bilinear upsampling against values TensorFlow 2 gives (tf.image.resize, method="bilinear"). */
class UpsamplingTest {
    @Test
    void bilinearMatchesTensorFlow() {
        Var x = Var.constant(Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2, 1));
        // tf.image.resize([[1, 2], [3, 4]] as [1, 2, 2, 1], [4, 4]) with half-pixel centres.
        float[] expected = {
            1.0f, 1.25f, 1.75f, 2.0f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3.0f, 3.25f, 3.75f, 4.0f};
        assertArrayEquals(expected, Ops.upsampleBilinear(x, 2, 2).value().data(), 1e-6f);
    }
}
