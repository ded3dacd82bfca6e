package wgan.io;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A histogram of a network's weights as a small PNG (XChart's bar chart, drawn headless like
 * {@link LossPlot}). Under weight clipping the bins run from -c to c, so that weights piled at the
 * bounds fill the two outermost bars.
 */
public final class WeightHistogram {
    public static final int WIDTH = 560;
    public static final int HEIGHT = 320;
    static final int BINS = 41;

    private WeightHistogram() {}

    /**
     * @param bound the clipping bound c, or NaN without clipping (the bins then span the weights'
     *              own range)
     */
    public static void write(Path png, String title, float[] weights, double bound) throws IOException {
        Histogram histogram = histogram(weights, bound);
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("weight").yAxisTitle("count").build();
        Styler styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setAntiAlias(true);
        chart.getStyler().setXAxisMaxLabelCount(9);
        chart.getStyler().setXAxisDecimalPattern("0.###");
        chart.getStyler().setAvailableSpaceFill(0.95);
        CategorySeries series = chart.addSeries("weights", histogram.getxAxisData(), histogram.getyAxisData());
        series.setFillColor(new Color(0x3B528B));
        LossPlot.writePng(png, chart, WIDTH, HEIGHT);
    }

    /** {@link #BINS} bins from -bound to bound, or over the weights' own range where bound is NaN. */
    static Histogram histogram(float[] weights, double bound) {
        if (weights.length == 0) throw new IllegalArgumentException("no weights to plot");
        double lo, hi;
        if (Double.isNaN(bound)) {
            lo = Double.POSITIVE_INFINITY;
            hi = Double.NEGATIVE_INFINITY;
            for (float w : weights) {
                lo = Math.min(lo, w);
                hi = Math.max(hi, w);
            }
            if (hi <= lo) hi = lo + 1;
        } else {
            lo = -bound;
            hi = bound;
        }
        List<Double> values = new ArrayList<>(weights.length);
        // XChart's bins are half-open, [lo, hi): the weights at hi itself (clipped ones, at +c) would be left out.
        double top = Math.nextDown(hi);
        for (float w : weights) values.add(Math.max(lo, Math.min(top, w)));
        return new Histogram(values, BINS, lo, hi);
    }
}
