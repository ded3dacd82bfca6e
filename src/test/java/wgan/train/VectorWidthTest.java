package wgan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seed trains to the same bits whatever the machine's vector width: every reduction is
 * a chain in a fixed order, never a sum split across lanes. Each width is a JVM of its own
 * (HotSpot's -XX:MaxVectorSize caps SPECIES_PREFERRED), from 128 bits up to what this CPU has.
 */
class VectorWidthTest {
    @TempDir
    Path tmp;

    @Test
    void trainingIsBitwiseTheSameForEveryVectorWidth() throws Exception {
        Path data = SmallMnist.write(tmp.resolve("mnist"), false);
        int nativeBytes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorByteSize();
        assumeTrue(nativeBytes >= 32, "this CPU has only 128-bit vectors: one width, nothing to compare");
        Map<String, byte[]> first = null;
        for (int bytes = 16; bytes <= nativeBytes; bytes *= 2) {
            Map<String, byte[]> files = train(data, bytes);
            if (first == null) {
                first = files;
                continue;
            }
            assertEquals(first.keySet(), files.keySet());
            for (String name : first.keySet()) {
                assertArrayEquals(first.get(name), files.get(name), name + ": 128-bit vectors vs " + 8 * bytes + "-bit");
            }
        }
    }

    /**
     * Trains 4 iterations of the small E1 in a child JVM with vectors of at most {@code bytes};
     * returns the last checkpoint's files and the losses logged (log.csv without its seconds).
     */
    private Map<String, byte[]> train(Path data, int bytes) throws IOException, InterruptedException {
        Path out = tmp.resolve("runs-" + bytes);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxVectorSize=" + bytes, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), "wgan.cli.Main",
                "--data", data.toString(), "--out", out.toString(), "--iterations", "4", "--batch", "8",
                "--n-critic", "2", "--seed", "11", "--threads", "2"));
        Path log = tmp.resolve("log-" + bytes + ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "training timed out");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains(8 * bytes + "-bit"), "expected " + 8 * bytes + "-bit vectors:\n" + output);
        Path run;
        try (Stream<Path> runs = Files.list(out)) {
            run = runs.findFirst().orElseThrow();
        }
        Map<String, byte[]> files = new TreeMap<>();
        // The losses are the critic's outputs, which the weights do not depend on (the Wasserstein
        // loss's gradient is the label), so they are compared on their own.
        String losses = Files.readAllLines(run.resolve("log.csv")).stream()
                .map(line -> line.substring(0, line.lastIndexOf(','))).collect(Collectors.joining("\n"));
        files.put("losses in log.csv", losses.getBytes());
        Path checkpoint = run.resolve("checkpoints").resolve("iter-000004");
        try (Stream<Path> list = Files.list(checkpoint)) {
            for (Path f : list.toList()) files.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
        assertTrue(files.containsKey("generator.safetensors"), files.keySet().toString());
        return files;
    }
}
