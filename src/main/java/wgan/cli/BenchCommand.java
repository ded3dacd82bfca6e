package wgan.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.GemmBench.class, BenchCommand.Compare.class},
        description = {"Measure speed on this machine.",
                "bench --preset NAME: whole training iterations of a preset (e1, e3, vae, toy-8gaussians: any that training takes);",
                "bench gemm: one matrix product;",
                "bench compare: two jars or two settings, A/B in alternating processes."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", description = "Preset to time, as in training (e1, e3, ...).")
    String preset;

    @Option(names = "--iterations", paramLabel = "N", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations = 20;

    @Option(names = "--by-kernel", description = "Also time each matrix product and convolution of the timed iterations, "
            + "and print where the time goes: each kernel's share, time per iteration and rate.")
    boolean byKernel;

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
        Bench.run(config, iterations, byKernel, System.out);
        return 0;
    }

    /** {@code wgan bench compare}: {@link BenchCompare} from the command line. */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Compare the speed of two jars or two settings: each measurement is a new process running "
                    + "'java -jar JAR bench BENCH_ARGS SIDE_ARGS'; A and B alternate, the order swapping every pair "
                    + "(AB, BA, ...), so the machine's changes of speed fall on both. Prints the medians, their ratio, the "
                    + "median per-pair ratio and the pairs each side won; the last line is machine-readable:",
                    "compare speedup=<A's speed over B's> pair_speedup=<x> wins_a=<n> wins_b=<n> pairs=<n>",
                    "E.g. bench compare --a-jar old.jar --pairs 5 --preset e1 --iterations 10",
                    "     bench compare --a \"--threads 1\" --b \"--threads 2\" gemm --m 1024 --n 1024 --k 1024"})
    static final class Compare implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--a-jar", paramLabel = "JAR", description = "Jar of side A (default: this one).")
        java.nio.file.Path jarA;

        @Option(names = "--b-jar", paramLabel = "JAR", description = "Jar of side B (default: this one).")
        java.nio.file.Path jarB;

        @Option(names = "--a", paramLabel = "ARGS", description = "Extra bench arguments of side A, split at spaces.")
        String argsA = "";

        @Option(names = "--b", paramLabel = "ARGS", description = "Extra bench arguments of side B, split at spaces.")
        String argsB = "";

        @Option(names = "--pairs", paramLabel = "N", description = "Pairs of runs (default: ${DEFAULT-VALUE}).")
        int pairs = 5;

        @CommandLine.Unmatched
        List<String> benchArgs = new ArrayList<>();

        @Override
        public Integer call() throws java.io.IOException, InterruptedException {
            if (pairs < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--pairs must be >= 1, got " + pairs);
            if (benchArgs.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "say what to measure after the options, as for bench: e.g. --preset e1 --iterations 10, or gemm --m 512 --n 512 --k 512");
            }
            if (jarA == null && jarB == null && argsA.equals(argsB)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "the two sides are the same: give --a-jar/--b-jar or --a/--b");
            }
            java.nio.file.Path self = runningJar();
            List<String> a = command(jarA != null ? jarA : self, argsA), b = command(jarB != null ? jarB : self, argsB);
            System.out.println("A: " + String.join(" ", a));
            System.out.println("B: " + String.join(" ", b));
            BenchCompare.report(BenchCompare.compare(a, b, pairs, BenchCompare::runProcess, System.out), System.out);
            return 0;
        }

        private List<String> command(java.nio.file.Path jar, String sideArgs) {
            if (jar == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "wgan is not running from a jar here: give both --a-jar and --b-jar");
            }
            if (!java.nio.file.Files.isRegularFile(jar)) {
                throw new CommandLine.ParameterException(spec.commandLine(), jar + ": no such jar");
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> args = new ArrayList<>(benchArgs);
            for (String arg : sideArgs.trim().split("\\s+")) if (!arg.isEmpty()) args.add(arg);
            return BenchCompare.benchCommand(java, jar.toAbsolutePath().toString(), args);
        }

        /** The jar this program runs from, or null when it runs from a classes folder. */
        private static java.nio.file.Path runningJar() {
            try {
                java.nio.file.Path location = java.nio.file.Path.of(BenchCompare.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                return java.nio.file.Files.isRegularFile(location) ? location : null;
            } catch (java.net.URISyntaxException | SecurityException e) {
                return null;
            }
        }
    }

    /** {@code wgan bench gemm}: GFLOP/s of one SGEMM shape, C = op(A) op(B). */
    @Command(name = "gemm", mixinStandardHelpOptions = true,
            description = "Time C = op(A) op(B) for an M x K times K x N product; the last line is the median GFLOP/s.")
    static final class GemmBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--m", required = true, paramLabel = "M", description = "Rows of op(A) and C.") int m;
        @Option(names = "--n", required = true, paramLabel = "N", description = "Columns of op(B) and C.") int n;
        @Option(names = "--k", required = true, paramLabel = "K", description = "Columns of op(A), rows of op(B).") int k;
        @Mixin ThreadsOption threads;
        @Mixin DeviceOption device;
        @Option(names = "--trans-a", description = "A is stored K x M.") boolean transA;
        @Option(names = "--trans-b", description = "B is stored N x K.") boolean transB;
        @Option(names = "--seconds", paramLabel = "S", description = "Time spent on timed repetitions (default: ${DEFAULT-VALUE}).")
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
