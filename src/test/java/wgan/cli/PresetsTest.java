package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import wgan.tensor.Rng;
import wgan.train.SmallMnist;

/**
 * Every preset runs from the command line: two iterations on tiny data written here (MNIST-format
 * files for the IDX presets, a folder of colour PNGs for E4), with a small batch so that the
 * full-size models stay quick.
 */
class PresetsTest {
    @TempDir
    Path tmp;

    /** A folder of random colour images of assorted sizes, plus a corrupt one and a text file. */
    static Path colourFolder(Path dir, int count) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        Rng rng = new Rng(5);
        for (int i = 0; i < count; i++) {
            int w = 40 + rng.nextInt(60), h = 40 + rng.nextInt(60);
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int base = rng.nextInt(1 << 24);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) image.setRGB(x, y, base ^ (x * 3 << 16) ^ (y * 5 << 8) ^ rng.nextInt(32));
            }
            ImageIO.write(image, "png", (i % 2 == 0 ? dir : dir.resolve("sub")).resolve("img" + i + ".png").toFile());
        }
        Files.writeString(dir.resolve("broken.png"), "not a png");
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        return dir;
    }

    private Path dataFor(String preset) throws IOException {
        return preset.startsWith("e4") ? colourFolder(tmp.resolve("faces"), 12) : SmallMnist.write(tmp.resolve("idx"), false);
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }


    @ParameterizedTest
    @ValueSource(strings = {"e1", "e1-gp", "e2", "e3", "e4-gan", "e4-gan-gp", "e4-wgan-gp"})
    void eachPresetTrainsTwoIterationsOnTinyData(String preset) throws IOException {
        Path out = tmp.resolve("out");
        StringWriter err = new StringWriter();
        // The IDX presets of Fashion-MNIST read the MNIST-format test files; --class all keeps them all.
        List<String> args = new java.util.ArrayList<>(List.of("--preset", preset, "--data", dataFor(preset).toString(),
                "--iterations", "2", "--batch", "4", "--n-critic", "2", "--out", out.toString(), "--threads", "2", "--verbose"));
        // Data warnings go to the process's standard error.
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, run(err, args.toArray(String[]::new)), err.toString());
        } finally {
            System.setErr(saved);
        }
        Path dir = SmallMnist.onlyRun(out);
        assertTrue(dir.getFileName().toString().startsWith(preset + "-"), dir.toString());

        JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject()
                .getAsJsonObject("config");
        assertEquals(preset, config.get("preset").getAsString());
        List<String> log = Files.readAllLines(dir.resolve("log.csv"));
        assertEquals(3, log.size(), "header and 2 rows");
        boolean penalised = config.get("lipschitz").getAsString().startsWith("gp");
        for (String row : log.subList(1, 3)) {
            String[] v = row.split(",");
            for (String x : v) assertTrue(Double.isFinite(Double.parseDouble(x)), row);
            double gp = Double.parseDouble(v[5]);
            if (penalised) assertNotEquals(0.0, gp, "a gradient penalty is logged: " + row);
            else assertEquals(0.0, gp, row);
        }
        BufferedImage grid = ImageIO.read(dir.resolve("samples_iter_000002.png").toFile());
        int channels = preset.startsWith("e4") ? 3 : 1;
        assertEquals(channels, grid.getRaster().getNumBands(), "grid channels");
        int size = switch (preset) {
            case "e1", "e1-gp" -> 28;
            case "e2", "e3" -> 32;
            default -> 64;
        };
        assertEquals(2 + 10 * (size + 2), grid.getWidth(), "a 10x10 grid of " + size + "x" + size + " samples");
        assertTrue(Files.isRegularFile(dir.resolve("losses.png")));
        assertTrue(Files.isRegularFile(dir.resolve("checkpoints/iter-000002/generator.safetensors")));
        // generate rebuilds the run's generator from the checkpoint's metadata: PyTorch's NCHW.
        Path npy = tmp.resolve("samples.npy");
        assertEquals(0, run(err, "generate", "--checkpoint", dir.toString(), "--count", "3", "--out", npy.toString()), err.toString());
        assertArrayEquals(new int[] {3, channels, size, size}, wgan.io.Npy.read(npy).shape());
        if (preset.startsWith("e4")) {
            String warnings = stderr.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(warnings.contains("broken.png"), "the undecodable file is named in a warning: " + warnings);
        }
    }

    @Test
    void aFolderPresetWithoutDataSaysWhatToGive() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--preset", "e4-gan", "--out", tmp.toString()));
        assertTrue(err.toString().contains("--data DIR"), err.toString());
    }

    @Test
    void dataSmallerThanABatchIsAClearError() throws IOException {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--preset", "e2", "--data", SmallMnist.write(tmp.resolve("idx"), false).toString(),
                "--out", tmp.resolve("out").toString()));
        assertTrue(err.toString().contains("50 images, fewer than one critic batch of 64; give a smaller --batch"), err.toString());
        // An autoencoder has no critic: its batch is the one it needs.
        StringWriter aeErr = new StringWriter();
        assertEquals(2, run(aeErr, "--preset", "vae", "--data", tmp.resolve("idx").toString(), "--out", tmp.resolve("out").toString()));
        assertTrue(aeErr.toString().contains("50 images, fewer than one batch of 512; give a smaller --batch"), aeErr.toString());
    }

    @Test
    void benchTimesAPresetAndEndsWithItsFigures() throws IOException {
        String[] lines = bench("e1", "--iterations", "1").strip().split("\\R");
        assertTrue(lines[lines.length - 1].matches("e1 s/iter=\\d+\\.\\d{3} GFLOP/s=\\d+\\.\\d"), lines[lines.length - 1]);
    }

    /** --by-kernel: a row per kernel and shape, whose shares with the rest's add up to the whole, before the last line. */
    @Test
    void benchByKernelSaysWhereTheTimeGoes() throws IOException {
        String text = bench("e1", "--iterations", "2", "--by-kernel");
        // The critic's first convolution, once per critic step: 2 a round (real, fake), 5 rounds.
        java.util.regex.Matcher first = java.util.regex.Pattern
                .compile("\\s+\\S+%\\s+\\S+\\s+(\\S+)\\s+\\S+  conv forward batch 32, 28x28x1 -> 14x14x64, 4x4 stride 2\\R").matcher(text);
        assertTrue(first.find(), text);
        assertEquals(10.0, Double.parseDouble(first.group(1)));
        double shares = 0;
        for (java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s+(\\d+\\.\\d)%").matcher(text); m.find(); ) {
            shares += Double.parseDouble(m.group(1));
        }
        assertEquals(100, shares, 1.0, text);
        String[] lines = text.strip().split("\\R");
        assertTrue(lines[lines.length - 1].startsWith("e1 s/iter="), lines[lines.length - 1]);
    }

    /** An autoencoder's iterations are timed as a GAN's are (bench once failed on its missing critic). */
    @Test
    void benchTimesAnAutoencoderPreset() throws IOException {
        String text = bench("vae", "--iterations", "1");
        assertTrue(text.contains("reconstructed images/s: "), text);
        String[] lines = text.strip().split("\\R");
        assertTrue(lines[lines.length - 1].matches("vae s/iter=\\d+\\.\\d{3} GFLOP/s=\\d+\\.\\d"), lines[lines.length - 1]);
    }

    /** What bench --preset PRESET on 600 small MNIST images, one thread, with these arguments prints; it must succeed. */
    private String bench(String preset, String... args) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        List<String> all = new java.util.ArrayList<>(List.of("bench", "--preset", preset, "--data",
                SmallMnist.write(tmp.resolve("idx"), 600, false).toString(), "--threads", "1"));
        all.addAll(List.of(args));
        StringWriter err = new StringWriter();
        int code;
        try {
            code = run(err, all.toArray(String[]::new));
        } finally {
            System.setOut(saved);
        }
        String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, code, text + err);
        return text;
    }

    @Test
    void anUnknownPresetListsTheValidOnes() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--preset", "e5"));
        assertTrue(err.toString().contains("e1, e1-gp, e2, e3, e4-gan, e4-gan-gp, e4-wgan-gp, ae, vae, toy-8gaussians, toy-25gaussians, toy-swissroll"),
                err.toString());
    }

    @Test
    void theGradientPenaltyWithASplitCriticStepIsMadeJoint() throws IOException {
        Path out = tmp.resolve("out");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "--data", SmallMnist.write(tmp.resolve("idx"), false).toString(), "--lipschitz", "gp",
                "--iterations", "1", "--batch", "4", "--n-critic", "1", "--out", out.toString()), err.toString());
        JsonObject config = JsonParser.parseString(Files.readString(SmallMnist.onlyRun(out).resolve("config.json"))).getAsJsonObject()
                .getAsJsonObject("config");
        assertEquals("joint", config.get("critic-step").getAsString());
        assertEquals(10.0, config.get("gp-weight").getAsDouble());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--digit 3 --dataset fashion-mnist", "--class 10", "--gp-weight 0", "--lipschitz soft",
            "--critic-norm group", "--model e5", "--beta1 1", "--digit 1 --class 2", "--preset e2 --class x"})
    void badRecipeFlagsAreRejectedNamingTheFlag(String flags) {
        StringWriter err = new StringWriter();
        String[] args = flags.split(" ");
        assertEquals(2, run(err, args));
        String flag = args[args.length - 2].equals("--dataset") ? "--digit" : args[args.length - 2];
        assertTrue(err.toString().contains(flag), flags + " -> " + err);
    }
}
