import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Plots the Fréchet distance of several runs over their iterations, on a log scale, from each
 * run's metrics.csv: the README's comparison of E1 and e1-gp.
 *
 *     java -cp target/wgan.jar scripts/PlotDistances.java OUT.png "TITLE" LABEL=RUN_FOLDER...
 */
public class PlotDistances {
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: java -cp target/wgan.jar scripts/PlotDistances.java OUT.png TITLE LABEL=RUN_FOLDER...");
            System.exit(2);
        }
        XYChart chart = new XYChartBuilder().width(1000).height(500).title(args[1])
                .xAxisTitle("iteration").yAxisTitle("Fréchet distance (wgan's judge, log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        for (int i = 2; i < args.length; i++) {
            String[] labelAndRun = args[i].split("=", 2);
            List<Double> iterations = new ArrayList<>(), distances = new ArrayList<>();
            List<String> lines = Files.readAllLines(Path.of(labelAndRun[1], "metrics.csv"));
            List<String> header = List.of(lines.get(0).split(","));
            int iteration = header.indexOf("iteration"), fd = header.indexOf("fd");
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                iterations.add(Double.parseDouble(cells[iteration]));
                distances.add(Double.parseDouble(cells[fd]));
            }
            chart.addSeries(labelAndRun[0], iterations, distances);
        }
        BitmapEncoder.saveBitmap(chart, args[0], BitmapEncoder.BitmapFormat.PNG);
    }
}
