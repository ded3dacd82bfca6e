package wgan.cli;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import wgan.kernels.DeviceUnavailableException;
import wgan.kernels.Devices;
import wgan.kernels.Parallel;
import wgan.kernels.Simd;
import wgan.train.Bench;
import wgan.train.InvalidSettingException;
import wgan.train.Settings;
import wgan.train.TrainConfig;

/** {@code wgan bench}: measures the kernels on this machine. Each kernel is a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.GemmBench.class},
        description = {"Measure speed on this machine.",
                "bench --preset NAME: whole training iterations of a preset (e1, e1-gp, e2, e3, e4-gan, e4-gan-gp, e4-wgan-gp);",
                "bench gemm: one matrix product."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", description = "Preset to time, as in training (e1, e3, ...).")
    String preset;

    @Option(names = "--iterations", paramLabel = "N", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations = 20;

    @Mixin
    ThreadsOption threads;

    @Mixin
    DeviceOption device;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the preset's IDX files (default: datasets/mnist or datasets/fashion-mnist) or images (e4).")
    java.nio.file.Path data;

    @Override
    public Integer call() throws java.io.IOException, DeviceUnavailableException {
        if (preset == null) {
            spec.commandLine().usage(System.out);
            return 0;
        }
        TrainConfig config;
        try {
            config = Settings.PRESET.parse(preset).config().with(Settings.DATA, Optional.ofNullable(data));
        } catch (InvalidSettingException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.asFlag());
        }
        if (iterations < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--iterations must be >= 1, got " + iterations);
        threads.apply();
        device.apply();
        Bench.run(config, iterations, System.out);
        return 0;
    }

    /** {@code wgan bench gemm}: GFLOP/s of one SGEMM shape, C = op(A) op(B). */
    @Command(name = "gemm", mixinStandardHelpOptions = true,
            description = "Time C = op(A) op(B) for an M x K times K x N product; the last line is the median GFLOP/s.")
    static final class GemmBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--m", required = true, description = "rows of op(A) and C") int m;
        @Option(names = "--n", required = true, description = "columns of op(B) and C") int n;
        @Option(names = "--k", required = true, description = "columns of op(A), rows of op(B)") int k;
        @Mixin ThreadsOption threads;
        @Mixin DeviceOption device;
        @Option(names = "--trans-a", description = "A is stored K x M") boolean transA;
        @Option(names = "--trans-b", description = "B is stored N x K") boolean transB;
        @Option(names = "--seconds", description = "time spent on timed repetitions (default: ${DEFAULT-VALUE})")
        double seconds = 3;

        @Override
        public Integer call() throws DeviceUnavailableException {
            requirePositive("--m", m);
            requirePositive("--n", n);
            requirePositive("--k", k);
            requirePositive("--seconds", seconds);
            threads.apply();
            device.apply();
            System.out.println(Devices.current().describe());
            SplittableRandom random = new SplittableRandom(1);
            float[] a = randomArray(random, (long) m * k, "--m x --k");
            float[] b = randomArray(random, (long) k * n, "--k x --n");
            float[] c = new float[checkedSize((long) m * n, "--m x --n")];
            // A third of the time (at least one run) lets the JIT compile the kernels before timing.
            repeat(a, b, c, seconds / 3);
            double[] runs = repeat(a, b, c, seconds);
            Arrays.sort(runs);
            double median = runs[runs.length / 2];
            System.out.printf("gemm %dx%dx%d threads=%d GFLOP/s=%.1f%n", m, n, k, Parallel.threads(), 2.0 * m * n * k / median / 1e9);
            return 0;
        }

        /** Runs the product until {@code budget} seconds have passed (at least 3 times); returns each run's seconds. */
        private double[] repeat(float[] a, float[] b, float[] c, double budget) {
            double[] runs = new double[16];
            int count = 0;
            long start = System.nanoTime();
            do {
                long t0 = System.nanoTime();
                Devices.current().matmul(transA, transB, m, n, k, a, b, c);
                if (count == runs.length) runs = Arrays.copyOf(runs, 2 * count);
                runs[count++] = (System.nanoTime() - t0) / 1e9;
            } while (count < 3 || System.nanoTime() - start < budget * 1e9);
            return Arrays.copyOf(runs, count);
        }

        private void requirePositive(String flag, Number value) {
            if (!(value.doubleValue() > 0)) {
                throw new CommandLine.ParameterException(spec.commandLine(), flag + " must be positive, got " + value);
            }
        }

        private int checkedSize(long size, String what) {
            if (size > Integer.MAX_VALUE - 8) {
                throw new CommandLine.ParameterException(spec.commandLine(), what + " is too large for one Java array");
            }
            return (int) size;
        }

        private float[] randomArray(SplittableRandom random, long size, String what) {
            float[] x = new float[checkedSize(size, what)];
            for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-1, 1);
            return x;
        }
    }
}
