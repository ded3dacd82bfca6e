package wgan.train;

import com.google.gson.GsonBuilder;
import wgan.data.ToyDistribution;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static wgan.train.Settings.BATCH;
import static wgan.train.Settings.CLASS;
import static wgan.train.Settings.CRITIC_STEP;
import static wgan.train.Settings.CRITIC_WARMUP;
import static wgan.train.Settings.LR_DECAY;
import static wgan.train.Settings.LR_DECAY_START;
import static wgan.train.Settings.DATA;
import static wgan.train.Settings.DATASET;
import static wgan.train.Settings.EPOCHS;
import static wgan.train.Settings.ITERATIONS;
import static wgan.train.Settings.N_CRITIC;
import static wgan.train.Settings.OPTIMIZER;
import static wgan.train.Settings.LR;

/**
 * Every setting of one training run: one value for each of {@link Settings#ALL}, each allowed
 * and all of them consistent ({@link Settings#resolve} makes them). Immutable; saved as
 * {@code config.json} in the run's folder so that {@code --resume} continues with exactly the same
 * recipe, and {@code --config} reruns it. What each setting means is in its declaration.
 */
public final class TrainConfig {
    /** The WGAN authors' warm-up: this many critic rounds ... */
    static final int WARMUP_CRITIC_ROUNDS = 100;
    /** ... for the first this many generator steps ... */
    static final int WARMUP_STEPS = 25;
    /** ... and for every this many-th one after. */
    static final int WARMUP_PERIOD = 500;

    /** The real data: IDX images, a folder of images, or one of the 2-D toy distributions (docs/teaching.md). */
    public enum Dataset { MNIST, FASHION_MNIST, FOLDER, TOY_8GAUSSIANS, TOY_25GAUSSIANS, TOY_SWISSROLL;

        /** The 2-D distribution this dataset draws from, or null for images. */
        public ToyDistribution toy() {
            return switch (this) {
                case TOY_8GAUSSIANS -> ToyDistribution.EIGHT_GAUSSIANS;
                case TOY_25GAUSSIANS -> ToyDistribution.TWENTY_FIVE_GAUSSIANS;
                case TOY_SWISSROLL -> ToyDistribution.SWISS_ROLL;
                default -> null;
            };
        }

        public boolean isToy() {
            return toy() != null;
        }
    }

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

    /**
     * How the generator makes the critic's fakes: INFERENCE with batch norm's moving statistics (Keras
     * predict), TRAINING with the batch's own (as the E4 source's generator(z, training=True)).
     */
    public enum FakesMode { INFERENCE, TRAINING }

    /** REPLACEMENT: uniformly at random, with replacement (E1's randint). SHUFFLE: shuffled epochs, last partial batch dropped. */
    public enum Sampling { REPLACEMENT, SHUFFLE }

    /** RMSPROP with Keras's semantics (rho 0.9, eps 1e-7); ADAM with Keras's eps 1e-7. */
    public enum OptimizerKind { RMSPROP, ADAM }

    /** NONE: constant learning rates. LINEAR: falling linearly to 0 over the run (WGAN-GP's CIFAR-10 runs). */
    public enum LrDecay { NONE, LINEAR }

    /**
     * The reference experiments of docs/experiments.md and the better recipe for MNIST; each one's settings are
     * in its file, src/main/resources/wgan/presets/NAME.json.
     */
    public enum Preset {
        E1, E1_GP, E2, E3, E4_GAN, E4_GAN_GP, E4_WGAN_GP, AE, VAE, TOY_8GAUSSIANS, TOY_25GAUSSIANS, TOY_SWISSROLL;

        /** The preset's settings, reading data from the default places. */
        public TrainConfig config() {
            return Settings.preset(this);
        }
    }

    private final Map<Setting<?>, Object> values;

    /** Made by {@link Settings#resolve}, which checks the values. */
    TrainConfig(Map<Setting<?>, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public <T> T get(Setting<T> setting) {
        return setting.cast(values.get(setting));
    }

    /** E1 exactly as the reference runs it (docs/experiments.md, E1), reading the data from {@code dataDir} (null: default places). */
    public static TrainConfig e1(Path dataDir) {
        return Preset.E1.config().with(DATA, Optional.ofNullable(dataDir));
    }

    /** This configuration with one setting changed (and those that follow it); checked. */
    public <T> TrainConfig with(Setting<T> setting, T value) {
        return toBuilder().set(setting, value).build();
    }

    /** A builder of changes to this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The run's length in generator updates, once it is known. */
    public int iterations() {
        return get(ITERATIONS).orElseThrow(() -> new IllegalStateException("the length in epochs is not resolved yet"));
    }

    /**
     * This configuration with its length in iterations: the given one, or its epochs of
     * {@code images} images, counted in long and held to the iterations' range.
     */
    public TrainConfig withLengthFor(int images) {
        if (get(ITERATIONS).isPresent()) return this;
        long iterations = (long) get(EPOCHS) * batchesPerEpoch(images);
        if (iterations > Settings.MAX_ITERATIONS) {
            throw new InvalidSettingException(EPOCHS, "must make at most " + Settings.MAX_ITERATIONS + " iterations, got "
                    + get(EPOCHS) + " epochs of " + batchesPerEpoch(images) + " = " + iterations);
        }
        return with(ITERATIONS, OptionalInt.of((int) iterations));
    }

    /** Batches in one pass over {@code images} images (the reference's bat_per_epo). */
    public int batchesPerEpoch(int images) {
        return Math.max(1, images / get(BATCH));
    }

    /** Real (and fake) images per critic update. */
    public int criticBatch() {
        return get(CRITIC_STEP) == CriticStep.SPLIT ? get(BATCH) / 2 : get(BATCH);
    }

    /** Critic rounds before generator step {@code iteration} (1-based). */
    public int criticRounds(int iteration) {
        int done = iteration - 1; // the authors' gen_iterations: generator steps taken so far
        boolean warm = get(CRITIC_WARMUP) && (done < WARMUP_STEPS || done % WARMUP_PERIOD == 0);
        return warm ? WARMUP_CRITIC_ROUNDS : get(N_CRITIC);
    }

    /**
     * The factor on the learning rates for the update after {@code stepsTaken} of the run's n
     * iterations: 1, or with linear decay starting after a share s of the run,
     * min(1, (n - stepsTaken) / (n - s n)). With s = 0 that is 1 - stepsTaken / n, the schedule of
     * the WGAN-GP authors' CIFAR-10 models (Gulrajani et al. 2017, appendix; their code's
     * {@code max(0, 1 - iteration / ITERS)}).
     */
    public double learningRateFactor(int stepsTaken) {
        if (get(LR_DECAY) != LrDecay.LINEAR) return 1;
        double n = iterations(), falling = n - get(LR_DECAY_START) * n;
        return Math.max(0, Math.min(1, (n - stepsTaken) / falling));
    }

    /** The optimiser and its learning rate, for the console, e.g. "adam 0.000100, falling linearly to 0". */
    public String optimizerTitle() {
        String decay = get(LR_DECAY) != LrDecay.LINEAR ? ""
                : get(LR_DECAY_START) == 0 ? ", falling linearly to 0"
                : String.format(Locale.ROOT, ", falling linearly to 0 after %.0f%% of the run", 100 * get(LR_DECAY_START));
        return String.format(Locale.ROOT, "%s %.3g%s", Ids.id(get(OPTIMIZER)), get(LR), decay);
    }

    /** What the run trains on, for titles and the console, e.g. "MNIST digit 7". */
    public String dataTitle() {
        OptionalInt label = get(CLASS);
        return switch (get(DATASET)) {
            case MNIST -> label.isEmpty() ? "MNIST" : "MNIST digit " + label.getAsInt();
            case FASHION_MNIST -> label.isEmpty() ? "Fashion-MNIST" : "Fashion-MNIST class " + label.getAsInt();
            case FOLDER -> "images in " + get(DATA).map(Path::toString).orElse("(no folder)");
            case TOY_8GAUSSIANS, TOY_25GAUSSIANS, TOY_SWISSROLL -> get(DATASET).toy().title() + " (2-D)";
        };
    }

    /** Every setting by name, as config.json holds them. */
    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(Settings.toJson(this));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainConfig c && values.equals(c.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Changes to a configuration; {@link #build()} makes and checks the result. */
    public static final class Builder {
        private final Settings.Layer base = new Settings.Layer();
        private final Settings.Layer changes = new Settings.Layer();

        private Builder(TrainConfig c) {
            c.values.forEach(base::put);
        }

        public <T> Builder set(Setting<T> setting, T value) {
            changes.set(setting, value);
            return this;
        }

        /** Every value of {@code layer}, as given. */
        public Builder setAll(Settings.Layer layer) {
            layer.values().forEach(changes::put);
            return this;
        }

        /** The changed configuration, each change over the old values as a flag is over a preset. */
        public TrainConfig build() {
            return Settings.resolve(List.of(base, changes));
        }
    }
}
