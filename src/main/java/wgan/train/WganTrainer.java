package wgan.train;

import wgan.autodiff.Grad;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.data.TrainingImages;
import wgan.kernels.Devices;
import wgan.nn.GradientPenalty;
import wgan.nn.Losses;
import wgan.nn.Module;
import wgan.nn.Parameter;
import wgan.nn.Sequential;
import wgan.optim.Adam;
import wgan.optim.Optimizer;
import wgan.optim.RMSprop;
import wgan.optim.WeightClipping;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;
import wgan.tensor.Workspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The GAN training loop of every preset (docs/experiments.md; Arjovsky et al. 2017, Algorithm 1; Gulrajani
 * et al. 2017, Algorithm 1). One {@link #iteration} is n_critic critic rounds followed by one
 * generator update through the critic. A critic round is, by {@link TrainConfig.CriticStep}:
 * <ul>
 *   <li>SPLIT (E1): an update on half a batch of real images, then one on half a batch of fakes;</li>
 *   <li>JOINT: one update on a batch of real images and a batch of fakes together, plus the
 *       gradient penalty on interpolates between them when the run has one.</li>
 * </ul>
 *
 * <p>All state that a resumed run needs is here: the two models (weights and batch-norm
 * statistics), the two optimisers, the random streams and the count of steps; {@link Checkpoint} saves it.
 */
public final class WganTrainer implements Checkpoint.Saved {
    /** Labels of the Wasserstein loss mean(y * D(x)) (docs/wgan-math.md, section 4). */
    static final float REAL = -1f;
    static final float FAKE = 1f;

    final TrainConfig config;
    final Sequential generator;
    /** The generator in inference mode, as {@code wgan generate} uses a trained one. */
    private final Sampler sampler;
    final Sequential critic;
    final Optimizer generatorOptimizer;
    final Optimizer criticOptimizer;
    /**
     * With {@code --keras-bn-quirk}: the reference's combined model's own RMSprop, which updates the
     * critic's batch-norm gamma/beta in the generator step (its BN layers stay trainable there).
     * Null in the spec's reading.
     */
    final Optimizer criticNormInGeneratorStep;
    final RealBatches realBatches;
    /** Streams of the latent points and of the penalty's interpolation factors. */
    final Rng noiseRng;
    final Rng penaltyRng;
    /** Generator steps taken so far (the WGAN authors' gen_iterations). */
    int steps;
    private final List<Parameter> clipped;
    /** The big activations and gradients of one iteration, recycled by the next (see Workspace). */
    private final Workspace workspace = new Workspace();
    /** What the generator step differentiates: the generator's parameters (and, with the quirk, the critic's BN ones). */
    private final List<Var> generatorStepVars;

    /**
     * The mean and standard deviation of the critic's input-gradient norm at the penalty's
     * interpolates in the last critic round; NaN before one, or without a penalty.
     */
    private double penaltyNormMean = Double.NaN, penaltyNormStd = Double.NaN;

    /**
     * Random streams forked from the run's seed; fixed ids so that each stream is the same in every run
     * (new ones go last). TOY_POINTS draws a toy run's data set, TOY_FRAMES what its frames show.
     */
    enum RandomStream {
        GENERATOR_INIT, CRITIC_INIT, DATA, NOISE, SAMPLE_GRID, PENALTY, TOY_POINTS, TOY_FRAMES;

        Rng of(long seed) {
            return new Rng(seed).fork(ordinal() + 1);
        }
    }

    /** A new run: freshly initialised models from {@code config.get(Settings.SEED)}. */
    public WganTrainer(TrainConfig config, TrainingImages real) {
        Architecture a = config.get(Settings.MODEL);
        int[] expected = {a.height(), a.width(), a.channels()};
        if (!Arrays.equals(real.imageShape(), expected)) {
            throw new IllegalArgumentException("model " + a.id() + " takes " + Arrays.toString(expected)
                    + " images, the data has " + Arrays.toString(real.imageShape()));
        }
        this.config = config;
        this.generator = Models.generator(a, RandomStream.GENERATOR_INIT.of(config.get(Settings.SEED)), config.get(Settings.LATENT));
        this.critic = Models.critic(a, config.get(Settings.CRITIC_NORM), RandomStream.CRITIC_INIT.of(config.get(Settings.SEED)));
        this.sampler = new Sampler(generator, config.get(Settings.LATENT), a);
        this.generatorOptimizer = optimizer(config, generator.parameters(), config.get(Settings.LR));
        this.criticOptimizer = optimizer(config, critic.parameters(), config.get(Settings.CRITIC_LR));
        this.realBatches = new RealBatches(real, config.get(Settings.SAMPLING), config.get(Settings.SEED));
        this.noiseRng = RandomStream.NOISE.of(config.get(Settings.SEED));
        this.penaltyRng = RandomStream.PENALTY.of(config.get(Settings.SEED));
        this.clipped = switch (config.get(Settings.LIPSCHITZ)) {
            // E1's reference clips the conv kernels only, not biases, batch norm or the Dense layer (docs/experiments.md, E1).
            case CLIP -> Parameter.ofKind(critic.parameters(), a.clippedKernels());
            case ALL_CLIP -> critic.parameters();
            default -> List.of();
        };
        List<Parameter> criticNorm = Parameter.ofKind(critic.parameters(), Parameter.Kind.NORM_GAMMA, Parameter.Kind.NORM_BETA);
        this.criticNormInGeneratorStep = config.get(Settings.KERAS_BN_QUIRK) ? optimizer(config, criticNorm, config.get(Settings.LR)) : null;
        List<Parameter> stepped = new ArrayList<>(generator.parameters());
        if (config.get(Settings.KERAS_BN_QUIRK)) stepped.addAll(criticNorm);
        this.generatorStepVars = stepped.stream().map(Parameter::var).toList();
    }

    /** The configured optimiser (Keras semantics) over {@code params}, at learning rate {@code rate}. */
    static Optimizer optimizer(TrainConfig config, List<Parameter> params, double rate) {
        float lr = (float) rate;
        return switch (config.get(Settings.OPTIMIZER)) {
            case RMSPROP -> RMSprop.keras(params, lr);
            case ADAM -> Adam.keras(params, lr, config.get(Settings.BETA1).floatValue(), config.get(Settings.BETA2).floatValue());
        };
    }

    @Override
    public TrainConfig config() {
        return config;
    }

    @Override
    public Map<String, Module> models() {
        Map<String, Module> models = new LinkedHashMap<>();
        models.put(Checkpoint.GENERATOR, generator);
        models.put(Checkpoint.CRITIC, critic);
        return models;
    }

    @Override
    public Map<String, Optimizer> optimizers() {
        Map<String, Optimizer> optimizers = new LinkedHashMap<>();
        optimizers.put(Checkpoint.GENERATOR_OPTIMIZER, generatorOptimizer);
        optimizers.put(Checkpoint.CRITIC_OPTIMIZER, criticOptimizer);
        if (criticNormInGeneratorStep != null) optimizers.put(Checkpoint.CRITIC_NORM_OPTIMIZER, criticNormInGeneratorStep);
        return optimizers;
    }

    @Override
    public Checkpoint.Streams streams() {
        return new Checkpoint.Streams(realBatches, noiseRng, penaltyRng);
    }

    @Override
    public void restoreSteps(int steps) {
        this.steps = steps;
    }

    /** Losses of one iteration: c1, c2 and gp are means over its critic rounds. */
    public record StepLosses(double c1, double c2, double gp, double g) {}

    public StepLosses iteration() {
        try (var lease = workspace.lend()) {
            return iterationInWorkspace();
        }
    }

    private StepLosses iterationInWorkspace() {
        double decay = config.learningRateFactor(steps);
        generatorOptimizer.setLearningRate((float) (config.get(Settings.LR) * decay));
        criticOptimizer.setLearningRate((float) (config.get(Settings.CRITIC_LR) * decay));
        if (criticNormInGeneratorStep != null) criticNormInGeneratorStep.setLearningRate((float) (config.get(Settings.LR) * decay));
        int rounds = config.criticRounds(steps + 1);
        int n = config.criticBatch();
        Fakes fakes = new Fakes(rounds, n);
        double c1 = 0, c2 = 0, gp = 0;
        for (int j = 0; j < rounds; j++) {
            if (config.get(Settings.CRITIC_STEP) == TrainConfig.CriticStep.SPLIT) {
                Tensor real = realBatches.next(n);
                c1 += criticUpdate(() -> new Var[] {critic.forward(Var.constant(real), true), null, null})[0];
                Tensor fake = fakes.next();
                c2 += criticUpdate(() -> new Var[] {null, critic.forward(Var.constant(fake), true), null})[1];
            } else {
                double[] parts = jointCriticUpdate(n, fakes);
                c1 += parts[0];
                c2 += parts[1];
                gp += parts[2];
            }
        }
        double g = generatorStep(config.get(Settings.BATCH));
        steps++;
        return new StepLosses(c1 / rounds, c2 / rounds, gp / rounds, g);
    }

    /** One critic round on a batch of real images and a batch of fakes; returns {c1, c2, gp}. */
    private double[] jointCriticUpdate(int n, Fakes fakes) {
        Tensor real = realBatches.next(n);
        Tensor fake = fakes.next();
        return criticUpdate(() -> jointScores(real, fake));
    }

    /** The critic's scores of real and fake, and the penalty on interpolates between them when the run has one (else null). */
    private Var[] jointScores(Tensor real, Tensor fake) {
        Var realScores = critic.forward(Var.constant(real), true);
        Var fakeScores = critic.forward(Var.constant(fake), true);
        Var penalty = null;
        if (config.get(Settings.LIPSCHITZ).penalises()) {
            GradientPenalty.Side side = config.get(Settings.LIPSCHITZ) == TrainConfig.Lipschitz.GP
                    ? GradientPenalty.Side.TWO_SIDED : GradientPenalty.Side.ONE_SIDED;
            GradientPenalty.Penalty p = GradientPenalty.withNorms(x -> critic.forward(x, true), real, fake,
                    config.get(Settings.GP_WEIGHT).floatValue(), side, penaltyRng);
            penalty = p.value();
            // Only read, before the update: the norms were computed for the penalty anyway.
            float[] norms = p.norms().data();
            double sum = 0, squares = 0;
            for (float v : norms) {
                sum += v;
                squares += (double) v * v;
            }
            penaltyNormMean = sum / norms.length;
            penaltyNormStd = Math.sqrt(Math.max(0, squares / norms.length - penaltyNormMean * penaltyNormMean));
        }
        return new Var[] {realScores, fakeScores, penalty};
    }

    /**
     * One critic update minimising the sum of the terms that {@code scores} computes, {real scores,
     * fake scores, penalty} (each may be null); returns their values {real, fake, penalty}, 0 for a
     * missing one. A device keeps what it put through the forward and backward passes ({@code Device.pass}).
     * The clipped weights are clipped after it (WGAN Algorithm 1, line 7).
     */
    private double[] criticUpdate(Supplier<Var[]> scores) {
        double[] parts = new double[3];
        try (var pass = Devices.current().pass()) {
            Var[] s = scores.get();
            criticOptimizer.zeroGrad();
            Var loss = null;
            Var[] terms = {s[0] == null ? null : asReal(s[0]), s[1] == null ? null : asFake(s[1]), s[2]};
            for (int t = 0; t < terms.length; t++) {
                if (terms[t] == null) continue;
                parts[t] = terms[t].value().item();
                loss = loss == null ? terms[t] : Ops.add(loss, terms[t]);
            }
            Grad.backward(loss);
        }
        criticOptimizer.step();
        if (config.get(Settings.LIPSCHITZ).clips()) WeightClipping.clip(clipped, config.get(Settings.CLIP).floatValue());
        return parts;
    }

    /** The loss that is low when the critic scores these images as real: mean(-D(x)), or -mean(log sigmoid(D(x))). */
    private Var asReal(Var scores) {
        return config.get(Settings.LOSS) == TrainConfig.Loss.WASSERSTEIN ? Losses.wasserstein(scores, REAL) : Losses.bceWithLogits(scores, 1f);
    }

    /** The loss that is low when the critic scores these images as fake: mean(D(x)), or -mean(log(1 - sigmoid(D(x)))). */
    private Var asFake(Var scores) {
        return config.get(Settings.LOSS) == TrainConfig.Loss.WASSERSTEIN ? Losses.wasserstein(scores, FAKE) : Losses.bceWithLogits(scores, 0f);
    }

    /**
     * One generator update: the critic's real-image loss on fakes, mean(-D(G(z))) for the WGAN, and
     * for the GAN the non-saturating -mean(log sigmoid(D(G(z)))) (Goodfellow et al. 2014, section 3).
     * Only the generator's parameters change (with the quirk, the critic's BN gamma/beta too). The
     * critic runs in training mode, as the references' critics do inside their combined models.
     */
    double generatorStep(int n) {
        generatorOptimizer.zeroGrad();
        if (criticNormInGeneratorStep != null) criticNormInGeneratorStep.zeroGrad();
        Var loss;
        // Nothing a product reads is written in the pass: with the quirk, the critic's BN gamma/beta only after it.
        try (var pass = Devices.current().pass()) {
            Var fake = generator.forward(Var.constant(latent(n)), true);
            loss = asReal(critic.forward(fake, true));
            Grad.backward(loss, generatorStepVars);
        }
        generatorOptimizer.step();
        if (criticNormInGeneratorStep != null) criticNormInGeneratorStep.step();
        return loss.value().item();
    }

    /** Most fakes made in one generator pass by {@link Fakes}: E1's 5 rounds of 32 fit. */
    private static final int FAKES_PER_PASS = 256;

    /**
     * The critic's fakes of one iteration, a batch of n per round: from the generator in
     * inference mode (the references' generator.predict), or in training mode with its batch
     * statistics when the run says so (E4's source). In inference mode a fake depends only on its
     * latent point and on the generator, which the critic rounds do not change, so the fakes of
     * several rounds are made in one pass: bigger GEMMs and fewer parallel loops. The latent
     * points are drawn in the same order as one round at a time, so the fakes are bitwise the
     * same (for n of 2 or more; one image alone takes a matrix-vector path that rounds
     * differently; see GeneratorBatchTest). In training mode each round's batch has its own
     * statistics, so one pass per round.
     */
    private final class Fakes {
        private final int n;
        private int roundsLeft;
        private Tensor made;
        private int taken, rounds;

        Fakes(int rounds, int n) {
            this.roundsLeft = rounds;
            this.n = n;
        }

        Tensor next() {
            if (roundsLeft-- <= 0) throw new IllegalStateException("no critic rounds left in this iteration");
            if (config.get(Settings.FAKES) == TrainConfig.FakesMode.TRAINING) {
                try (var s = Grad.noGrad(); var pass = Devices.current().pass()) {
                    return generator.forward(Var.constant(latent(n)), true).value();
                }
            }
            if (made == null || taken == rounds) {
                rounds = Math.min(roundsLeft + 1, Math.max(1, FAKES_PER_PASS / n));
                made = generate(latent(rounds * n));
                taken = 0;
            }
            int size = made.size() / made.dim(0), from = taken++ * n * size;
            int[] shape = made.shape().clone();
            shape[0] = n;
            return Tensor.of(Arrays.copyOfRange(made.data(), from, from + n * size), shape);
        }
    }

    /**
     * What two health warnings judge: the share of the clipped critic weights sitting at the
     * clipping bound (NaN without clipping), and the critic's gradient norm at the penalty's
     * interpolates in the last critic round, mean and standard deviation (NaN without a penalty).
     */
    public record CriticHealth(double clippedAtBound, double penaltyNormMean, double penaltyNormStd) {}

    /** A clipped weight counts as at the bound c when |w| >= AT_BOUND * c. */
    static final float AT_BOUND = 0.99f;

    public CriticHealth criticHealth() {
        double atBound = Double.NaN;
        if (config.get(Settings.LIPSCHITZ).clips()) {
            // Within 1% of c: a weight pinned at the bound that the last update moved inwards sits a step (about lr) below it.
            float near = AT_BOUND * config.get(Settings.CLIP).floatValue();
            long at = 0, all = 0;
            for (Parameter p : clipped) {
                for (float w : p.var().value().data()) if (Math.abs(w) >= near) at++;
                all += p.var().value().size();
            }
            atBound = all == 0 ? Double.NaN : at / (double) all;
        }
        return new CriticHealth(atBound, penaltyNormMean, penaltyNormStd);
    }

    /** Images for latent points z, generator in inference mode, no graph recorded. */
    public Tensor generate(Tensor z) {
        try (var pass = Devices.current().pass()) {
            return sampler.generate(z);
        }
    }

    private Tensor latent(int n) {
        Tensor z = Tensor.zeros(n, config.get(Settings.LATENT));
        noiseRng.fillGaussian(z.data(), 0f, 1f);
        return z;
    }

    /** The same {@code n} latent points for every sample grid of a run. */
    Tensor gridLatent(int n) {
        Tensor z = Tensor.zeros(n, config.get(Settings.LATENT));
        RandomStream.SAMPLE_GRID.of(config.get(Settings.SEED)).fillGaussian(z.data(), 0f, 1f);
        return z;
    }
}
