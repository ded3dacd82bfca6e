package wgan.data;

import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * The 2-D distributions on which the WGAN-GP paper shows its critics (Gulrajani et al. 2017,
 * section 3 and figure 1: "8 Gaussians", "25 Gaussians", "Swiss Roll"), with the parameters of
 * the authors' toy script: each set is scaled so that its points lie within about 2 of the
 * origin, where the generator's and critic's ReLU layers start out useful. A point is stored as a
 * 1 x 1 x 2 "image", so that the trainer, checkpoints and samplers handle it like any other data.
 */
public enum ToyDistribution {
    /**
     * Eight Gaussians of standard deviation 0.02 centred on the circle of radius 2 at angles
     * k * 45 degrees, the whole divided by 1.414: centres on the circle of radius 1.414, spread
     * 0.01414.
     */
    EIGHT_GAUSSIANS("8 Gaussians") {
        @Override
        void draw(Rng rng, float[] xy) {
            double angle = rng.nextInt(8) * Math.PI / 4;
            xy[0] = (float) ((2 * Math.cos(angle) + 0.02 * rng.nextGaussian()) / 1.414);
            xy[1] = (float) ((2 * Math.sin(angle) + 0.02 * rng.nextGaussian()) / 1.414);
        }
    },
    /**
     * A 5 x 5 grid of Gaussians of standard deviation 0.05 centred at (2i, 2j), i, j in -2..2,
     * divided by 2.828: centres 0.707 apart from -1.414 to 1.414, spread 0.0177.
     */
    TWENTY_FIVE_GAUSSIANS("25 Gaussians") {
        @Override
        void draw(Rng rng, float[] xy) {
            int cell = rng.nextInt(25);
            xy[0] = (float) ((2 * (cell % 5 - 2) + 0.05 * rng.nextGaussian()) / 2.828);
            xy[1] = (float) ((2 * (cell / 5 - 2) + 0.05 * rng.nextGaussian()) / 2.828);
        }
    },
    /**
     * The Swiss roll's spiral seen from its side (scikit-learn's make_swiss_roll, x and z, noise
     * 0.25): t uniform in [1.5 pi, 4.5 pi], the point (t cos t, t sin t) plus Gaussian noise of
     * standard deviation 0.25 on each axis, divided by 7.5: radii from 0.63 to 1.88.
     */
    SWISS_ROLL("Swiss roll") {
        @Override
        void draw(Rng rng, float[] xy) {
            double t = 1.5 * Math.PI * (1 + 2 * rng.nextDouble());
            xy[0] = (float) ((t * Math.cos(t) + 0.25 * rng.nextGaussian()) / 7.5);
            xy[1] = (float) ((t * Math.sin(t) + 0.25 * rng.nextGaussian()) / 7.5);
        }
    };

    private final String title;

    ToyDistribution(String title) {
        this.title = title;
    }

    /** "8 Gaussians", "25 Gaussians", "Swiss roll". */
    public String title() {
        return title;
    }

    /** Writes one point drawn from {@code rng} into {@code xy[0..1]}. */
    abstract void draw(Rng rng, float[] xy);

    /** {@code n} points drawn from {@code rng}, as [n, 1, 1, 2]. */
    public Tensor sample(int n, Rng rng) {
        float[] points = new float[Tensor.sizeOf(n, 2)];
        float[] xy = new float[2];
        for (int i = 0; i < n; i++) {
            draw(rng, xy);
            points[2 * i] = xy[0];
            points[2 * i + 1] = xy[1];
        }
        return Tensor.of(points, n, 1, 1, 2);
    }
}
