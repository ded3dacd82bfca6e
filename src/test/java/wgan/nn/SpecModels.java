package wgan.nn;

import wgan.kernels.ConvGeometry.Padding;
import wgan.tensor.Rng;

/**
 * The reference models of SPEC.md, with their sizes as parameters so that tests can build them
 * small. Read against the spec's layer lists.
 */
final class SpecModels {
    private static final Initializer N002 = Initializer.normal(0.02f);

    private SpecModels() {}

    /** E1 critic: Conv2D f 4x4 s2 same, BN, LeakyReLU(0.2); again; Flatten; Dense 1 (Glorot). */
    static Sequential e1Critic(Rng rng, int size, int filters, Initializer kernels) {
        return Sequential.builder(rng, size, size, 1)
                .conv2d(filters, 4, 2, Padding.SAME, kernels).batchNorm().leakyRelu(0.2f)
                .conv2d(filters, 4, 2, Padding.SAME, kernels).batchNorm().leakyRelu(0.2f)
                .flatten().dense(1, Initializer.glorotUniform())
                .build();
    }

    /** E1 critic at full size: 28x28x1, 64 filters, kernels N(0, 0.02). */
    static Sequential e1Critic(Rng rng) {
        return e1Critic(rng, 28, 64, N002);
    }

    /**
     * E1 generator: Dense 128*7*7, LeakyReLU(0.2), Reshape 7x7x128; Conv2DTranspose 128 4x4 s2
     * same, BN, LeakyReLU(0.2); again; Conv2D 1 7x7 same, tanh. Kernels N(0, 0.02).
     */
    static Sequential e1Generator(Rng rng) {
        return Sequential.builder(rng, 50)
                .dense(128 * 7 * 7, N002).leakyRelu(0.2f).reshape(7, 7, 128)
                .conv2dTranspose(128, 4, 2, Padding.SAME, N002).batchNorm().leakyRelu(0.2f)
                .conv2dTranspose(128, 4, 2, Padding.SAME, N002).batchNorm().leakyRelu(0.2f)
                .conv2d(1, 7, 1, Padding.SAME, N002).tanh()
                .build();
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
