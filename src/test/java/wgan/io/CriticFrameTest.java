package wgan.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a critic frame must show, checked at pixels whose colour is known. */
class CriticFrameTest {
    private static final double EXTENT = 2.5;
    private static final float[] NONE = {};

    @TempDir
    Path tmp;

    private static int rgb(BufferedImage image, double x, double y) {
        return image.getRGB((int) x, (int) y) & 0xFFFFFF;
    }

    private static double luminance(int rgb) {
        return 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
    }

    /** D rising from left to right: the heat map runs from the scale's lowest colour to its highest, with a contour at each step. */
    @Test
    void theHeatMapFollowsDAndHasAContourLineAtEachStep() {
        BufferedImage image = CriticFrame.render(new CriticFrame.Frame("t", EXTENT, new float[] {0, 1, 0, 1}, 2, new float[2], 1, NONE, NONE));
        int row = CriticFrame.TOP + CriticFrame.PLOT / 2;
        assertEquals(0x440154, rgb(image, CriticFrame.MARGIN + 2, row), "lowest D: the scale's first colour");
        assertEquals(0xFDE725, rgb(image, CriticFrame.MARGIN + CriticFrame.PLOT - 3, row), "highest D: its last");
        int lines = 0;
        double last = -1;
        for (int px = 1; px < CriticFrame.PLOT - 1; px++) {
            double left = luminance(rgb(image, CriticFrame.MARGIN + px - 1, row)), here = luminance(rgb(image, CriticFrame.MARGIN + px, row));
            double right = luminance(rgb(image, CriticFrame.MARGIN + px + 1, row));
            if (here < 0.8 * left && here < 0.8 * right) lines++;
            // Apart from the lines, the colour brightens steadily with D.
            if (here >= 0.8 * Math.min(left, right)) {
                assertTrue(here >= last - 1, "brightness falls at pixel " + px);
                last = here;
            }
        }
        assertEquals(CriticFrame.CONTOUR_STEPS - 1, lines, "contour lines crossed along the row");
    }

    @Test
    void realPointsAreOrangeGeneratedOnesMagentaAndTheRestOfThePlotIsTheHeatMap() {
        BufferedImage image = CriticFrame.render(new CriticFrame.Frame("t", EXTENT, new float[] {0}, 1, new float[2], 1,
                new float[] {1f, 1f}, new float[] {-1f, -0.5f}));
        assertEquals(CriticFrame.REAL.getRGB() & 0xFFFFFF, rgb(image, CriticFrame.toPixelX(1, EXTENT), CriticFrame.toPixelY(1, EXTENT)));
        assertEquals(CriticFrame.GENERATED.getRGB() & 0xFFFFFF,
                rgb(image, CriticFrame.toPixelX(-1, EXTENT), CriticFrame.toPixelY(-0.5, EXTENT)));
        // y grows upwards: the real point is in the upper right quarter.
        assertTrue(CriticFrame.toPixelY(1, EXTENT) < CriticFrame.TOP + CriticFrame.PLOT / 2.0);
        assertEquals(0x440154, rgb(image, CriticFrame.toPixelX(-1, EXTENT), CriticFrame.toPixelY(1, EXTENT)), "a constant D, no point there");
        assertEquals(0xFFFFFF, rgb(image, 2, 2), "white outside the plot");
        int titleInk = 0;
        for (int x = CriticFrame.MARGIN; x < CriticFrame.MARGIN + 40; x++) {
            for (int y = 8; y < 28; y++) if (luminance(rgb(image, x, y)) < 128) titleInk++;
        }
        assertTrue(titleInk > 20, "the title is written: " + titleInk + " dark pixels");
    }

    /** A 2x2 grid of arrows, D rising along x at the top left one only: a white arrow to its right, none to its left. */
    @Test
    void theGradientIsDrawnAsAnArrowPointingUphill() {
        BufferedImage image = CriticFrame.render(new CriticFrame.Frame("t", EXTENT, new float[] {0}, 1,
                new float[] {3f, 0f, 0, 0, 0, 0, 0, 0}, 2, NONE, NONE));
        double spacing = CriticFrame.PLOT / 2.0, cx = CriticFrame.MARGIN + spacing / 2, cy = CriticFrame.TOP + spacing / 2;
        for (int dx : new int[] {20, 100, 200}) {
            int pixel = Math.max(rgb(image, cx + dx, cy), rgb(image, cx + dx, cy - 1));
            assertTrue(luminance(pixel) > 150, "arrow at +" + dx + ": " + Integer.toHexString(pixel));
        }
        for (int dx : new int[] {20, 100}) assertEquals(0x440154, rgb(image, cx - dx, cy), "nothing at -" + dx);
        // The longest arrow is 0.9 of the grid's spacing long.
        assertEquals(0x440154, rgb(image, cx + 0.94 * spacing, cy));
    }

    @Test
    void aFrameIsWrittenAsAPngOfTheFramesSize() throws IOException {
        Path png = tmp.resolve("frames/f.png");
        CriticFrame.write(png, new CriticFrame.Frame("t", EXTENT, new float[4], 2, new float[8], 2, NONE, NONE));
        BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(CriticFrame.WIDTH, read.getWidth());
        assertEquals(CriticFrame.HEIGHT, read.getHeight());
    }

    @Test
    void gridsOfTheWrongSizeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CriticFrame.Frame("t", EXTENT, new float[3], 2, new float[2], 1, NONE, NONE));
        assertTrue(e.getMessage().contains("need 4 values"), e.getMessage());
    }
}
