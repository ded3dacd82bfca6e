package wgan.train;

import wgan.kernels.Devices;
import wgan.kernels.FlopCounter;
import wgan.kernels.FmaPeak;
import wgan.kernels.KernelProfile;
import wgan.kernels.Parallel;
import wgan.kernels.Simd;
import wgan.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.IntConsumer;

/**
 * {@code wgan bench --preset NAME}: times whole training iterations of a preset on its real
 * data, after a warm-up that lets the JIT compile the kernels. GFLOP/s counts the model's matrix
 * products and convolutions ({@link FlopCounter}) as their direct multiply-adds; element-wise work
 * is not counted. Convolutions computed by Winograd's algorithm do fewer multiplies than that, so
 * for them it is an effective rate, comparable with other tools' figures for the same model, not
 * a measure of the arithmetic done.
 */
public final class Bench {
    private static final int WARMUP = 2;

    private Bench() {}

    /**
     * Runs {@code iterations} timed iterations; the last line printed is {@code <preset> s/iter=... GFLOP/s=...}.
     * With {@code byKernel}, the timed iterations' products and convolutions are timed too, and
     * printed as a table before that line.
     */
    public static void run(TrainConfig config, int iterations, boolean byKernel, PrintStream out) throws IOException {
        wgan.data.TrainingImages real = TrainingRun.loadImages(config);
        boolean autoencoder = config.get(Settings.MODEL).autoencoder();
        IntConsumer iteration;
        if (autoencoder) {
            AutoencoderTrainer trainer = new AutoencoderTrainer(config, real);
            iteration = i -> trainer.iteration(i, System.nanoTime());
        } else {
            WganTrainer trainer = new WganTrainer(config, real);
            iteration = i -> trainer.iteration();
        }
        out.printf(Locale.ROOT, "%s; threads: %d%n", Simd.describe(), Parallel.threads());
        Devices.announce(out);
        String name = Ids.id(config.get(Settings.PRESET));
        out.printf(Locale.ROOT, "%s: %s, batch %d%s; %d warm-up + %d timed iterations%n", name, config.dataTitle(),
                config.get(Settings.BATCH), autoencoder ? "" : ", n_critic " + config.get(Settings.N_CRITIC), WARMUP, iterations);
        for (int i = 1; i <= WARMUP; i++) iteration.accept(i);
        double[] seconds = new double[iterations];
        long flops = 0;
        KernelProfile profile = byKernel ? new KernelProfile(Devices.current()) : null;
        if (byKernel) Devices.use(profile);
        try {
            for (int i = 0; i < iterations; i++) {
                long f0 = FlopCounter.total();
                long t0 = System.nanoTime();
                iteration.accept(WARMUP + 1 + i);
                seconds[i] = (System.nanoTime() - t0) / 1e9;
                flops = FlopCounter.total() - f0;
            }
        } finally {
            if (byKernel) Devices.use(profile.device());
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted[iterations / 2];
        double gflops = flops / median / 1e9;
        // Per iteration an autoencoder reconstructs a batch; a GAN's generator makes a critic batch of
        // fakes per critic round and a batch for its own step.
        int images = autoencoder ? config.get(Settings.BATCH) : config.get(Settings.N_CRITIC) * config.criticBatch() + config.get(Settings.BATCH);
        out.printf(Locale.ROOT, "per iteration: %.1f GFLOP; min %.3f s, median %.3f s, max %.3f s%n",
                flops / 1e9, sorted[0], median, sorted[iterations - 1]);
        out.printf(Locale.ROOT, "%s images/s: %.0f; %s%n", autoencoder ? "reconstructed" : "generated", images / median, shareOfPeak(gflops));
        if (byKernel) printProfile(profile, Arrays.stream(seconds).sum(), iterations, out);
        out.printf(Locale.ROOT, "%s s/iter=%.3f GFLOP/s=%.1f%n", name, median, gflops);
    }

    /** Each kernel's time per iteration, share of the timed iterations' time and rate, the longest first. */
    private static void printProfile(KernelProfile profile, double timedSeconds, int iterations, PrintStream out) {
        out.println("time by kernel, over the timed iterations (GFLOP/s in the model's flops, effective where Winograd runs):");
        out.println("   share  ms/iter  calls/iter  GFLOP/s  kernel");
        double kernelSeconds = 0;
        for (KernelProfile.Entry e : profile.entries()) {
            double s = e.nanos() / 1e9;
            kernelSeconds += s;
            out.printf(Locale.ROOT, "  %5.1f%%  %7.1f  %10.1f  %7.1f  %s%n", 100 * s / timedSeconds, 1e3 * s / iterations,
                    (double) e.calls() / iterations, e.gflops(), e.kernel());
        }
        out.printf(Locale.ROOT, "  %5.1f%%  %7.1f              the rest: element-wise ops, normalisation, optimiser, data%n",
                100 * (timedSeconds - kernelSeconds) / timedSeconds, 1e3 * (timedSeconds - kernelSeconds) / iterations);
    }

    /** The rate as a share of the FMA peak of the threads that ran it, measured on this machine. */
    private static String shareOfPeak(double gflops) {
        OptionalDouble perCore = FmaPeak.perCoreGflops();
        if (perCore.isEmpty()) return "no FMA peak to compare with on the scalar path";
        int threads = Parallel.threads();
        return String.format(Locale.ROOT, "%.1f%% of the %d-thread FMA peak (%.0f GFLOP/s per core, measured just now)",
                100 * gflops / (perCore.getAsDouble() * threads), threads, perCore.getAsDouble());
    }
}
