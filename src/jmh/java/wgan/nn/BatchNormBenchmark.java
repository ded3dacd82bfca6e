package wgan.nn;

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
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * One training-mode batch normalisation layer, forward and forward + backward (to x, gamma and
 * beta), at the E1 generator's sizes: [64, 28, 28, 128] and [32, 14, 14, 128]. Average time per
 * operation, in milliseconds.
 *
 * <pre>mvn -q -P jmh -DskipTests package && java -jar target/benchmarks.jar BatchNormBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class BatchNormBenchmark {
    /** batch x height x width, each with 128 channels. */
    @Param({"64x28x28", "32x14x14"})
    String images;

    private BatchNormalization bn;
    private Var x;
    private Tensor seed;

    @Setup
    public void setUp() {
        String[] d = images.split("x");
        int n = Integer.parseInt(d[0]), h = Integer.parseInt(d[1]), w = Integer.parseInt(d[2]);
        Rng rng = new Rng(42);
        bn = new BatchNormalization(new int[] {h, w, 128}, BatchNormalization.KERAS_MOMENTUM,
                BatchNormalization.KERAS_EPSILON);
        Tensor value = Tensor.zeros(n, h, w, 128);
        rng.fillGaussian(value.data(), 0.5f, 2f);
        x = Var.param(value);
        seed = Tensor.zeros(n, h, w, 128);
        rng.fillGaussian(seed.data(), 0f, 1f);
    }

    @Benchmark
    public Tensor forward() {
        try (var s = Grad.noGrad()) {
            return bn.forward(x, true).value();
        }
    }

    /** sum(seed * BN(x)): the backward sees the gradient seed. */
    @Benchmark
    public Tensor forwardBackward() {
        x.zeroGrad();
        Grad.backward(Ops.sum(Ops.mul(bn.forward(x, true), Var.constant(seed))));
        return x.grad();
    }
}
