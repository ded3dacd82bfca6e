package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html of a short run whose paths hold HTML's special characters, read back with a real HTML parser. */
class RunReportTest {
    @TempDir
    static Path tmp;
    /** One run for all the tests: those that change its files change a copy. */
    private static Path trained;

    private static final String DATA_NAME = "mnist <b>&amp; \"7's\"";

    @BeforeAll
    static void train() throws IOException {
        Path data = SmallMnist.write(tmp.resolve(DATA_NAME), false);
        Files.copy(data.resolve("train-images-idx3-ubyte"), data.resolve("t10k-images-idx3-ubyte"));
        Files.copy(data.resolve("train-labels-idx1-ubyte"), data.resolve("t10k-labels-idx1-ubyte"));
        Path out = tmp.resolve("out <&>");
        assertEquals(0, TrainingRun.start(SmallMnist.config(data, 6, 5e-5), out, true));
        trained = SmallMnist.onlyRun(out);
    }

    private static Path copyOfRun(String name) throws IOException {
        Path copy = tmp.resolve(name);
        try (var paths = Files.walk(trained)) {
            for (Path p : paths.toList()) Files.copy(p, copy.resolve(trained.relativize(p).toString()));
        }
        return copy;
    }

    @Test
    void theReportIsOneSelfContainedPageOnTheRun() throws IOException {
        Path run = trained;
        String written = Files.readString(run.resolve(RunReport.FILE));
        assertEquals(RunReport.html(run), written, "the run's last report is the one its files give");
        Document doc = Jsoup.parse(written);
        for (String id : List.of("commands", "progress", "best", "warnings", "samples", "timings", "configuration", "environment")) {
            assertNotNull(doc.getElementById(id), "section " + id);
        }
        // Inline PNGs only: the loss plot, the metrics plot and the grids after iterations 5 (epoch 1) and 6.
        List<Element> images = doc.select("img");
        assertEquals(4, images.size(), images.toString());
        for (Element img : images) {
            String src = img.attr("src");
            assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, Math.min(40, src.length())));
            byte[] png = Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1));
            assertNotNull(ImageIO.read(new ByteArrayInputStream(png)), "a PNG: " + img.attr("alt"));
        }
        assertEquals(List.of("epoch 1 (iteration 5)", "iteration 6"), doc.select("figcaption").eachText());
        assertTrue(doc.select("script, link, iframe, object, embed").isEmpty(), "no script and no linked resource");
        for (Element e : doc.select("[src], [href]")) {
            assertFalse((e.attr("src") + e.attr("href")).matches("(?i)\\s*(https?:|//).*"), "no network: " + e);
        }
        // The configuration, with the data folder's name as it is, and the commands for this folder.
        assertTrue(row(doc, "configuration", "batch").equals("8") && row(doc, "configuration", "n-critic").equals("2"));
        assertEquals(tmp.resolve(DATA_NAME).toString(), row(doc, "configuration", "data"));
        assertTrue(row(doc, "environment", "java").contains(Runtime.version().toString()));
        String commands = doc.getElementById("commands").selectFirst("pre").wholeText();
        String quoted = "'" + run.toString().replace("'", "'\\''") + "'";
        assertTrue(commands.contains("java -jar wgan.jar --resume " + quoted), commands);
        assertTrue(commands.contains("java -jar wgan.jar generate --checkpoint '" + run.resolve("checkpoints/best") + "' --count 100"), commands);
        assertTrue(commands.contains("java -jar wgan.jar evaluate " + quoted), commands);
        // Escaped in the markup: the special characters come back only as text.
        assertFalse(written.contains(DATA_NAME) || written.contains("<b>"), "unescaped text in the markup");
        assertTrue(written.contains("mnist &lt;b&gt;&amp;amp; &quot;7&#39;s&quot;"));
        // Iteration 5 has no checkpoint (they are at 3 and 6): the best is 6's.
        String best = doc.getElementById("best").selectFirst("p").text();
        assertTrue(best.startsWith("checkpoints/best is the checkpoint of iteration 6, Fréchet distance "
                + Files.readAllLines(run.resolve(RunMetrics.FILE)).get(2).split(",")[1] + ":"), best);
        assertTrue(doc.getElementById("timings").text().matches(".*6 iterations in log.csv took [0-9.]+ s .*median [0-9.]+ ms per iteration.*"),
                doc.getElementById("timings").text());
        assertEquals(3, doc.getElementById("best").select("tr").size(), "the header and a row per measurement");
    }

    @Test
    void warningsAreListedWithWhatTheyMeanAndWhen() throws IOException {
        Path run = copyOfRun("warned");
        Files.writeString(run.resolve(RunMetrics.FILE), "7,1.0,0.1,0.9,0.9,0.9,1,0.1,clipped-at-bound;penalty-norm\n"
                + "8,1.0,0.1,0.9,0.9,0.9,1,0.1,clipped-at-bound\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Document doc = Jsoup.parse(RunReport.html(run));
        Element warnings = doc.getElementById("warnings");
        assertEquals(RunMetrics.MEANINGS.get("clipped-at-bound"), row(doc, "warnings", "clipped-at-bound"));
        assertTrue(warnings.text().contains("7, 8"), warnings.text());
        assertNotNull(row(doc, "warnings", "penalty-norm"));
    }

    @Test
    void aRunFolderWithOnlyItsConfigurationHasAReportToo() throws IOException {
        Path run = copyOfRun("bare");
        try (var files = Files.list(run)) {
            for (Path f : files.toList()) if (!Files.isDirectory(f) && !f.getFileName().toString().equals("config.json")) Files.delete(f);
        }
        Document doc = Jsoup.parse(Files.readString(RunReport.write(run)));
        assertTrue(doc.select("img").isEmpty());
        assertTrue(doc.getElementById("samples").text().contains("No sample grids yet"));
        assertTrue(doc.getElementById("timings").text().contains("No iterations logged yet"));
    }

    /** The second cell of the row of a section's table whose first cell is {@code key}. */
    private static String row(Document doc, String section, String key) {
        for (Element tr : doc.getElementById(section).select("tr")) {
            if (tr.child(0).text().equals(key)) return tr.child(1).text();
        }
        throw new AssertionError("no row " + key + " in " + section);
    }
}
