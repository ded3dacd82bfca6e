package wgan.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Every setting of one training run. Immutable; saved as {@code config.json} in the run's folder
 * so that {@code --resume} continues with exactly the same recipe. {@link Preset} gives the
 * reference experiments' settings; {@link Builder} changes single ones.
 *
 * @param preset          the preset the run started from (informational)
 * @param dataset         where the real images come from
 * @param label           the class trained on (an MNIST digit, a Fashion-MNIST class), or -1 for all
 * @param dataDir         folder with the data files or images, or null for the default places
 * @param model           the generator/critic pair
 * @param criticNorm      the critic's normalisation layers
 * @param loss            Wasserstein (linear critic) or the standard GAN's cross-entropy on logits
 * @param lipschitz       how the critic is kept (roughly) 1-Lipschitz
 * @param clip            the clipping bound c of {@link Lipschitz#CLIP} / {@link Lipschitz#ALL_CLIP}
 * @param gpWeight        lambda of the gradient penalty
 * @param criticStep      how one critic round uses its real and fake images
 * @param fakesInTraining make the critic's fakes with the generator in training mode (batch-norm batch
 *                        statistics, as the E4 source does) instead of inference mode (Keras predict)
 * @param sampling        how real images are drawn
 * @param iterations      generator updates in total; 0 = {@link #EPOCHS_DEFAULT} epochs, resolved once the data is loaded
 * @param batch           images per generator update and, with {@link CriticStep#JOINT}, per critic update
 * @param nCritic         critic rounds per generator update
 * @param criticWarmup    the WGAN authors' schedule: 100 critic rounds for the first 25 generator steps and every 500th
 * @param optimizer       "rmsprop" (Keras semantics) or "adam"
 * @param lr              learning rate of both optimisers
 * @param beta1           Adam's beta1
 * @param beta2           Adam's beta2
 * @param latent          size of the latent vector z
 * @param seed            seed of every random stream of the run
 * @param checkpointEvery iterations between checkpoints; 0 = at each sample grid
 * @param sampleEvery     iterations between sample grids and loss plots; 0 = once per epoch
 * @param kerasBnQuirk    also update the critic's batch-norm gamma/beta in the generator step, as E1's
 *                        reference Keras combined model does (docs/e1.md, quirk 1); off in the spec's reading
 */
public record TrainConfig(Preset preset, Dataset dataset, int label, String dataDir,
                          Architecture model, CriticNorm criticNorm,
                          Loss loss, Lipschitz lipschitz, double clip, double gpWeight,
                          CriticStep criticStep, boolean fakesInTraining, Sampling sampling,
                          int iterations, int batch, int nCritic, boolean criticWarmup,
                          String optimizer, double lr, double beta1, double beta2,
                          int latent, long seed, int checkpointEvery, int sampleEvery, boolean kerasBnQuirk) {

    /** The length of a run given neither iterations nor epochs: E1's 10 epochs. */
    public static final int EPOCHS_DEFAULT = 10;
    /** The WGAN authors' warm-up: this many critic rounds ... */
    static final int WARMUP_CRITIC_ROUNDS = 100;
    /** ... for the first this many generator steps ... */
    static final int WARMUP_STEPS = 25;
    /** ... and for every this many-th one after. */
    static final int WARMUP_PERIOD = 500;

    public enum Dataset { MNIST, FASHION_MNIST, FOLDER }

    /** Wasserstein: mean(y * D(x)), y = -1 real, +1 fake. GAN: sigmoid cross-entropy on logits, non-saturating generator. */
    public enum Loss { WASSERSTEIN, GAN }

    /**
     * CLIP: the critic's conv kernels to [-c, c] after each critic update (E1's reading); ALL_CLIP:
     * every critic weight (E2, the WGAN paper); GP: the gradient penalty (WGAN-GP); GP_ONE_SIDED:
     * its one-sided variant max(0, ||g|| - 1)^2; NONE.
     */
    public enum Lipschitz { CLIP, ALL_CLIP, GP, GP_ONE_SIDED, NONE;

        public boolean clips() {
            return this == CLIP || this == ALL_CLIP;
        }

        public boolean penalises() {
            return this == GP || this == GP_ONE_SIDED;
        }
    }

    /**
     * SPLIT: E1's round, an update on batch/2 real images then an update on batch/2 fakes. JOINT:
     * one update on a batch of real images and a batch of fakes together (E2-E4, and WGAN-GP, whose
     * penalty needs both).
     */
    public enum CriticStep { SPLIT, JOINT }

    /** REPLACEMENT: uniformly at random, with replacement (E1's randint). SHUFFLE: shuffled epochs, last partial batch dropped. */
    public enum Sampling { REPLACEMENT, SHUFFLE }

    /** The reference experiments of SPEC.md and the better recipe for MNIST. */
    public enum Preset {
        /** E1: MNIST 7s, WGAN with weight clipping of the conv kernels, the reference tutorial's recipe. */
        E1,
        /** E1's data and generator; E1's critic without batch norm; gradient penalty, Adam 1e-4 (0.5, 0.9). */
        E1_GP,
        /** E2: Fashion-MNIST 32x32, WGAN with every critic weight clipped. */
        E2,
        /** E3: Fashion-MNIST 32x32, WGAN-GP. */
        E3,
        /** E4 with the standard GAN loss, on a folder of colour images. */
        E4_GAN,
        /** E4 with the standard GAN loss plus a gradient penalty of weight 1 (what the source calls its WGAN). */
        E4_GAN_GP,
        /** E4's models with E3's loss and penalty, and layer norm for the critic's batch norm: the proper WGAN-GP. */
        E4_WGAN_GP;

        /** The preset's settings, reading data from the default places. */
        public TrainConfig config() {
            Builder e1 = new Builder(this, Dataset.MNIST, 7, Architecture.E1, Architecture.E1.defaultCriticNorm(),
                    Loss.WASSERSTEIN, Lipschitz.CLIP, CriticStep.SPLIT, Sampling.REPLACEMENT, 0, 5, "rmsprop", 5e-5, 0);
            Builder fashion = new Builder(this, Dataset.FASHION_MNIST, -1, Architecture.E2, Architecture.E2.defaultCriticNorm(),
                    Loss.WASSERSTEIN, Lipschitz.ALL_CLIP, CriticStep.JOINT, Sampling.SHUFFLE, 2000, 5, "rmsprop", 5e-5, 100);
            Builder e4 = new Builder(this, Dataset.FOLDER, -1, Architecture.E4, Architecture.E4.defaultCriticNorm(),
                    Loss.GAN, Lipschitz.NONE, CriticStep.JOINT, Sampling.SHUFFLE, 0, 1, "adam", 2e-4, 100);
            e4.beta2 = 0.999; // the DCGAN default the spec names: Adam 2e-4, beta1 0.5 (Keras beta2)
            e4.fakesInTraining = true; // the source calls generator(z, training) in the critic step
            Builder b = switch (this) {
                case E1, E1_GP -> e1;
                case E2, E3 -> fashion;
                case E4_GAN, E4_GAN_GP, E4_WGAN_GP -> e4;
            };
            switch (this) {
                case E1_GP -> {
                    wganGp(b).criticNorm = CriticNorm.NONE;
                    // The critic then judges the fakes the generator step trains, and batch norm's
                    // moving statistics (which the sample grids use) follow six batches an
                    // iteration instead of one; with inference-mode fakes the grids stayed dark
                    // for the first epochs (docs/presets.md).
                    b.fakesInTraining = true;
                }
                case E3 -> wganGp(b.model(Architecture.E3)).iterations = 5000;
                case E4_GAN_GP -> {
                    b.lipschitz = Lipschitz.GP;
                    b.gpWeight = 1.0;
                }
                case E4_WGAN_GP -> {
                    wganGp(b).loss = Loss.WASSERSTEIN;
                    b.nCritic = 5;
                    // "Proper" WGAN-GP: no batch norm in the critic, whose per-sample penalty it
                    // would couple (Gulrajani et al. 2017, section 4); layer norm in its place.
                    b.criticNorm = CriticNorm.LAYER;
                }
                default -> { }
            }
            return b.build();
        }

        /** Gulrajani et al. 2017, Algorithm 1's defaults: lambda 10, Adam 1e-4 (0.5, 0.9), no clipping. */
        private static Builder wganGp(Builder b) {
            b.lipschitz = Lipschitz.GP;
            b.gpWeight = 10;
            b.criticStep = CriticStep.JOINT;
            b.optimizer = "adam";
            b.lr = 1e-4;
            b.beta1 = 0.5;
            b.beta2 = 0.9;
            return b;
        }
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls()
            .registerTypeAdapterFactory(Ids.GSON_ADAPTER).create();

    public TrainConfig {
        if (preset == null || dataset == null || model == null || criticNorm == null || loss == null || lipschitz == null
                || criticStep == null || sampling == null || optimizer == null) {
            throw new IllegalArgumentException("incomplete training configuration");
        }
        if (lipschitz.penalises() && criticStep == CriticStep.SPLIT) {
            throw new IllegalArgumentException("the gradient penalty needs real and fake images in one critic step");
        }
        if (criticStep == CriticStep.SPLIT && batch % 2 != 0) {
            throw new IllegalArgumentException("a split critic step needs an even batch, got " + batch);
        }
    }

    /** E1 exactly as the reference runs it (SPEC E1), reading the data from {@code dataDir} (null: default places). */
    public static TrainConfig e1(String dataDir) {
        return Preset.E1.config().withDataDir(dataDir);
    }

    /** Batches in one pass over {@code images} images (the reference's bat_per_epo). */
    public int batchesPerEpoch(int images) {
        return Math.max(1, images / batch);
    }

    /** Real (and fake) images per critic update. */
    public int criticBatch() {
        return criticStep == CriticStep.SPLIT ? batch / 2 : batch;
    }

    /** Critic rounds before generator step {@code iteration} (1-based). */
    public int criticRounds(int iteration) {
        int done = iteration - 1; // the authors' gen_iterations: generator steps taken so far
        boolean warm = criticWarmup && (done < WARMUP_STEPS || done % WARMUP_PERIOD == 0);
        return warm ? WARMUP_CRITIC_ROUNDS : nCritic;
    }

    /** What the run trains on, for titles and the console, e.g. "MNIST digit 7". */
    public String dataTitle() {
        return switch (dataset) {
            case MNIST -> label < 0 ? "MNIST" : "MNIST digit " + label;
            case FASHION_MNIST -> label < 0 ? "Fashion-MNIST" : "Fashion-MNIST class " + label;
            case FOLDER -> "images in " + dataDir;
        };
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public TrainConfig withIterations(int newIterations) {
        Builder b = toBuilder();
        b.iterations = newIterations;
        return b.build();
    }

    public TrainConfig withDataDir(String newDataDir) {
        Builder b = toBuilder();
        b.dataDir = newDataDir;
        return b.build();
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    /** Parses what {@link #toJson()} wrote; {@code source} names the file in errors. */
    public static TrainConfig fromJson(String json, Path source) throws IOException {
        try {
            TrainConfig c = GSON.fromJson(json, TrainConfig.class);
            if (c == null || c.iterations < 1 || c.batch < 1) {
                throw new IOException(source + " holds no complete training configuration");
            }
            return c;
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new IOException(source + " is not a valid configuration: " + e.getMessage(), e);
        }
    }

    /** A mutable copy of a configuration, for presets and command-line overrides; {@link #build()} checks it. */
    public static final class Builder {
        public Preset preset;
        public Dataset dataset;
        public int label;
        public String dataDir;
        public Architecture model;
        public CriticNorm criticNorm;
        public Loss loss;
        public Lipschitz lipschitz;
        public double clip = 0.01;
        public double gpWeight;
        public CriticStep criticStep;
        public boolean fakesInTraining;
        public Sampling sampling;
        public int iterations;
        public int batch = 64;
        public int nCritic;
        public boolean criticWarmup;
        public String optimizer;
        public double lr;
        public double beta1 = 0.5;
        public double beta2 = 0.9;
        public int latent;
        public long seed = 1;
        public int checkpointEvery;
        public int sampleEvery;
        public boolean kerasBnQuirk;

        private Builder(Preset preset, Dataset dataset, int label, Architecture model, CriticNorm criticNorm,
                        Loss loss, Lipschitz lipschitz, CriticStep criticStep, Sampling sampling, int iterations,
                        int nCritic, String optimizer, double lr, int sampleEvery) {
            this.preset = preset;
            this.dataset = dataset;
            this.label = label;
            this.model = model;
            this.criticNorm = criticNorm;
            this.loss = loss;
            this.lipschitz = lipschitz;
            this.criticStep = criticStep;
            this.sampling = sampling;
            this.iterations = iterations;
            this.nCritic = nCritic;
            this.optimizer = optimizer;
            this.lr = lr;
            this.latent = model.defaultLatent();
            this.sampleEvery = sampleEvery;
        }

        private Builder(TrainConfig c) {
            this(c.preset, c.dataset, c.label, c.model, c.criticNorm, c.loss, c.lipschitz, c.criticStep, c.sampling,
                    c.iterations, c.nCritic, c.optimizer, c.lr, c.sampleEvery);
            dataDir = c.dataDir;
            clip = c.clip;
            gpWeight = c.gpWeight;
            fakesInTraining = c.fakesInTraining;
            batch = c.batch;
            criticWarmup = c.criticWarmup;
            beta1 = c.beta1;
            beta2 = c.beta2;
            latent = c.latent;
            seed = c.seed;
            checkpointEvery = c.checkpointEvery;
            kerasBnQuirk = c.kerasBnQuirk;
        }

        public Builder model(Architecture m) {
            model = m;
            latent = m.defaultLatent();
            criticNorm = m.defaultCriticNorm();
            return this;
        }








        public TrainConfig build() {
            return new TrainConfig(preset, dataset, label, dataDir, model, criticNorm, loss, lipschitz, clip, gpWeight,
                    criticStep, fakesInTraining, sampling, iterations, batch, nCritic, criticWarmup, optimizer, lr,
                    beta1, beta2, latent, seed, checkpointEvery, sampleEvery, kerasBnQuirk);
        }
    }
}
