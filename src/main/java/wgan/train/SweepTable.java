package wgan.train;

import wgan.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A sweep's result, sweep.csv and sweep.html in its folder: one row per run with the values of the
 * varied settings, how far it got, its time, the last and the lowest Fréchet distance of its
 * metrics.csv ({@link RunMetrics}) and a link to its report, sorted by that lowest distance (runs
 * without one last, in the sweep's order). The distances' columns are named as the runs'
 * metrics.csv names them: fd and kid, or rfd and rkid for runs on an image folder (the same
 * places in metrics.csv). Read from the run folders alone, so it can be written again at any
 * time, by any runner.
 */
public final class SweepTable {
    public static final String CSV = "sweep.csv";
    public static final String HTML = "sweep.html";
    /** The columns of metrics.csv copied for the last measurement; both of its headers have them in the same places. */
    private static final List<String> LAST = List.of("fd", "kid", "class_rate", "diversity");
    private static final List<String> METRICS_COLUMNS = List.of(RunMetrics.HEADER.split(","));

    private SweepTable() {}

    /**
     * One run's line: its sweep entry, "done", "incomplete" or "not started", the last iteration
     * logged, the seconds of its iterations and measurements, the last measurement's
     * {@link #LAST} values ("" without one), the lowest distance and its iteration (NaN and 0 without),
     * and the header of its metrics.csv (empty without one).
     */
    record Row(Sweep.Run run, String status, int iterations, double seconds, List<String> last, double bestFd, int bestIteration,
               List<String> metricsHeader) {}

    /** Writes sweep.csv and sweep.html into the sweep's {@code folder}; returns the rows, best first. */
    public static List<Row> write(Sweep sweep, Path folder) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Sweep.Run run : sweep.runs()) rows.add(row(run, folder.resolve(run.name())));
        // A stable sort: runs with equal distances, and those with none, keep the sweep's order.
        rows.sort(Comparator.comparingDouble(r -> Double.isNaN(r.bestFd()) ? Double.POSITIVE_INFINITY : r.bestFd()));
        List<String> header = header(sweep, rows);
        List<List<String>> cells = rows.stream().map(SweepTable::cells).toList();
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> line : cells) csv.append(String.join(",", line.stream().map(SweepTable::csvField).toList())).append('\n');
        AtomicFiles.write(folder.resolve(CSV), csv.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(folder.resolve(HTML), html(sweep, header, cells).getBytes(StandardCharsets.UTF_8));
        return rows;
    }

    private static Row row(Sweep.Run run, Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) return new Row(run, "not started", 0, 0, List.of(), Double.NaN, 0, List.of());
        int planned = TrainingRun.settingsOf(config).iterations();
        List<LossLog.Row> log = RunReport.lossRows(dir.resolve("log.csv"));
        int done = log.isEmpty() ? 0 : log.get(log.size() - 1).iteration();
        double seconds = log.stream().mapToDouble(LossLog.Row::seconds).sum();
        List<String> last = List.of();
        double bestFd = Double.NaN;
        int bestIteration = 0;
        List<String[]> metrics = RunReport.metricRows(dir.resolve(RunMetrics.FILE));
        for (String[] m : metrics.subList(Math.min(1, metrics.size()), metrics.size())) {
            if (m.length != METRICS_COLUMNS.size()) continue;
            seconds += number(m[METRICS_COLUMNS.indexOf("seconds")]);
            last = LAST.stream().map(c -> m[METRICS_COLUMNS.indexOf(c)]).toList();
            double fd = number(m[METRICS_COLUMNS.indexOf("fd")]);
            if (fd < bestFd || Double.isNaN(bestFd)) {
                bestFd = fd;
                bestIteration = (int) number(m[0]);
            }
        }
        List<String> metricsHeader = metrics.isEmpty() ? List.of() : List.of(metrics.get(0));
        return new Row(run, done >= planned ? "done" : "incomplete", done, seconds, last, bestFd, bestIteration, metricsHeader);
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The table's columns, the distances' named as in the first run measured (fd where none was). */
    private static List<String> header(Sweep sweep, List<Row> rows) {
        List<String> names = rows.stream().map(Row::metricsHeader).filter(h -> h.size() == METRICS_COLUMNS.size()).findFirst()
                .orElse(METRICS_COLUMNS);
        List<String> header = new ArrayList<>(List.of("run"));
        sweep.axes().forEach(a -> header.add(a.setting().name()));
        header.addAll(List.of("status", "iterations", "seconds"));
        LAST.forEach(c -> header.add(names.get(METRICS_COLUMNS.indexOf(c))));
        header.addAll(List.of("best_" + names.get(METRICS_COLUMNS.indexOf("fd")), "best_iteration", "report"));
        return header;
    }

    private static List<String> cells(Row r) {
        List<String> cells = new ArrayList<>(List.of(r.run().name()));
        cells.addAll(r.run().values().values());
        cells.addAll(List.of(r.status(), Integer.toString(r.iterations()), String.format(Locale.ROOT, "%.1f", r.seconds())));
        cells.addAll(r.last().isEmpty() ? LAST.stream().map(c -> "").toList() : r.last());
        cells.add(Double.isNaN(r.bestFd()) ? "" : String.format(Locale.ROOT, "%.4f", r.bestFd()));
        cells.add(Double.isNaN(r.bestFd()) ? "" : Integer.toString(r.bestIteration()));
        cells.add(r.status().equals("not started") ? "" : r.run().name() + "/" + RunReport.FILE);
        return cells;
    }

    /** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
    static String csvField(String text) {
        return text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r') ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static String html(Sweep sweep, List<String> header, List<List<String>> cells) {
        String title = "wgan sweep " + sweep.file().getFileName();
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(RunReport.escape(title)).append("</title><style>").append(RunReport.STYLE).append("</style></head><body>\n<h1>")
                .append(RunReport.escape(title)).append("</h1>\n<p>").append(cells.size())
                .append(" runs, best first: by the lowest Fréchet distance in each run's metrics.csv (lower is better; docs/quality.md). "
                        + "Seconds: the run's iterations and quality measurements.</p>\n<table><tr>");
        for (String c : header) h.append("<th>").append(RunReport.escape(c)).append("</th>");
        h.append("</tr>\n");
        int report = header.indexOf("report");
        for (List<String> line : cells) {
            h.append("<tr>");
            for (int i = 0; i < line.size(); i++) {
                String text = RunReport.escape(line.get(i));
                h.append("<td>").append(i == report && !text.isEmpty() ? "<a href=\"" + text + "\">" + RunReport.escape(line.get(0)) + "</a>" : text)
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</table>\n</body></html>\n").toString();
    }
}
