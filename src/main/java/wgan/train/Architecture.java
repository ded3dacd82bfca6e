package wgan.train;

import wgan.nn.Parameter;

/**
 * The generator/critic pairs of docs/experiments.md, and the encoder/decoder pairs of docs/vae.md,
 * by the name users give to --model; {@link Models} builds them. Each has the image shape its data is brought to, the latent size of its source
 * and the critic normalisation the spec gives it.
 */
public enum Architecture {
    /** MNIST 28x28x1 (docs/experiments.md, E1), latent 50. */
    E1(28, 28, 1, 50, CriticNorm.BATCH),
    /** Fashion-MNIST at 32x32x1, WGAN (docs/experiments.md, E2), latent 128. */
    E2(32, 32, 1, 128, CriticNorm.BATCH),
    /** Fashion-MNIST at 32x32x1, WGAN-GP (docs/experiments.md, E3), latent 128: its critic has no batch norm. */
    E3(32, 32, 1, 128, CriticNorm.NONE),
    /** Anime faces 64x64x3 (docs/experiments.md, E4), latent 100. */
    E4(64, 64, 3, 100, CriticNorm.BATCH),
    /** The course's dense autoencoder on 28x28x1 images (docs/vae.md), code size 20; no critic. */
    AE(28, 28, 1, 20, CriticNorm.NONE),
    /** The course's dense variational autoencoder on 28x28x1 images (docs/vae.md), latent 10; no critic. */
    VAE(28, 28, 1, 10, CriticNorm.NONE),
    /** 2-D points (docs/teaching.md), held as 1x1x2 "images"; latent 2, as the WGAN-GP authors' toy generator's noise. */
    TOY(1, 1, 2, 2, CriticNorm.NONE);

    private final int height, width, channels, defaultLatent;
    private final CriticNorm defaultCriticNorm;

    Architecture(int height, int width, int channels, int defaultLatent, CriticNorm defaultCriticNorm) {
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.defaultLatent = defaultLatent;
        this.defaultCriticNorm = defaultCriticNorm;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    public int defaultLatent() {
        return defaultLatent;
    }

    public CriticNorm defaultCriticNorm() {
        return defaultCriticNorm;
    }

    /** Whether this is an encoder/decoder pair, trained by {@link AutoencoderTrainer}, rather than a GAN's. */
    public boolean autoencoder() {
        return this == AE || this == VAE;
    }

    /**
     * The critic weights that {@code --lipschitz clip} clips: E1's reference clips its conv kernels
     * (docs/experiments.md, E1); the toy critic has only Dense layers, so their kernels.
     */
    public Parameter.Kind clippedKernels() {
        return this == TOY ? Parameter.Kind.DENSE_KERNEL : Parameter.Kind.CONV_KERNEL;
    }

    /** "e1", "e2", "e3", "e4", "ae", "vae", "toy". */
    public String id() {
        return Ids.id(this);
    }

}
