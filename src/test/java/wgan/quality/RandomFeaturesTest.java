package wgan.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wgan.data.TrainingImages;
import wgan.kernels.Parallel;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * The random-feature space measures something: real images against other real images score near
 * its floor, and the distance grows with the strength of a corruption of real images (noise,
 * blur); it is deterministic and the same for any thread count.
 */
class RandomFeaturesTest {
    private static final int N = 500;
    private static RandomFeatureEvaluation reference;
    private static Tensor otherReal;

    @BeforeAll
    static void reference() {
        reference = RandomFeatureEvaluation.against(TrainingImages.of(Shapes.draw(N, 64, 1)), "shapes", 10);
        otherReal = Shapes.draw(N, 64, 2);
    }

    @AfterEach
    void allThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static double rfd(Tensor images) {
        return reference.score(images, 1).rfd();
    }

    @Test
    void realAgainstRealIsNearTheFloorAndFarBelowCorruptedImages() {
        RandomFeatureEvaluation.Scores real = reference.score(otherReal, 1);
        RandomFeatureEvaluation.Scores noisy = reference.score(noisy(otherReal, 0.2f), 1);
        RandomFeatureEvaluation.Scores blank = reference.score(Tensor.zeros(N, 64, 64, 3), 1);
        System.out.println("real against real: " + real + "\nnoise 0.2: " + noisy + "\ngrey squares: " + blank);
        // Measured: 0.21 against 1.96, a ninth; the floor is the noise of 500 against 500 images.
        assertTrue(real.rfd() < noisy.rfd() / 5, real + " against " + noisy);
        assertTrue(Math.abs(real.kid()) < noisy.kid() / 10, real + " against " + noisy);
        assertTrue(Math.abs(real.diversity() - 1) < 0.1, "real images are as varied as real images: " + real);
        // One image repeated: no diversity at all.
        assertEquals(0, blank.diversity(), 1e-9);
        assertTrue(blank.rfd() > noisy.rfd(), blank + " against " + noisy);
    }

    @Test
    void theDistanceGrowsWithTheStrengthOfNoise() {
        double previous = rfd(otherReal);
        for (float sigma : new float[] {0.05f, 0.1f, 0.2f, 0.4f}) {
            double d = rfd(noisy(otherReal, sigma));
            System.out.printf("rfd, noise sigma %.2f: %.4f%n", sigma, d);
            assertTrue(d > previous, "noise " + sigma + ": " + d + " after " + previous);
            previous = d;
        }
    }

    @Test
    void theDistanceGrowsWithTheStrengthOfBlur() {
        double previous = rfd(otherReal);
        for (int radius = 1; radius <= 4; radius++) {
            double d = rfd(blurred(otherReal, radius));
            System.out.printf("rfd, box blur radius %d: %.4f%n", radius, d);
            assertTrue(d > previous, "blur radius " + radius + ": " + d + " after " + previous);
            previous = d;
        }
    }

    @Test
    void featuresAreDeterministicAndTheSameForAnyThreadCount() {
        Tensor images = Shapes.draw(40, 64, 3);
        Parallel.setThreads(1);
        double[][] one = new RandomFeatures().read(images);
        Parallel.setThreads(3);
        double[][] three = new RandomFeatures().read(images);
        assertEquals(RandomFeatures.FEATURES, one[0].length);
        for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], three[i], 0.0, "image " + i);
        assertEquals(rfd(otherReal), rfd(otherReal), 0.0);
    }

    @Test
    void greyAndOtherSizesAreRead() {
        Tensor grey = Tensor.zeros(2, 28, 28, 1);
        grey.data()[5] = 1;
        double[][] f = new RandomFeatures().read(grey);
        assertEquals(RandomFeatures.FEATURES, f[1].length);
        assertTrue(f[0][RandomFeatures.FEATURES - 1] > 0, "the bright pixel gives a standard deviation");
        assertEquals(0, f[1][RandomFeatures.FEATURES - 1], 0.0, "a flat image has none");
        assertEquals(0, f[1][0], 0.0, "and no edges");
        assertThrows(IllegalArgumentException.class, () -> new RandomFeatures().read(Tensor.zeros(2, 8, 8, 2)));
    }

    static Tensor noisy(Tensor images, float sigma) {
        Tensor out = images.copy();
        float[] noise = new float[out.size()];
        new Rng(7).fillGaussian(noise, 0f, sigma);
        float[] v = out.data();
        for (int i = 0; i < v.length; i++) v[i] = Math.max(-1, Math.min(1, v[i] + noise[i]));
        return out;
    }

    /** A box blur of (2 radius + 1)^2 pixels, the edges clamped. */
    static Tensor blurred(Tensor images, int radius) {
        int n = images.dim(0), h = images.dim(1), w = images.dim(2), c = images.dim(3);
        float[] in = images.data(), out = new float[in.length];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        float sum = 0;
                        for (int dy = -radius; dy <= radius; dy++) {
                            for (int dx = -radius; dx <= radius; dx++) {
                                int yy = Math.max(0, Math.min(h - 1, y + dy)), xx = Math.max(0, Math.min(w - 1, x + dx));
                                sum += in[((i * h + yy) * w + xx) * c + k];
                            }
                        }
                        out[((i * h + y) * w + x) * c + k] = sum / ((2 * radius + 1) * (2 * radius + 1));
                    }
                }
            }
        }
        return Tensor.of(out, n, h, w, c);
    }
}
