package wgan.train;

import wgan.kernels.ConvGeometry.Padding;
import wgan.nn.Initializer;
import wgan.nn.Sequential;
import wgan.tensor.Rng;

/**
 * The networks of the reference experiments (SPEC.md), each written once, line for line like
 * the spec's layer list.
 */
public final class Models {
    /** E1's kernels: RandomNormal(stddev=0.02), as in the reference tutorial. */
    private static final Initializer N002 = Initializer.normal(0.02f);

    private Models() {}

    /**
     * E1 critic, 28x28x1 in: Conv2D 64 4x4 s2 same, BN, LeakyReLU(0.2); Conv2D 64 4x4 s2 same, BN,
     * LeakyReLU(0.2); Flatten; Dense 1 with a linear output (Glorot-uniform, the Keras default).
     */
    public static Sequential e1Critic(Rng rng) {
        return Sequential.builder(rng, 28, 28, 1)
                .conv2d(64, 4, 2, Padding.SAME, N002).batchNorm().leakyRelu(0.2f)
                .conv2d(64, 4, 2, Padding.SAME, N002).batchNorm().leakyRelu(0.2f)
                .flatten().dense(1, Initializer.glorotUniform())
                .build();
    }

    /**
     * E1 generator, latent in: Dense 128*7*7, LeakyReLU(0.2), Reshape 7x7x128; Conv2DTranspose 128
     * 4x4 s2 same, BN, LeakyReLU(0.2); again to 28x28x128; Conv2D 1 7x7 same, tanh.
     */
    public static Sequential e1Generator(Rng rng, int latent) {
        return Sequential.builder(rng, latent)
                .dense(128 * 7 * 7, N002).leakyRelu(0.2f).reshape(7, 7, 128)
                .conv2dTranspose(128, 4, 2, Padding.SAME, N002).batchNorm().leakyRelu(0.2f)
                .conv2dTranspose(128, 4, 2, Padding.SAME, N002).batchNorm().leakyRelu(0.2f)
                .conv2d(1, 7, 1, Padding.SAME, N002).tanh()
                .build();
    }

    /**
     * E3 critic (WGAN-GP), 32x32x1 in: Conv2D 128, 256, 512, each 5x5 s2 same without bias and
     * followed by LeakyReLU(0.2), no normalisation; Flatten; Dense 1. Keras default
     * (Glorot-uniform) kernels.
     */
    public static Sequential e3Critic(Rng rng) {
        Initializer glorot = Initializer.glorotUniform();
        return Sequential.builder(rng, 32, 32, 1)
                .conv2dNoBias(128, 5, 2, Padding.SAME, glorot).leakyRelu(0.2f)
                .conv2dNoBias(256, 5, 2, Padding.SAME, glorot).leakyRelu(0.2f)
                .conv2dNoBias(512, 5, 2, Padding.SAME, glorot).leakyRelu(0.2f)
                .flatten().dense(1, glorot)
                .build();
    }
}
