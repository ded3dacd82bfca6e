package wgan.nn;

import wgan.kernels.ConvGeometry.Padding;
import wgan.tensor.Rng;
import wgan.train.Architecture;
import wgan.train.CriticNorm;
import wgan.train.Models;

/**
 * The reference critics of docs/experiments.md with their sizes as parameters, so that tests can build them
 * small, and the full-size E1 models, which are the production ones in {@link Models}.
 */
final class SpecModels {
    private SpecModels() {}

    /** E1 critic: Conv2D f 4x4 s2 same, BN, LeakyReLU(0.2); again; Flatten; Dense 1 (Glorot). */
    static Sequential e1Critic(Rng rng, int size, int filters, Initializer kernels) {
        return Sequential.builder(rng, size, size, 1)
                .conv2d(filters, 4, 2, Padding.SAME, kernels).batchNorm().leakyRelu(0.2f)
                .conv2d(filters, 4, 2, Padding.SAME, kernels).batchNorm().leakyRelu(0.2f)
                .flatten().dense(1, Initializer.glorotUniform())
                .build();
    }

    /** E1 critic at full size: the production model. */
    static Sequential e1Critic(Rng rng) {
        return Models.critic(Architecture.E1, CriticNorm.BATCH, rng);
    }

    /** E1 generator with latent 50: the production model. */
    static Sequential e1Generator(Rng rng) {
        return Models.generator(Architecture.E1, rng, 50);
    }

    /**
     * E3 critic: Conv2D f, 2f, 4f 5x5 s2 same without bias, each followed by LeakyReLU(0.2);
     * Flatten; Dense 1. With {@code layerNorm}, a LayerNorm after the second and third conv
     * (where E2 has BatchNorm).
     */
    static Sequential e3Critic(Rng rng, int size, int filters, boolean layerNorm) {
        Sequential.Builder b = Sequential.builder(rng, size, size, 1)
                .conv2dNoBias(filters, 5, 2, Padding.SAME, Initializer.glorotUniform()).leakyRelu(0.2f)
                .conv2dNoBias(2 * filters, 5, 2, Padding.SAME, Initializer.glorotUniform());
        if (layerNorm) b.layerNorm();
        b.leakyRelu(0.2f).conv2dNoBias(4 * filters, 5, 2, Padding.SAME, Initializer.glorotUniform());
        if (layerNorm) b.layerNorm();
        return b.leakyRelu(0.2f).flatten().dense(1, Initializer.glorotUniform()).build();
    }
}
