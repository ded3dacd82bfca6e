package wgan.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LossPlotTest {

    @TempDir
    Path dir;

    @Test
    void drawsTheWganLossesHeadless() throws IOException {
        assertTrue(GraphicsEnvironment.isHeadless(), "the build runs tests with java.awt.headless=true");
        int n = 200;
        double[] it = new double[n], c1 = new double[n], c2 = new double[n], g = new double[n];
        for (int i = 0; i < n; i++) {
            it[i] = i * 10;
            c1[i] = -Math.exp(-i / 50.0);
            c2[i] = 0.5 * Math.exp(-i / 60.0);
            g[i] = Math.sin(i / 10.0);
        }
        Path png = dir.resolve("plots/losses.png");
        LossPlot.writeWgan(png, "WGAN losses", it, c1, c2, g, null);

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(LossPlot.WIDTH, img.getWidth());
        assertEquals(LossPlot.HEIGHT, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        int nonWhite = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) nonWhite++;
            }
        }
        // Four series in distinct colours, axes, text: far from a blank or single-colour image.
        assertTrue(colours.size() > 20, colours.size() + " colours");
        assertTrue(nonWhite > img.getWidth() * img.getHeight() / 100, nonWhite + " non-white pixels");
    }

    /** The pom.xml excludes XChart's optional exporters; the PNG path above must not need them. */
    @ParameterizedTest
    @ValueSource(strings = {"org.apache.pdfbox.pdmodel.PDDocument", "de.erichseifert.vectorgraphics2d.VectorGraphics2D",
            "com.madgag.gif.fmsware.AnimatedGifEncoder", "de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D"})
    void optionalExportersAreNotOnTheClassPath(String className) {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(className));
    }

    @Test
    void rejectsSeriesOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class,
                () -> LossPlot.write(dir.resolve("x.png"), "t", new double[] {1, 2}, Map.of("a", new double[] {1})));
        assertThrows(IllegalArgumentException.class, () -> LossPlot.write(dir.resolve("x.png"), "t", new double[0], Map.of()));
    }
}
