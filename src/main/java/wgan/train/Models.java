package wgan.train;

import wgan.kernels.ConvGeometry.Padding;
import wgan.nn.Branched;
import wgan.nn.Initializer;
import wgan.nn.Sequential;
import wgan.nn.UpSampling2D.Interpolation;
import wgan.tensor.Rng;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The networks of the reference experiments (docs/experiments.md, E1-E4) and of the course's
 * autoencoders (docs/vae.md), each written once, line for line like the spec's layer list. Shapes are height x width x channels, "same"/"valid" Keras padding.
 * Biases start at zero and every Dense and conv has one unless said otherwise (Keras defaults).
 */
public final class Models {
    /** E1's kernels: RandomNormal(stddev=0.02), as in the reference tutorial. */
    private static final Initializer N002 = Initializer.normal(0.02f);
    /** Keras's default kernel initializer, which the sources of E2-E4 leave in place. */
    private static final Initializer GLOROT = Initializer.glorotUniform();

    /** The names of the encoders' heads, as their state dicts name them. */
    static final String CODE = "code", MEAN = "mean", LOG_VARIANCE = "log_var";
    /**
     * Width of the toy networks' hidden layers. The WGAN-GP authors' toy networks have 512 (three
     * ReLU layers each); 128 keeps a whole toy run under a minute on two cores and is still far
     * more than the distributions need, which is what lets clipping's underuse of capacity show.
     */
    static final int TOY_HIDDEN = 128;

    private Models() {}

    /**
     * The generator of {@code a}: {@code latent} numbers in, an image of {@code a}'s shape in
     * [-1, 1] out (tanh); for an autoencoder its decoder, whose pixels are in [0, 1] ({@link #decoder}).
     * <ul>
     *   <li>E1: Dense 128*7*7, LeakyReLU(0.2), Reshape 7x7x128; Conv2DTranspose 128 4x4 s2 same
     *       -> 14x14x128, BN, LeakyReLU(0.2); Conv2DTranspose 128 4x4 s2 same -> 28x28x128, BN,
     *       LeakyReLU(0.2); Conv2D 1 7x7 same, tanh -> 28x28x1. Kernels N(0, 0.02).
     *   <li>E2: Dense 4*4*512, BN, ReLU, Reshape 4x4x512; UpSampling2D x2 (bilinear), Conv2D 256
     *       5x5 same, BN, ReLU; UpSampling2D x2 (bilinear), Conv2D 128 5x5 same, BN, ReLU;
     *       UpSampling2D x2 (bilinear), Conv2D 1 5x5 same, tanh -> 32x32x1. Glorot-uniform kernels.
     *   <li>E3: E2's with 256 filters in the second upsampling block's conv.
     *   <li>E4: Dense 3*3*512, Reshape 3x3x512, LeakyReLU(0.2); Conv2DTranspose 256 3x3 s3 valid
     *       -> 9x9x256, BN, LeakyReLU(0.2); Conv2DTranspose 128 5x5 s2 valid -> 21x21x128, BN,
     *       LeakyReLU(0.2); Conv2DTranspose 3 4x4 s3 valid -> 64x64x3, tanh. Glorot-uniform
     *       kernels; the slope 0.2 is the default of the source's {@code tf.nn.leaky_relu}.
     *   <li>TOY: Dense {@link #TOY_HIDDEN}, ReLU, three times; Dense 2 (no activation: the plane
     *       is unbounded), Reshape 1x1x2. Glorot-uniform kernels.
     * </ul>
     */
    public static Sequential generator(Architecture a, Rng rng, int latent) {
        return switch (a) {
            case E1 -> Sequential.builder(rng, latent)
                    .dense(128 * 7 * 7, N002).leakyRelu(0.2f).reshape(7, 7, 128)
                    .conv2dTranspose(128, 4, 2, Padding.SAME, N002).batchNorm().leakyRelu(0.2f)
                    .conv2dTranspose(128, 4, 2, Padding.SAME, N002).batchNorm().leakyRelu(0.2f)
                    .conv2d(a.channels(), 7, 1, Padding.SAME, N002).tanh()
                    .build();
            case E2 -> upsamplingGenerator(a, rng, latent, 128);
            case E3 -> upsamplingGenerator(a, rng, latent, 256);
            case E4 -> Sequential.builder(rng, latent)
                    .dense(3 * 3 * 512, GLOROT).reshape(3, 3, 512).leakyRelu(0.2f)
                    .conv2dTranspose(256, 3, 3, Padding.VALID, GLOROT).batchNorm().leakyRelu(0.2f)
                    .conv2dTranspose(128, 5, 2, Padding.VALID, GLOROT).batchNorm().leakyRelu(0.2f)
                    .conv2dTranspose(a.channels(), 4, 3, Padding.VALID, GLOROT).tanh()
                    .build();
            case TOY -> toyHidden(Sequential.builder(rng, latent)).dense(2, GLOROT).reshape(1, 1, 2).build();
            case AE -> decoder(a, rng, latent, 128, 256);
            case VAE -> decoder(a, rng, latent, 128);
        };
    }

    /**
     * The course's dense decoder: Dense layers of {@code hidden} units with ReLU, then Dense
     * 28*28 logits, Reshape 28x28x1, sigmoid: each pixel's Bernoulli mean in [0, 1] ({@link Sampler}
     * maps it to [-1, 1]). Training takes its logits, without the sigmoid ({@link Sequential#head}).
     * Glorot-uniform kernels, as Keras's Dense has by default.
     */
    private static Sequential decoder(Architecture a, Rng rng, int latent, int... hidden) {
        Sequential.Builder b = Sequential.builder(rng, latent);
        for (int units : hidden) b.dense(units, GLOROT).relu();
        return b.dense(a.height() * a.width() * a.channels(), GLOROT).reshape(a.height(), a.width(), a.channels()).sigmoid().build();
    }

    /**
     * The encoder of an autoencoder {@code a}: an image of {@code a}'s shape in, flattened.
     * <ul>
     *   <li>AE: Dense 256, ReLU, Dense 128, ReLU, Dense {@code latent} (the code), one output;
     *   <li>VAE: Dense 128, ReLU (the trunk), then two heads on it, Dense {@code latent} each: the
     *       mean and the log-variance of q(z|x).
     * </ul>
     * Glorot-uniform kernels. The layer sizes are the course's (docs/vae.md).
     */
    public static Branched encoder(Architecture a, Rng rng, int latent) {
        return switch (a) {
            case AE -> new Branched(input(a, rng).flatten().dense(256, GLOROT).relu().dense(128, GLOROT).relu().build(),
                    Map.of(CODE, Sequential.builder(rng, 128).dense(latent, GLOROT).build()));
            case VAE -> {
                Sequential trunk = input(a, rng).flatten().dense(128, GLOROT).relu().build();
                Map<String, Sequential> heads = new LinkedHashMap<>();
                heads.put(MEAN, Sequential.builder(rng, 128).dense(latent, GLOROT).build());
                heads.put(LOG_VARIANCE, Sequential.builder(rng, 128).dense(latent, GLOROT).build());
                yield new Branched(trunk, heads);
            }
            default -> throw new IllegalArgumentException("model " + a.id() + " is a GAN's: it has a critic, not an encoder");
        };
    }

    /** E2's and E3's generator, which differ only in the filters of the second block's conv. */
    private static Sequential upsamplingGenerator(Architecture a, Rng rng, int latent, int secondFilters) {
        return Sequential.builder(rng, latent)
                .dense(4 * 4 * 512, GLOROT).batchNorm().relu().reshape(4, 4, 512)
                .upSampling(2, Interpolation.BILINEAR).conv2d(256, 5, 1, Padding.SAME, GLOROT).batchNorm().relu()
                .upSampling(2, Interpolation.BILINEAR).conv2d(secondFilters, 5, 1, Padding.SAME, GLOROT).batchNorm().relu()
                .upSampling(2, Interpolation.BILINEAR).conv2d(a.channels(), 5, 1, Padding.SAME, GLOROT).tanh()
                .build();
    }

    /**
     * The critic of {@code a}: an image of {@code a}'s shape in, one linear score out (no
     * sigmoid). {@code norm} decides what stands at each BN of the lists below: BatchNorm,
     * LayerNorm, or nothing.
     * <ul>
     *   <li>E1: Conv2D 64 4x4 s2 same -> 14x14x64, BN, LeakyReLU(0.2); Conv2D 64 4x4 s2 same
     *       -> 7x7x64, BN, LeakyReLU(0.2); Flatten; Dense 1. Conv kernels N(0, 0.02), the
     *       Dense's Glorot-uniform.
     *   <li>E2: Conv2D 128 5x5 s2 same -> 16x16x128, LeakyReLU(0.2); Conv2D 256 5x5 s2 same
     *       -> 8x8x256, BN, LeakyReLU(0.2); Conv2D 512 5x5 s2 same -> 4x4x512, BN,
     *       LeakyReLU(0.2); Flatten; Dense 1. Glorot-uniform kernels. ({@code padding='same'} on
     *       all three, as the source article's {@code WGAN.build_critic} has it; see
     *       docs/experiments.md, E2.)
     *   <li>E3: E2's without bias in the three convs ({@code use_bias=False} in the source article's
     *       {@code WGAN_GP.build_critic}; the Dense keeps its bias), by default without BN.
     *   <li>E4: Conv2D 64 5x5 s3 valid -> 20x20x64, LeakyReLU(0.2); Conv2D 128 5x5 s3 valid
     *       -> 6x6x128, BN, LeakyReLU(0.2); Conv2D 256 5x5 s3 valid -> 1x1x256, BN,
     *       LeakyReLU(0.2); Flatten; Dense 1. Glorot-uniform kernels; the slope is the default
     *       of the source's {@code tf.nn.leaky_relu} (the source repository's {@code Discriminator.call}).
     *   <li>TOY: Flatten; Dense {@link #TOY_HIDDEN}, ReLU, three times; Dense 1. Glorot-uniform
     *       kernels; no normalisation ({@code norm} is not used).
     * </ul>
     */
    public static Sequential critic(Architecture a, CriticNorm norm, Rng rng) {
        return switch (a) {
            case E1 -> {
                CriticConvs convs = new CriticConvs(4, 2, Padding.SAME, N002, true);
                Sequential.Builder b = input(a, rng);
                convs.block(b, 64, norm);
                convs.block(b, 64, norm);
                yield b.flatten().dense(1, GLOROT).build();
            }
            case E2 -> threeBlockCritic(a, rng, 128, new CriticConvs(5, 2, Padding.SAME, GLOROT, true), norm);
            case E3 -> threeBlockCritic(a, rng, 128, new CriticConvs(5, 2, Padding.SAME, GLOROT, false), norm);
            case E4 -> threeBlockCritic(a, rng, 64, new CriticConvs(5, 3, Padding.VALID, GLOROT, true), norm);
            case AE, VAE -> throw new IllegalArgumentException("model " + a.id() + " is an autoencoder: it has an encoder, not a critic");
            case TOY -> toyHidden(input(a, rng).flatten()).dense(1, GLOROT).build();
        };
    }

    /** The toy networks' three hidden layers, Dense {@link #TOY_HIDDEN} and ReLU each. */
    private static Sequential.Builder toyHidden(Sequential.Builder b) {
        for (int layer = 0; layer < 3; layer++) b.dense(TOY_HIDDEN, GLOROT).relu();
        return b;
    }

    private static Sequential.Builder input(Architecture a, Rng rng) {
        return Sequential.builder(rng, a.height(), a.width(), a.channels());
    }

    /**
     * E2's, E3's and E4's critic: blocks of {@code filters}, twice and four times as many
     * filters, the first without normalisation; Flatten; Dense 1.
     */
    private static Sequential threeBlockCritic(Architecture a, Rng rng, int filters, CriticConvs convs, CriticNorm norm) {
        Sequential.Builder b = input(a, rng);
        convs.block(b, filters, CriticNorm.NONE);
        convs.block(b, 2 * filters, norm);
        convs.block(b, 4 * filters, norm);
        return b.flatten().dense(1, GLOROT).build();
    }

    /** The convs of one critic, which share their kernel size, stride, padding, init and bias. */
    private record CriticConvs(int kernel, int stride, Padding padding, Initializer init, boolean bias) {
        /** Conv2D with {@code filters}, then {@code norm}, then LeakyReLU(0.2). */
        void block(Sequential.Builder b, int filters, CriticNorm norm) {
            if (bias) {
                b.conv2d(filters, kernel, stride, padding, init);
            } else {
                b.conv2dNoBias(filters, kernel, stride, padding, init);
            }
            switch (norm) {
                case BATCH -> b.batchNorm();
                case LAYER -> b.layerNorm();
                case NONE -> { }
            }
            b.leakyRelu(0.2f);
        }
    }
}
