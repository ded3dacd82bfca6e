package wgan.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An A/B speed comparison that the machine's drifting speed cannot fake: each measurement is a
 * fresh process, A and B alternate in pairs whose order swaps every pair (AB, BA, AB, ...), so a
 * slow or fast spell of the machine falls on both sides; the result is each side's median, the
 * ratio of the medians, the median of the per-pair ratios, and how many pairs each side won.
 *
 * <p>A measurement is read from {@code bench}'s last line: {@code s/iter} (lower is faster) from
 * {@code bench --preset}, or {@code GFLOP/s} (higher is faster) from {@code bench gemm}.
 */
final class BenchCompare {
    /** Runs one measurement of one side and returns the lines it printed. */
    @FunctionalInterface
    interface Runner {
        List<String> run(List<String> command) throws IOException, InterruptedException;
    }

    /** What one bench line measures. */
    record Metric(String key, boolean higherIsFaster) {
        static final Metric SECONDS_PER_ITERATION = new Metric("s/iter", false);
        static final Metric GFLOPS = new Metric("GFLOP/s", true);
    }

    /** One measured value of one side. */
    record Measurement(Metric metric, double value) {}

    private static final Pattern MEASUREMENT = Pattern.compile("(?:^|\\s)(s/iter|GFLOP/s)=([0-9.eE+-]+)");

    /**
     * The first measurement on the last line of {@code lines} that has one: a preset's line gives
     * its s/iter before the GFLOP/s derived from it.
     */
    static Measurement parse(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = MEASUREMENT.matcher(lines.get(i));
            if (m.find()) {
                Metric metric = m.group(1).equals("s/iter") ? Metric.SECONDS_PER_ITERATION : Metric.GFLOPS;
                return new Measurement(metric, Double.parseDouble(m.group(2)));
            }
        }
        throw new IllegalStateException("no s/iter= or GFLOP/s= in the bench output; its last lines: "
                + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
    }

    /** The outcome of {@link #compare}: the values of A and B in the order measured, pair by pair. */
    record Result(Metric metric, double[] a, double[] b) {
        /** How much faster A is than B: above 1 when A is faster, from the medians. */
        double speedup() {
            return ratio(median(a), median(b));
        }

        /** The median over the pairs of each pair's speed ratio of A to B. */
        double medianPairSpeedup() {
            double[] ratios = new double[a.length];
            for (int i = 0; i < a.length; i++) ratios[i] = ratio(a[i], b[i]);
            return median(ratios);
        }

        /** Pairs in which A was faster. */
        int winsOfA() {
            int wins = 0;
            for (int i = 0; i < a.length; i++) if (ratio(a[i], b[i]) > 1) wins++;
            return wins;
        }

        /** Pairs in which B was faster. */
        int winsOfB() {
            int wins = 0;
            for (int i = 0; i < a.length; i++) if (ratio(a[i], b[i]) < 1) wins++;
            return wins;
        }

        private double ratio(double valueA, double valueB) {
            return metric.higherIsFaster() ? valueA / valueB : valueB / valueA;
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Measures {@code pairs} pairs: pair i runs A then B when i is even, B then A when it is odd.
     * Each run's line goes to {@code log} as it comes.
     */
    static Result compare(List<String> commandA, List<String> commandB, int pairs, Runner runner, PrintStream log)
            throws IOException, InterruptedException {
        double[] a = new double[pairs], b = new double[pairs];
        Metric metric = null;
        for (int pair = 0; pair < pairs; pair++) {
            for (int turn = 0; turn < 2; turn++) {
                boolean sideA = (pair + turn) % 2 == 0;
                Measurement m = parse(runner.run(sideA ? commandA : commandB));
                if (metric != null && !metric.equals(m.metric())) {
                    throw new IllegalStateException("the two sides measure different things: " + metric.key() + " and " + m.metric().key());
                }
                metric = m.metric();
                (sideA ? a : b)[pair] = m.value();
                log.printf(Locale.ROOT, "pair %d/%d %s: %s=%s%n", pair + 1, pairs, sideA ? "A" : "B", m.metric().key(), m.value());
            }
        }
        return new Result(metric, a, b);
    }

    /** Prints the summary; its last line is machine-readable. */
    static void report(Result r, PrintStream out) {
        String unit = r.metric().key();
        out.printf(Locale.ROOT, "A: median %s=%.4g over %d runs %s%n", unit, median(r.a()), r.a().length, Arrays.toString(r.a()));
        out.printf(Locale.ROOT, "B: median %s=%.4g over %d runs %s%n", unit, median(r.b()), r.b().length, Arrays.toString(r.b()));
        out.printf(Locale.ROOT, "A is %.3fx as fast as B (ratio of the medians; per pair, median %.3fx); A won %d of %d pairs, B %d%n",
                r.speedup(), r.medianPairSpeedup(), r.winsOfA(), r.a().length, r.winsOfB());
        out.printf(Locale.ROOT, "compare speedup=%.4f pair_speedup=%.4f wins_a=%d wins_b=%d pairs=%d%n",
                r.speedup(), r.medianPairSpeedup(), r.winsOfA(), r.winsOfB(), r.a().length);
    }

    /**
     * The command that runs {@code bench ARGS} from {@code jar} in a new JVM ({@code java}, this
     * one's executable). It names the Vector API module itself: a JVM that wgan's launcher started
     * carries WGAN_NO_RELAUNCH, its children inherit it, and without the module they would time the
     * scalar kernels.
     */
    static List<String> benchCommand(String java, String jar, List<String> args) {
        List<String> command = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector", "-jar", jar, "bench"));
        command.addAll(args);
        return command;
    }

    /** Runs a command as a process, its standard error into its output, and returns its lines; fails on a non-zero exit. */
    static List<String> runProcess(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) lines.add(line);
        }
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException("'" + String.join(" ", command) + "' exited with " + exit + "; its last lines: "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
        }
        return lines;
    }

    private BenchCompare() {}
}
