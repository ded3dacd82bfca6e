package wgan.nn;

import java.util.Arrays;
import wgan.tensor.Rng;

/**
 * Fills a new weight tensor. Fans follow Keras ({@code keras.initializers} compute_fans): Dense
 * fan_in = inputs, fan_out = units; Conv2D fan_in = kH*kW*inC, fan_out = kH*kW*outC; for
 * Conv2DTranspose Keras's kernel is (kH, kW, outC, inC), so fan_in = kH*kW*outC and
 * fan_out = kH*kW*inC.
 */
@FunctionalInterface
public interface Initializer {
    void fill(float[] w, int fanIn, int fanOut, Rng rng);

    /** N(0, std^2): the DCGAN / WGAN reference init with std 0.02 (Keras RandomNormal(stddev=0.02)). */
    static Initializer normal(float std) {
        return (w, fanIn, fanOut, rng) -> rng.fillGaussian(w, 0f, std);
    }

    /** U(-l, l) with l = sqrt(6 / (fan_in + fan_out)) (Glorot and Bengio 2010, eq. 16; the Keras default). */
    static Initializer glorotUniform() {
        return (w, fanIn, fanOut, rng) -> {
            float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
            rng.fillUniform(w, -limit, limit);
        };
    }

    /**
     * N(0, 2 / fan_in) (He et al. 2015, eq. 10), as PyTorch's kaiming_normal_ (fan_in, relu).
     * Keras's HeNormal draws the same standard deviation from a normal truncated at two deviations.
     */
    static Initializer heNormal() {
        return (w, fanIn, fanOut, rng) -> rng.fillGaussian(w, 0f, (float) Math.sqrt(2.0 / fanIn));
    }

    static Initializer zeros() {
        return (w, fanIn, fanOut, rng) -> Arrays.fill(w, 0f);
    }
}
