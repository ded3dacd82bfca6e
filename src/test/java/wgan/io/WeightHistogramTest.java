package wgan.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.Histogram;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Clipped weights at exactly -c and +c fill the histogram's two outermost bins. */
class WeightHistogramTest {
    @TempDir
    Path tmp;

    @Test
    void weightsAtTheClippingBoundsFillTheOutermostBins() {
        float c = 0.01f;
        float[] weights = {-c, -c, -c, c, c, 0f, 0.004f};
        Histogram h = WeightHistogram.histogram(weights, c);
        List<Double> counts = h.getyAxisData();
        assertEquals(WeightHistogram.BINS, counts.size());
        assertEquals(3.0, counts.get(0), "at -c");
        assertEquals(2.0, counts.get(WeightHistogram.BINS - 1), "at +c");
        assertEquals(weights.length, counts.stream().mapToDouble(Double::doubleValue).sum(), "every weight is counted");
        assertEquals(-c, h.getMin(), 1e-9);
        assertEquals(c, h.getMax(), 1e-9);
    }

    @Test
    void withoutABoundTheBinsSpanTheWeights() throws IOException {
        float[] weights = {-0.3f, 0.1f, 0.2f, 0.5f};
        Histogram h = WeightHistogram.histogram(weights, Double.NaN);
        assertEquals(-0.3, h.getMin(), 1e-6);
        assertEquals(0.5, h.getMax(), 1e-6);
        assertEquals(4.0, h.getyAxisData().stream().mapToDouble(Double::doubleValue).sum());
        Path png = tmp.resolve("weights.png");
        WeightHistogram.write(png, "weights", weights, Double.NaN);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(WeightHistogram.WIDTH, image.getWidth());
        assertEquals(WeightHistogram.HEIGHT, image.getHeight());
    }
}
