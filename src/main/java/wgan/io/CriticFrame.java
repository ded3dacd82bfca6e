package wgan.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One picture of a 2-D critic (docs/teaching.md): its value D(x) over the square
 * [-extent, extent]^2 as a heat map with contour lines, its gradient as arrows on a coarse grid,
 * the real points (orange) and the generated ones (magenta), a title, and a legend with the
 * colour scale. The caller computes every number; this class only draws them.
 */
public final class CriticFrame {
    /** Side of the plotted square, in pixels. */
    public static final int PLOT = 500;
    /** The plot's left edge and the margin around it. */
    public static final int MARGIN = 30;
    /** The plot's top edge: the title band is above it. */
    public static final int TOP = 56;
    public static final int WIDTH = PLOT + 2 * MARGIN;
    public static final int HEIGHT = TOP + PLOT + 70;
    /** Contour lines at this many equal steps of D between its least and greatest value. */
    static final int CONTOUR_STEPS = 12;

    static final Color REAL = new Color(0xFF7F0E);
    static final Color GENERATED = new Color(0xFF00FF);
    static final Color ARROW = Color.WHITE;
    /** The heat map's colours from the lowest value to the highest (matplotlib's viridis at 0, 1/4, ..., 1). */
    private static final int[] SCALE = {0x440154, 0x3B528B, 0x21918C, 0x5EC962, 0xFDE725};

    /**
     * What one frame shows.
     *
     * @param title     first line, e.g. the preset, the Lipschitz method and the iteration
     * @param extent    the plot covers [-extent, extent] on both axes
     * @param values    D at the centres of a {@code valueGrid} x {@code valueGrid} tiling of the
     *                  square, row by row from the top (y = extent) and left to right
     * @param gradients (dD/dx, dD/dy) at the centres of an {@code arrowGrid} x {@code arrowGrid}
     *                  tiling, in the same order
     * @param real      x, y pairs of real points; {@code generated} likewise
     */
    public record Frame(String title, double extent, float[] values, int valueGrid, float[] gradients, int arrowGrid,
                        float[] real, float[] generated) {
        public Frame {
            if (values.length != valueGrid * valueGrid || gradients.length != 2 * arrowGrid * arrowGrid) {
                throw new IllegalArgumentException("a " + valueGrid + "x" + valueGrid + " value grid and a " + arrowGrid + "x" + arrowGrid
                        + " arrow grid need " + valueGrid * valueGrid + " values and " + 2 * arrowGrid * arrowGrid
                        + " gradient components, got " + values.length + " and " + gradients.length);
            }
        }
    }

    private CriticFrame() {}

    public static void write(Path png, Frame frame) throws IOException {
        SampleGrid.writePng(png, render(frame));
    }

    public static BufferedImage render(Frame f) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : f.values()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            drawHeatMap(image, f, min, max);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setClip(MARGIN, TOP, PLOT, PLOT);
            double longest = drawArrows(g, f);
            drawPoints(g, f.real(), REAL, f.extent());
            drawPoints(g, f.generated(), GENERATED, f.extent());
            g.setClip(null);
            g.setColor(Color.BLACK);
            g.drawRect(MARGIN - 1, TOP - 1, PLOT + 1, PLOT + 1);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(f.title(), MARGIN, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(String.format(Locale.ROOT, "critic D(x): contours every %.3g; arrows: grad D, longest %.3g",
                    (max - min) / CONTOUR_STEPS, longest), MARGIN, 44);
            drawLegend(g, min, max);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Each pixel of the plot: D interpolated bilinearly between the grid's centres, coloured, darkened on a contour. */
    private static void drawHeatMap(BufferedImage image, Frame f, float min, float max) {
        float range = max > min ? max - min : 1;
        int[] level = new int[PLOT * PLOT];
        float[] shade = new float[PLOT * PLOT];
        int n = f.valueGrid();
        for (int py = 0; py < PLOT; py++) {
            // The pixel's centre in grid units, where cell centres sit at whole numbers.
            double gy = Math.min(n - 1, Math.max(0, (py + 0.5) * n / PLOT - 0.5));
            int y0 = Math.min(n - 2, (int) gy);
            double ty = gy - y0;
            for (int px = 0; px < PLOT; px++) {
                double gx = Math.min(n - 1, Math.max(0, (px + 0.5) * n / PLOT - 0.5));
                int x0 = Math.min(n - 2, (int) gx);
                double tx = gx - x0;
                double v = n == 1 ? f.values()[0]
                        : (1 - ty) * ((1 - tx) * f.values()[y0 * n + x0] + tx * f.values()[y0 * n + x0 + 1])
                        + ty * ((1 - tx) * f.values()[(y0 + 1) * n + x0] + tx * f.values()[(y0 + 1) * n + x0 + 1]);
                float t = (float) ((v - min) / range);
                shade[py * PLOT + px] = t;
                level[py * PLOT + px] = Math.min(CONTOUR_STEPS - 1, (int) (t * CONTOUR_STEPS));
            }
        }
        for (int py = 0; py < PLOT; py++) {
            for (int px = 0; px < PLOT; px++) {
                int i = py * PLOT + px;
                boolean contour = (px + 1 < PLOT && level[i + 1] != level[i]) || (py + 1 < PLOT && level[i + PLOT] != level[i]);
                int rgb = scale(shade[i]);
                image.setRGB(MARGIN + px, TOP + py, contour ? darker(rgb) : rgb);
            }
        }
    }

    /** The scale's colour at t in [0, 1], linear between its anchors. */
    static int scale(float t) {
        float s = Math.max(0, Math.min(1, t)) * (SCALE.length - 1);
        int k = Math.min(SCALE.length - 2, (int) s);
        float u = s - k;
        int a = SCALE[k], b = SCALE[k + 1], rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int ca = (a >> shift) & 0xFF, cb = (b >> shift) & 0xFF;
            rgb |= Math.round(ca + u * (cb - ca)) << shift;
        }
        return rgb;
    }

    /** A contour line's colour over {@code rgb}: 45% of the way to black. */
    static int darker(int rgb) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) out |= Math.round(((rgb >> shift) & 0xFF) * 0.55f) << shift;
        return out;
    }

    /** Arrows of the gradient, the longest 0.9 of the grid's spacing; returns the longest norm. */
    private static double drawArrows(Graphics2D g, Frame f) {
        int n = f.arrowGrid();
        float[] d = f.gradients();
        double longest = 0;
        for (int i = 0; i < n * n; i++) longest = Math.max(longest, Math.hypot(d[2 * i], d[2 * i + 1]));
        if (!(longest > 0)) return longest;
        double spacing = (double) PLOT / n, scale = 0.9 * spacing / longest;
        g.setColor(ARROW);
        g.setStroke(new BasicStroke(1.3f));
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                int i = row * n + col;
                double x0 = MARGIN + (col + 0.5) * spacing, y0 = TOP + (row + 0.5) * spacing;
                // Screen y grows downwards, the plane's y upwards.
                double dx = d[2 * i] * scale, dy = -d[2 * i + 1] * scale, length = Math.hypot(dx, dy);
                if (length < 1) {
                    g.fill(new Ellipse2D.Double(x0 - 1, y0 - 1, 2, 2));
                    continue;
                }
                g.draw(new Line2D.Double(x0, y0, x0 + dx, y0 + dy));
                double head = Math.min(5, 0.4 * length), ux = dx / length, uy = dy / length;
                Path2D.Double tip = new Path2D.Double();
                tip.moveTo(x0 + dx, y0 + dy);
                tip.lineTo(x0 + dx - head * (ux - 0.5 * uy), y0 + dy - head * (uy + 0.5 * ux));
                tip.lineTo(x0 + dx - head * (ux + 0.5 * uy), y0 + dy - head * (uy - 0.5 * ux));
                tip.closePath();
                g.fill(tip);
            }
        }
        return longest;
    }

    private static void drawPoints(Graphics2D g, float[] xy, Color color, double extent) {
        for (int i = 0; i + 1 < xy.length; i += 2) {
            double px = toPixelX(xy[i], extent), py = toPixelY(xy[i + 1], extent);
            Ellipse2D.Double dot = new Ellipse2D.Double(px - 2.5, py - 2.5, 5, 5);
            g.setColor(color);
            g.fill(dot);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(0.6f));
            g.draw(dot);
        }
    }

    /** The image column of the plane's x. */
    public static double toPixelX(double x, double extent) {
        return MARGIN + (x + extent) / (2 * extent) * PLOT;
    }

    /** The image row of the plane's y. */
    public static double toPixelY(double y, double extent) {
        return TOP + (extent - y) / (2 * extent) * PLOT;
    }

    /** Below the plot: the colour bar from the least to the greatest D, and the two kinds of point. */
    private static void drawLegend(Graphics2D g, float min, float max) {
        int y = TOP + PLOT + 14, barWidth = 220;
        for (int x = 0; x < barWidth; x++) {
            g.setColor(new Color(scale(x / (barWidth - 1f))));
            g.fillRect(MARGIN + x, y, 1, 14);
        }
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "D = %.3g", min), MARGIN, y + 30);
        String high = String.format(Locale.ROOT, "%.3g", max);
        g.drawString(high, MARGIN + barWidth - g.getFontMetrics().stringWidth(high), y + 30);
        int x = MARGIN + barWidth + 40;
        for (Object[] key : new Object[][] {{REAL, "real"}, {GENERATED, "generated"}}) {
            g.setColor((Color) key[0]);
            g.fill(new Ellipse2D.Double(x, y + 2, 10, 10));
            g.setColor(Color.BLACK);
            g.draw(new Ellipse2D.Double(x, y + 2, 10, 10));
            g.drawString((String) key[1], x + 16, y + 12);
            x += 24 + g.getFontMetrics().stringWidth((String) key[1]) + 20;
        }
    }
}
