package wgan.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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

/**
 * SGEMM speed through {@link Gemm#sgemm}. Read the secondary result {@code gflop}: it is GFLOP/s.
 * <pre>
 *   java -jar target/benchmarks.jar GemmBenchmark.cube
 *   java -jar target/benchmarks.jar GemmBenchmark.e1 -p batch=32 -p threads=2
 * </pre>
 * The E1 shapes are the GEMMs of the reference experiment's layers in the NHWC lowering (B is the
 * batch; transposes as the layers call them: forward X W^T, input gradient dY W, weight gradient dY^T X):
 * <pre>
 *   shape             M        N     K       op
 *   critic.conv1.fwd  B*196    64    16      NT
 *   critic.conv1.dW   16       64    B*196   TN   (one input channel: dW^T = X^T dY, taps by filters)
 *   critic.conv2.fwd  B*49     64    1024    NT
 *   critic.conv2.dX   B*49     1024  64      NN
 *   critic.conv2.dW   64       1024  B*49    TN
 *   critic.dense.fwd  B        1     3136    NN   (a matrix-vector product: the critic's output)
 *   critic.dense.dX   B        3136  1       NT   (an outer product)
 *   critic.dense.dW   3136     1     B       TN   (a matrix-vector product)
 *   gen.dense.fwd     B        6272  50      NN   (Dense kernels are stored [in][out])
 *   gen.dense.dW      50       6272  B       TN
 *   gen.tconv1.fwd    B*49     128   512     NN   (per output phase; a transposed conv's forward is a conv's dX)
 *   gen.tconv1.dX     B*49     128   2048    NT
 *   gen.tconv1.dW     128      2048  B*49    TN
 *   gen.tconv2.fwd    B*196    128   512     NN   (per output phase)
 *   gen.tconv2.dX     B*196    128   2048    NT
 *   gen.tconv2.dW     128      2048  B*196   TN
 *   gen.tconv2.winograd.fwd  B*49  128  128  NN   (per phase and transformed position: what E1 runs
 *   gen.tconv2.winograd.dX   B*49  128  512  NN    for the two above since Winograd, 36 and 9 of them)
 *   gen.tconv2.winograd.dW   128   512  784  TN   (per position and chunk of 16 images, 9 per chunk:
 *                                                   what E1 runs for gen.tconv2.dW since Winograd)
 *   gen.conv7.fwd     B*784    49    128     NT   (final 7x7 conv)
 *   gen.conv7.dX      B*784    128   49      NN
 *   gen.conv7.dW      49       128   B*784   TN
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {

    /** Operands of one GEMM, C = op(A) op(B), filled once per trial. */
    @State(Scope.Benchmark)
    public abstract static class Problem {
        @Param({"1", "2"})
        public int threads;

        int m, n, k;
        boolean transA, transB;
        float[] a, b, c;
        double gflopPerCall;

        abstract void chooseShape();

        @Setup
        public void setUp() {
            chooseShape();
            Parallel.setThreads(threads);
            SplittableRandom r = new SplittableRandom(1);
            a = random(r, m * k);
            b = random(r, k * n);
            c = new float[m * n];
            gflopPerCall = 2.0 * m * n * k / 1e9;
        }

        void run() {
            Gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
        }

        private static float[] random(SplittableRandom r, int size) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble(-1, 1);
            return x;
        }
    }

    public static class Cube extends Problem {
        @Override
        void chooseShape() {
            m = n = k = 1024;
        }
    }

    public static class E1 extends Problem {
        @Param({"critic.conv1.fwd", "critic.conv1.dW", "critic.conv2.fwd", "critic.conv2.dX", "critic.conv2.dW",
                "critic.dense.fwd", "critic.dense.dX", "critic.dense.dW", "gen.dense.fwd", "gen.dense.dW",
                "gen.tconv1.fwd", "gen.tconv1.dX", "gen.tconv1.dW", "gen.tconv2.fwd", "gen.tconv2.dX", "gen.tconv2.dW",
                "gen.tconv2.winograd.fwd", "gen.tconv2.winograd.dX", "gen.tconv2.winograd.dW",
                "gen.conv7.fwd", "gen.conv7.dX", "gen.conv7.dW"})
        public String shape;

        @Param({"32", "64"})
        public int batch;

        @Override
        void chooseShape() {
            int bt = batch;
            Shape s = switch (shape) {
                case "critic.conv1.fwd" -> new Shape(bt * 196, 64, 16, "NT");
                case "critic.conv1.dW" -> new Shape(16, 64, bt * 196, "TN");
                case "critic.conv2.fwd" -> new Shape(bt * 49, 64, 1024, "NT");
                case "critic.conv2.dX" -> new Shape(bt * 49, 1024, 64, "NN");
                case "critic.conv2.dW" -> new Shape(64, 1024, bt * 49, "TN");
                case "critic.dense.fwd" -> new Shape(bt, 1, 3136, "NN");
                case "critic.dense.dX" -> new Shape(bt, 3136, 1, "NT");
                case "critic.dense.dW" -> new Shape(3136, 1, bt, "TN");
                case "gen.dense.fwd" -> new Shape(bt, 6272, 50, "NN");
                case "gen.dense.dW" -> new Shape(50, 6272, bt, "TN");
                case "gen.tconv1.fwd" -> new Shape(bt * 49, 128, 512, "NN");
                case "gen.tconv1.dX" -> new Shape(bt * 49, 128, 2048, "NT");
                case "gen.tconv1.dW" -> new Shape(128, 2048, bt * 49, "TN");
                case "gen.tconv2.fwd" -> new Shape(bt * 196, 128, 512, "NN");
                case "gen.tconv2.dX" -> new Shape(bt * 196, 128, 2048, "NT");
                case "gen.tconv2.dW" -> new Shape(128, 2048, bt * 196, "TN");
                case "gen.tconv2.winograd.fwd" -> new Shape(bt * 49, 128, 128, "NN");
                case "gen.tconv2.winograd.dX" -> new Shape(bt * 49, 128, 512, "NN");
                case "gen.tconv2.winograd.dW" -> new Shape(128, 512, 16 * 49, "TN");
                case "gen.conv7.fwd" -> new Shape(bt * 784, 49, 128, "NT");
                case "gen.conv7.dX" -> new Shape(bt * 784, 128, 49, "NN");
                case "gen.conv7.dW" -> new Shape(49, 128, bt * 784, "TN");
                default -> throw new IllegalArgumentException("unknown shape " + shape);
            };
            m = s.m;
            n = s.n;
            k = s.k;
            transA = s.op.charAt(0) == 'T';
            transB = s.op.charAt(1) == 'T';
        }

        /** C = op(A) op(B), m x n over k; op names the transposes of A and B, "N" or "T" each. */
        private record Shape(int m, int n, int k, String op) {}
    }

    /** JMH reports this counter per second: GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    @Benchmark
    public void cube(Cube p, Flops f) {
        p.run();
        f.gflop += p.gflopPerCall;
    }

    @Benchmark
    public void e1(E1 p, Flops f) {
        p.run();
        f.gflop += p.gflopPerCall;
    }
}
