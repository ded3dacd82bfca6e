package wgan.io;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts of training losses as PNG. XChart draws the chart into an in-memory image, which is
 * then written with {@code javax.imageio}: this needs no display (works with
 * {@code java.awt.headless=true}) and none of XChart's optional PDF/SVG/GIF exporters.
 */
public final class LossPlot {

    public static final int WIDTH = 1000;
    public static final int HEIGHT = 600;

    private LossPlot() {}

    /** Writes one line per entry of {@code series} (name to values), all over the same {@code iterations}. */
    public static void write(Path png, String title, double[] iterations, Map<String, double[]> series) throws IOException {
        write(png, title, "loss", iterations, series);
    }

    /** The same, with {@code yTitle} on the y axis. */
    public static void write(Path png, String title, String yTitle, double[] iterations, Map<String, double[]> series) throws IOException {
        if (iterations.length == 0) throw new IllegalArgumentException("nothing to plot: no iterations");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("iteration").yAxisTitle(yTitle).build();
        Styler styler = chart.getStyler();
        // Below the plot, where it can never hide a line (inside, it hid E1's Wasserstein estimate at its peak).
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setAntiAlias(true);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != iterations.length) {
                throw new IllegalArgumentException("series '" + e.getKey() + "' has " + e.getValue().length
                        + " values for " + iterations.length + " iterations");
            }
            XYSeries s = chart.addSeries(e.getKey(), iterations, e.getValue());
            s.setMarker(SeriesMarkers.NONE);
        }
        writePng(png, chart, WIDTH, HEIGHT);
    }

    /** Draws an XChart chart into an image in memory and writes it as a PNG, atomically. */
    static void writePng(Path png, Chart<?, ?> chart, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            chart.paint(g, width, height);
        } finally {
            g.dispose();
        }
        SampleGrid.writePng(png, image);
    }

    /**
     * The WGAN losses: the critic's two terms {@code c1} (on real data) and {@code c2} (on
     * generated data), the generator's {@code g}, the Wasserstein estimate {@code -(c1 + c2)},
     * and the gradient penalty {@code gp} when there is one (null otherwise).
     */
    public static void writeWgan(Path png, String title, double[] iterations, double[] c1, double[] c2, double[] g,
                                 double[] gp) throws IOException {
        // Mismatched lengths are reported by write(); here just stay within both arrays.
        double[] w = new double[Math.min(c1.length, c2.length)];
        for (int i = 0; i < w.length; i++) w[i] = -(c1[i] + c2[i]);
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("c1 (critic, real)", c1);
        series.put("c2 (critic, generated)", c2);
        series.put("g (generator)", g);
        series.put("Wasserstein estimate -(c1+c2)", w);
        if (gp != null) series.put("gp (gradient penalty)", gp);
        write(png, title, iterations, series);
    }

    /**
     * The standard GAN's losses: the critic's cross-entropy on real ({@code c1}) and generated
     * ({@code c2}) images, the generator's non-saturating loss {@code g}, and the penalty if any.
     */
    public static void writeGan(Path png, String title, double[] iterations, double[] c1, double[] c2, double[] g,
                                double[] gp) throws IOException {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("c1 (critic, real: -log D)", c1);
        series.put("c2 (critic, generated: -log(1-D))", c2);
        series.put("g (generator: -log D(G(z)))", g);
        if (gp != null) series.put("gp (gradient penalty)", gp);
        write(png, title, iterations, series);
    }
}
