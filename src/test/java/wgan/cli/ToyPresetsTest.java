package wgan.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import wgan.io.CriticFrame;
import wgan.train.SmallMnist;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each toy preset trains two iterations from the command line, with each Lipschitz method, and
 * writes what docs/teaching.md reads: a frame per sample step, the GIF of them, the weight
 * histogram and critic.csv; no image quality metrics.
 */
class ToyPresetsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"toy-8gaussians, gp", "toy-25gaussians, gp", "toy-swissroll, gp", "toy-8gaussians, clip", "toy-8gaussians, none"})
    void eachToyPresetTrainsTwoIterationsAndDrawsItsCritic(String preset, String lipschitz) throws IOException {
        Path out = tmp.resolve("out");
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        int code;
        try {
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(err));
            code = cli.execute("--preset", preset, "--lipschitz", lipschitz, "--iterations", "2", "--sample-every", "1", "--batch", "8",
                    "--out", out.toString(), "--threads", "2", "--verbose");
        } finally {
            System.setOut(saved);
        }
        String console = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err + console);
        assertTrue(console.contains("Quality metrics: none for 2-D points"), console);
        Path dir = SmallMnist.onlyRun(out);
        assertTrue(dir.getFileName().toString().startsWith(preset + "-" + preset.substring("toy-".length()) + "-"), dir.toString());
        JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject().getAsJsonObject("config");
        assertEquals(preset, config.get("dataset").getAsString());
        assertEquals(lipschitz, config.get("lipschitz").getAsString());

        for (int i = 1; i <= 2; i++) {
            BufferedImage frame = ImageIO.read(dir.resolve(String.format("frames/frame_%06d.png", i)).toFile());
            assertEquals(CriticFrame.WIDTH, frame.getWidth());
        }
        assertEquals(2, gifFrames(dir.resolve("frames.gif")));
        assertTrue(ImageIO.read(dir.resolve("weights.png").toFile()).getWidth() > 0);
        List<String> csv = Files.readAllLines(dir.resolve("critic.csv"));
        assertEquals("iteration,norm_mean,norm_std,norm_min,norm_max,at_bound", csv.get(0));
        assertEquals(3, csv.size(), csv.toString());
        for (String row : csv.subList(1, 3)) {
            String[] f = row.split(",", -1);
            assertTrue(Double.parseDouble(f[1]) > 0, row);
            // The share at the bound is there under clipping only.
            assertEquals(lipschitz.equals("clip"), !f[5].isEmpty(), row);
        }
        assertFalse(Files.exists(dir.resolve("metrics.csv")), "no image quality metrics for points");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("samples_")), "no sample grids of 1x1 images");
        }
        assertTrue(Files.isRegularFile(dir.resolve("report.html")));
        // generate makes points from the checkpoint: NCHW of 1x1x2 images.
        Path npy = tmp.resolve("points.npy");
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(0, cli.execute("generate", "--checkpoint", dir.toString(), "--count", "5", "--out", npy.toString()), err.toString());
        assertArrayEquals(new int[] {5, 2, 1, 1}, wgan.io.Npy.read(npy).shape());
        // Points make no grid PNG, and the image judges know nothing of them: clear refusals.
        StringWriter refused = new StringWriter();
        cli.setErr(new PrintWriter(refused));
        assertEquals(2, cli.execute("generate", "--checkpoint", dir.toString(), "--out", tmp.resolve("grid.png").toString()));
        assertTrue(refused.toString().contains("the toy model makes 2-D points, not images; write them to a .npy file"), refused.toString());
        refused = new StringWriter();
        cli = Main.commandLine();
        cli.setErr(new PrintWriter(refused));
        assertEquals(2, cli.execute("evaluate", dir.toString()));
        assertTrue(refused.toString().contains("was trained on 2-D points"), refused.toString());
    }

    private static int gifFrames(Path gif) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            return reader.getNumImages(true);
        } finally {
            reader.dispose();
        }
    }
}
