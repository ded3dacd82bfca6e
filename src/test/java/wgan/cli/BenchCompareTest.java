package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import wgan.cli.BenchCompare.Measurement;
import wgan.cli.BenchCompare.Metric;
import wgan.cli.BenchCompare.Result;

class BenchCompareTest {
    static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @Test
    void theMeasurementIsTheLastBenchLineThatHasOne() {
        List<String> presetRun = List.of("SIMD kernels ...", "e1 s/iter=0.500 GFLOP/s=100.0", "per iteration: ...",
                "e1 s/iter=0.875 GFLOP/s=64.2", "Done.");
        assertEquals(new Measurement(Metric.SECONDS_PER_ITERATION, 0.875), BenchCompare.parse(presetRun));
        assertEquals(new Measurement(Metric.GFLOPS, 143.5), BenchCompare.parse(List.of("gemm 1024x1024x1024 threads=2 GFLOP/s=143.5")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BenchCompare.parse(List.of("wgan: no such preset")));
        assertTrue(e.getMessage().contains("wgan: no such preset"), e.getMessage());
    }

    /** A fake runner: each side's values in the order it is asked for them, and the order of the calls. */
    static final class Scripted implements BenchCompare.Runner {
        final List<String> calls = new ArrayList<>();
        final double[] a, b;
        final String key;
        int nextA, nextB;

        Scripted(String key, double[] a, double[] b) {
            this.key = key;
            this.a = a;
            this.b = b;
        }

        @Override
        public List<String> run(List<String> command) {
            boolean sideA = command.get(0).equals("A");
            calls.add(sideA ? "A" : "B");
            return List.of("x " + key + "=" + (sideA ? a[nextA++] : b[nextB++]));
        }
    }

    @Test
    void sidesAlternateWithTheOrderSwappedEveryPair() throws Exception {
        Scripted runner = new Scripted("s/iter", new double[] {1, 1, 1, 1}, new double[] {2, 2, 2, 2});
        BenchCompare.compare(List.of("A"), List.of("B"), 4, runner, QUIET);
        assertEquals(List.of("A", "B", "B", "A", "A", "B", "B", "A"), runner.calls);
    }

    @Test
    void secondsPerIterationAreFasterWhenLower() throws Exception {
        // A: 1.0, 1.2, 0.9 s; B: 2.0, 1.1, 1.8 s. A wins pairs 1 and 3, B pair 2.
        Scripted runner = new Scripted("s/iter", new double[] {1.0, 1.2, 0.9}, new double[] {2.0, 1.1, 1.8});
        Result r = BenchCompare.compare(List.of("A"), List.of("B"), 3, runner, QUIET);
        assertArrayEquals(new double[] {1.0, 1.2, 0.9}, r.a());
        assertArrayEquals(new double[] {2.0, 1.1, 1.8}, r.b());
        assertEquals(1.8 / 1.0, r.speedup(), 1e-12);
        assertEquals(1.8 / 0.9, r.medianPairSpeedup(), 1e-12, "pair ratios 2.0, 0.917, 2.0");
        assertEquals(2, r.winsOfA());
        assertEquals(1, r.winsOfB());
    }

    @Test
    void gflopsAreFasterWhenHigher() throws Exception {
        Scripted runner = new Scripted("GFLOP/s", new double[] {100, 90}, new double[] {50, 60});
        Result r = BenchCompare.compare(List.of("A"), List.of("B"), 2, runner, QUIET);
        assertEquals(95.0 / 55.0, r.speedup(), 1e-12);
        assertEquals(2, r.winsOfA());
        assertEquals(0, r.winsOfB());
    }

    @Test
    void sidesMeasuringDifferentThingsAreAnError() {
        BenchCompare.Runner runner = command -> List.of(command.get(0).equals("A") ? "s/iter=1" : "GFLOP/s=3");
        assertThrows(IllegalStateException.class, () -> BenchCompare.compare(List.of("A"), List.of("B"), 1, runner, QUIET));
    }

    @Test
    void theReportsLastLineIsMachineReadable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BenchCompare.report(new Result(Metric.SECONDS_PER_ITERATION, new double[] {1, 2, 3}, new double[] {2, 4, 3}),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\\R");
        assertEquals("compare speedup=1.5000 pair_speedup=2.0000 wins_a=2 wins_b=0 pairs=3", lines[lines.length - 1]);
    }

    @Test
    void aProcessIsRunAndItsOutputRead() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classes = Path.of(BenchCompareTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> lines = BenchCompare.runProcess(List.of(java, "-cp", classes, PrintingBench.class.getName(), "0", "2.5"));
        assertEquals(new Measurement(Metric.SECONDS_PER_ITERATION, 2.5), BenchCompare.parse(lines));
        IOException e = assertThrows(IOException.class,
                () -> BenchCompare.runProcess(List.of(java, "-cp", classes, PrintingBench.class.getName(), "3", "1")));
        assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("s/iter=1"), e.getMessage());
    }

    /** A stand-in for {@code wgan bench}: prints a measurement (args[1]) and exits with args[0]. */
    public static final class PrintingBench {
        public static void main(String[] args) {
            System.out.println("fake s/iter=" + args[1]);
            System.exit(Integer.parseInt(args[0]));
        }
    }

    /**
     * Each side's JVM loads the Vector API module whatever its environment says: the options
     * before -jar, given to a probe that prints a measurement only when the module is loaded.
     */
    @Test
    void eachSidesJvmLoadsTheVectorModule() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = BenchCompare.benchCommand(java, "w.jar", List.of("--preset", "e1"));
        assertEquals(List.of("-jar", "w.jar", "bench", "--preset", "e1"), command.subList(command.indexOf("-jar"), command.size()));
        String classes = Path.of(BenchCompareTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> probe = new java.util.ArrayList<>(command.subList(0, command.indexOf("-jar")));
        probe.addAll(List.of("-cp", classes, VectorModuleProbe.class.getName()));
        assertEquals(new Measurement(Metric.SECONDS_PER_ITERATION, 1), BenchCompare.parse(BenchCompare.runProcess(probe)));
    }

    /** Prints a measurement when jdk.incubator.vector is loaded, and exits with 4 when it is not. */
    public static final class VectorModuleProbe {
        public static void main(String[] args) {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) System.exit(4);
            System.out.println("s/iter=1");
        }
    }

    @Test
    void theCommandRejectsWhatItCannotCompare() {
        assertUsageError("say what to measure", "bench", "compare", "--a", "--threads 1");
        assertUsageError("the two sides are the same", "bench", "compare", "--preset", "e1");
        assertUsageError("--pairs must be >= 1", "bench", "compare", "--pairs", "0", "--preset", "e1");
        assertUsageError("no such jar", "bench", "compare", "--a-jar", "/nonexistent/a.jar", "--b-jar", "/nonexistent/b.jar", "--preset", "e1");
    }

    private static void assertUsageError(String expected, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute(args), err.toString());
        assertTrue(err.toString().contains(expected), err.toString());
    }
}
