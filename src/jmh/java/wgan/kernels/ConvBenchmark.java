package wgan.kernels;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import wgan.kernels.ConvGeometry.Padding;

/**
 * The convolutions of the E1 and E3 experiments at their batch sizes: forward, inputGrad (for
 * E1's transposed generator layers this is their forward pass) and weightGrad.
 * All three passes do {@link ConvGeometry#flops()} floating-point operations, which the
 * {@code flops} counter adds up: JMH reports it per second, so its score / 1e9 is GFLOP/s.
 *
 * <pre>
 *   mvn -q -P jmh -DskipTests package && java -jar target/benchmarks.jar ConvBenchmark
 *   java -jar target/benchmarks.jar ConvBenchmark -p layer=E3_GEN_CONV_8x8x512_TO_256_K5 -p batch=64 -p threads=2
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class ConvBenchmark {
    /** The E1 and E3 layers, each as the geometry of the convolution that Conv computes. */
    public enum Layer {
        CRITIC_CONV_28x28x1_TO_64 {
            ConvGeometry geometry(int batch) { return ConvGeometry.conv(batch, 28, 28, 1, 64, 4, 4, 2, Padding.SAME); }
        },
        CRITIC_CONV_14x14x64_TO_64 {
            ConvGeometry geometry(int batch) { return ConvGeometry.conv(batch, 14, 14, 64, 64, 4, 4, 2, Padding.SAME); }
        },
        GEN_TRANSPOSED_7x7x128_TO_14x14x128 {
            ConvGeometry geometry(int batch) { return ConvGeometry.transposed(batch, 7, 7, 128, 128, 4, 4, 2, Padding.SAME); }
        },
        GEN_TRANSPOSED_14x14x128_TO_28x28x128 {
            ConvGeometry geometry(int batch) { return ConvGeometry.transposed(batch, 14, 14, 128, 128, 4, 4, 2, Padding.SAME); }
        },
        GEN_CONV_28x28x128_TO_1_K7 {
            ConvGeometry geometry(int batch) { return ConvGeometry.conv(batch, 28, 28, 128, 1, 7, 7, 1, Padding.SAME); }
        },
        E3_CRITIC_CONV_32x32x1_TO_128_K5S2 {
            ConvGeometry geometry(int batch) { return ConvGeometry.conv(batch, 32, 32, 1, 128, 5, 5, 2, Padding.SAME); }
        },
        E3_CRITIC_CONV_16x16x128_TO_256_K5S2 {
            ConvGeometry geometry(int batch) { return ConvGeometry.conv(batch, 16, 16, 128, 256, 5, 5, 2, Padding.SAME); }
        },
        E3_CRITIC_CONV_8x8x256_TO_512_K5S2 {
            ConvGeometry geometry(int batch) { return ConvGeometry.conv(batch, 8, 8, 256, 512, 5, 5, 2, Padding.SAME); }
        },
        E3_GEN_CONV_8x8x512_TO_256_K5 {
            ConvGeometry geometry(int batch) { return ConvGeometry.conv(batch, 8, 8, 512, 256, 5, 5, 1, Padding.SAME); }
        },
        E3_GEN_CONV_16x16x256_TO_256_K5 {
            ConvGeometry geometry(int batch) { return ConvGeometry.conv(batch, 16, 16, 256, 256, 5, 5, 1, Padding.SAME); }
        },
        E3_GEN_CONV_32x32x256_TO_1_K5 {
            ConvGeometry geometry(int batch) { return ConvGeometry.conv(batch, 32, 32, 256, 1, 5, 5, 1, Padding.SAME); }
        };

        abstract ConvGeometry geometry(int batch);
    }

    /** The three functions; y doubles as dy. Outputs go to arrays of the state, which JMH keeps. */
    public enum Pass {
        FORWARD {
            void run(ConvBenchmark b) { Conv.forward(b.g, b.x, b.w, b.y); }
        },
        INPUT_GRAD {
            void run(ConvBenchmark b) { Conv.inputGrad(b.g, b.y, b.w, b.dx); }
        },
        WEIGHT_GRAD {
            void run(ConvBenchmark b) { Conv.weightGrad(b.g, b.x, b.y, b.dw); }
        };

        abstract void run(ConvBenchmark b);
    }

    /** Floating-point operations done, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public long flops;

        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    @Param
    public Layer layer;

    @Param({"32", "64"})
    public int batch;

    @Param
    public Pass pass;

    @Param({"2"})
    public int threads;

    private ConvGeometry g;
    private float[] x, w, y, dx, dw;

    @Setup
    public void setUp() {
        g = layer.geometry(batch);
        Parallel.setThreads(threads);
        Random r = new Random(42);
        x = random(r, g.inputSize());
        w = random(r, g.weightSize());
        y = random(r, g.outputSize());
        dx = new float[g.inputSize()];
        dw = new float[g.weightSize()];
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = 2 * r.nextFloat() - 1;
        return a;
    }

    @Benchmark
    public void conv(Flops f) {
        pass.run(this);
        f.flops += g.flops();
    }
}
