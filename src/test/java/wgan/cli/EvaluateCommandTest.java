package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.data.DataHome;
import wgan.data.DatasetFiles;
import wgan.io.Npy;
import wgan.nn.Layouts;
import wgan.tensor.Tensor;
import wgan.train.SmallMnist;

class EvaluateCommandTest {
    private static final Pattern LAST_LINE =
            Pattern.compile("evaluate fd=(\\d+\\.\\d+) kid=(-?\\d+\\.\\d+)( class_rate=(\\d\\.\\d+))? diversity=(\\d+\\.\\d+)");

    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void train() throws IOException {
        run = SmallMnist.trainedRun(tmp, 2);
    }

    /** Runs wgan with the arguments; returns its exit code and what it printed. */
    private static String[] wgan(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.commandLine().execute(args);
        } finally {
            System.setOut(out);
        }
        return new String[] {Integer.toString(code), bytes.toString(StandardCharsets.UTF_8).strip()};
    }

    private static Matcher lastLine(String output) {
        String[] lines = output.split("\\R");
        Matcher m = LAST_LINE.matcher(lines[lines.length - 1]);
        assertTrue(m.matches(), lines[lines.length - 1]);
        return m;
    }

    /** A checkpoint of a class run: its class from config.json, and the machine-readable line. */
    @Test
    void checkpointOfAClassRunEndsWithTheMachineReadableLine() {
        String[] r = wgan("evaluate", run.resolve("checkpoints/iter-000002").toString(), "--count", "50");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("MNIST test images of class 7"), r[1]);
        Matcher m = lastLine(r[1]);
        assertTrue(m.group(4) != null, "a class run has a class rate");
        // Two iterations in, the samples are noise: far from the sevens.
        assertTrue(Double.parseDouble(m.group(1)) > 100, m.group());
    }

    /** Real test sevens written as wgan generate writes samples score as real, and near 0 against the sevens. */
    @Test
    void npyOfRealSevensScoresLikeRealImages() throws IOException {
        Tensor sevens = DatasetFiles.MNIST.load(null, DatasetFiles.Split.TEST, DataHome.standard(), w -> {}).images(7);
        Path npy = tmp.resolve("sevens.npy");
        Npy.write(npy, Layouts.toChannelsFirst(sevens));
        String[] r = wgan("evaluate", npy.toString(), "--class", "7");
        assertEquals("0", r[0], r[1]);
        Matcher m = lastLine(r[1]);
        assertEquals(0, Double.parseDouble(m.group(1)), 1e-3, "the same images as the reference");
        assertTrue(Double.parseDouble(m.group(4)) > 0.98, m.group());
        String[] all = wgan("evaluate", npy.toString());
        assertTrue(lastLine(all[1]).group(3) == null, "no class rate against all classes: " + all[1]);
    }

    @Test
    void runFolderGivesATableOfItsCheckpoints() throws IOException {
        // The short run kept one checkpoint; a copy under another name makes a second.
        Path copy = Files.createDirectories(tmp.resolve("table-run/checkpoints/iter-000001"));
        try (var files = Files.list(run.resolve("checkpoints/iter-000002"))) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        Files.copy(run.resolve("config.json"), tmp.resolve("table-run/config.json"));
        Files.copy(run.resolve("checkpoints/iter-000002"), tmp.resolve("table-run/checkpoints/iter-000002"));
        Files.copy(run.resolve("checkpoints/iter-000002/generator.safetensors"),
                tmp.resolve("table-run/checkpoints/iter-000002/generator.safetensors"));
        String[] r = wgan("evaluate", tmp.resolve("table-run").toString(), "--count", "20");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("iter-000001") && r[1].contains("iter-000002"), r[1]);
        assertTrue(r[1].contains("Lowest Fréchet distance: iter-"), r[1]);
    }

    /** Colour samples against an image folder: the folder's own images score 0, noisier ones more; the judges' options do not apply. */
    @Test
    void colourSamplesAreScoredAgainstAFolderInTheRandomFeatureSpace() throws IOException {
        Path folder = wgan.quality.Shapes.writeFolder(tmp.resolve("shapes"), 30, 64, 4);
        Tensor real = wgan.data.ImageFolder.load(folder, 64, wgan.data.ImageFolder.Color.RGB, w -> {});
        Path same = tmp.resolve("same.npy");
        Npy.write(same, Layouts.toChannelsFirst(real));
        String[] r = wgan("evaluate", same.toString(), "--data", folder.toString());
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("not with published FIDs"), r[1]);
        Matcher m = Pattern.compile("evaluate rfd=(\\d+\\.\\d+) rkid=(-?\\d+\\.\\d+) diversity=(\\d+\\.\\d+)")
                .matcher(r[1].substring(r[1].lastIndexOf('\n') + 1));
        assertTrue(m.matches(), r[1]);
        assertEquals(0, Double.parseDouble(m.group(1)), 1e-3, "the folder's own images");
        assertEquals(1, Double.parseDouble(m.group(3)), 1e-3, "as varied as themselves");
        Tensor noisy = real.copy();
        for (int i = 0; i < noisy.size(); i += 7) noisy.data()[i] = -noisy.data()[i];
        Path other = tmp.resolve("noisy.npy");
        Npy.write(other, Layouts.toChannelsFirst(noisy));
        String[] n = wgan("evaluate", other.toString(), "--data", folder.toString());
        assertTrue(n[1].contains("evaluate rfd=") && !n[1].contains("evaluate rfd=0.0000"), n[1]);
        assertEquals("2", wgan("evaluate", other.toString(), "--data", folder.toString(), "--dataset", "mnist")[0]);
        assertEquals("2", wgan("evaluate", other.toString())[0], "the judges read grey images only");
    }

    @Test
    void badInputIsAnErrorNamingIt() throws IOException {
        Path wrongRange = tmp.resolve("bytes.npy");
        Tensor t = Tensor.zeros(3, 1, 28, 28);
        t.data()[5] = 255;
        Npy.write(wrongRange, t);
        assertEquals("2", wgan("evaluate", wrongRange.toString())[0]);
        assertEquals("2", wgan("evaluate", tmp.resolve("missing").toString())[0]);
        assertEquals("2", wgan("evaluate", run.toString(), "--class", "12")[0]);
        assertEquals("2", wgan("evaluate", run.toString(), "--dataset", "cifar")[0]);
        String[] notAJudge = wgan("evaluate", run.toString(), "--judge", run.resolve("checkpoints/iter-000002/generator.safetensors").toString());
        assertEquals("2", notAJudge[0]);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals("2", wgan("evaluate", empty.toString())[0]);
    }
}
