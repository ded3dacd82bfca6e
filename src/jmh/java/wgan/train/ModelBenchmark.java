package wgan.train;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import wgan.autodiff.Grad;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.nn.GradientPenalty;
import wgan.nn.Losses;
import wgan.nn.Parameter;
import wgan.nn.Sequential;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * Whole models at the reference batch sizes: the E1 critic and generator forward, and forward +
 * backward (to every parameter; a backward should cost at most about twice its forward), and one
 * E3 critic step with and without the WGAN-GP gradient penalty (double backprop; at most about
 * 4x the plain step). Average time per operation, in milliseconds.
 *
 * <pre>mvn -q -P jmh -DskipTests package && java -jar target/benchmarks.jar ModelBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class ModelBenchmark {
    @Param({"32", "64"})
    int batch;

    private Sequential e1Critic;
    private Sequential e1Generator;
    private Sequential e3Critic;
    private Tensor images28;
    private Tensor images32;
    private Tensor fakes32;
    private Tensor latent;
    private Rng rng;

    @Setup
    public void setUp() {
        rng = new Rng(42);
        e1Critic = Models.critic(Architecture.E1, CriticNorm.BATCH, rng.fork(1));
        e1Generator = Models.generator(Architecture.E1, rng.fork(2), 50);
        e3Critic = Models.critic(Architecture.E3, CriticNorm.NONE, rng.fork(3));
        images28 = uniform(batch, 28, 28, 1);
        images32 = uniform(batch, 32, 32, 1);
        fakes32 = uniform(batch, 32, 32, 1);
        latent = Tensor.zeros(batch, 50);
        rng.fillGaussian(latent.data(), 0f, 1f);
    }

    private Tensor uniform(int... shape) {
        Tensor t = Tensor.zeros(shape);
        rng.fillUniform(t.data(), -1f, 1f);
        return t;
    }

    @Benchmark
    public Tensor e1CriticForward() {
        try (var s = Grad.noGrad()) {
            return e1Critic.forward(Var.constant(images28), true).value();
        }
    }

    @Benchmark
    public Tensor e1CriticForwardBackward() {
        return backward(Losses.wasserstein(e1Critic.forward(Var.constant(images28), true), -1f), e1Critic);
    }

    @Benchmark
    public Tensor e1GeneratorForward() {
        try (var s = Grad.noGrad()) {
            return e1Generator.forward(Var.constant(latent), true).value();
        }
    }

    /** Fakes for the critic as E1 makes them: batch norm with its running statistics, no graph. */
    @Benchmark
    public Tensor e1GeneratorInference() {
        try (var s = Grad.noGrad()) {
            return e1Generator.forward(Var.constant(latent), false).value();
        }
    }

    @Benchmark
    public Tensor e1GeneratorForwardBackward() {
        return backward(Ops.mean(e1Generator.forward(Var.constant(latent), true)), e1Generator);
    }

    /** The Wasserstein critic loss on a real and a fake batch, without the penalty. */
    @Benchmark
    public Tensor e3CriticStep() {
        return backward(e3Loss(), e3Critic);
    }

    /** The same plus lambda * mean((||grad D(x_hat)|| - 1)^2), differentiated exactly. */
    @Benchmark
    public Tensor e3CriticStepWithPenalty() {
        Var penalty = GradientPenalty.penalty(x -> e3Critic.forward(x, true), images32, fakes32, 10f,
                GradientPenalty.Side.TWO_SIDED, rng);
        return backward(Ops.add(e3Loss(), penalty), e3Critic);
    }

    private Var e3Loss() {
        Var real = Losses.wasserstein(e3Critic.forward(Var.constant(images32), true), -1f);
        Var fake = Losses.wasserstein(e3Critic.forward(Var.constant(fakes32), true), 1f);
        return Ops.add(real, fake);
    }

    private static Tensor backward(Var loss, Sequential model) {
        for (Parameter p : model.parameters()) p.var().zeroGrad();
        Grad.backward(loss);
        return model.parameters().get(0).var().grad();
    }
}
