package wgan.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import wgan.io.AtomicFiles;

/**
 * {@code report.html}: one self-contained page on a run, built from the files of its folder alone
 * (config.json, log.csv, metrics.csv, the plots and sample grids, checkpoints/best), so that it
 * can be written during a run, at its end, or anew for an old run. Images are inlined as data:
 * URIs and there is no script: it opens offline, from anywhere it is copied to.
 */
public final class RunReport {
    public static final String FILE = "report.html";
    /** Most sample grids shown: evenly spaced over the run, the newest always among them, so that a long run's page stays a few MB. */
    static final int MOST_GRIDS = 16;
    private static final String FIRST_SECTION = "commands";
    private static final Pattern GRID_NAME = Pattern.compile("samples_(epoch|iter)_(\\d+)\\.png");
    static final String STYLE = "body{font-family:sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}"
            + "h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.5em}"
            + "table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}"
            + "th{background:#f4f4f4}img{max-width:100%}.plots{display:flex;gap:8px}.plots>*{width:50%}pre{background:#f4f4f4;padding:.6em;overflow-x:auto}"
            + ".grids{display:flex;flex-wrap:wrap;gap:8px}.grids figure{margin:0;text-align:center;font-size:.85em}"
            + ".grids img{width:200px;image-rendering:pixelated}";

    private RunReport() {}

    /** Writes {@code dir}/report.html anew, atomically; the folder must be a run's (it has config.json). */
    public static Path write(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        AtomicFiles.write(file, html(dir).getBytes(StandardCharsets.UTF_8));
        return file;
    }

    static String html(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) throw new IOException(dir + " is not a wgan run folder: it has no config.json");
        // Checked first: a damaged config.json gets readConfig's message naming the file.
        TrainingRun.RunConfig run = TrainingRun.readConfig(configFile);
        JsonObject json = JsonParser.parseString(Files.readString(configFile, StandardCharsets.UTF_8)).getAsJsonObject();
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>wgan run ")
                .append(escape(name)).append("</title><style>").append(STYLE).append("</style></head><body>\n");
        h.append("<h1>wgan run ").append(escape(name)).append("</h1>\n<p>").append(escape(run.config().dataTitle()))
                .append(", ").append(run.config().iterations()).append(" iterations. Written from the run folder's files;"
                        + " <code>java -jar wgan.jar report &lt;run&gt;</code> writes it anew.</p>\n");
        List<LossLog.Row> rows = lossRows(dir.resolve("log.csv"));
        List<String[]> metricsFile = metricRows(dir.resolve(RunMetrics.FILE));
        String[] metricsHeader = metricsFile.isEmpty() ? RunMetrics.HEADER.split(",") : metricsFile.get(0);
        List<String[]> metrics = metricsFile.isEmpty() ? List.of() : metricsFile.subList(1, metricsFile.size());

        section(h, FIRST_SECTION, "Commands");
        String quoted = shellQuoted(dir.toString());
        Path bestDir = dir.resolve("checkpoints").resolve(RunMetrics.BEST);
        boolean hasBest = Files.isDirectory(bestDir);
        String best = shellQuoted(bestDir.toString());
        h.append("<pre>").append(escape("java -jar wgan.jar --resume " + quoted + "   # continue (or extend with --iterations N)\n"
                + "java -jar wgan.jar generate --checkpoint " + (hasBest ? best : quoted) + " --count 100 --out grid.png\n"
                + "java -jar wgan.jar evaluate " + quoted + "   # every checkpoint, a table")).append("</pre>\n");

        section(h, "progress", "Losses and quality");
        h.append("<p>Last iteration logged: ").append(rows.isEmpty() ? "none yet" : rows.get(rows.size() - 1).iteration())
                .append(" of ").append(run.config().iterations()).append(".</p>\n");
        h.append("<div class=\"plots\">\n");
        image(h, dir.resolve("losses.png"), "losses");
        image(h, dir.resolve(RunMetrics.PLOT), "quality metrics");
        h.append("</div>\n");

        section(h, "samples", "Samples over time");
        grids(h, dir, run.images().isPresent() ? run.config().batchesPerEpoch(run.images().getAsInt()) : 0);

        section(h, "best", "Best checkpoint");
        boolean randomFeatures = metricsHeader.length > 1 && metricsHeader[1].equals(RunMetrics.RANDOM_FEATURE_HEADER.split(",")[1]);
        h.append("<p>").append(escape(bestText(bestDir, metrics, randomFeatures ? "random-feature Fréchet distance" : "Fréchet distance")))
                .append("</p>\n");
        if (randomFeatures) {
            h.append("<p>").append(escape("rfd and rkid are the Fréchet distance and KID in a fixed random-feature space against the"
                    + " run's training images: comparable between wgan runs on the same folder, not with published FIDs"
                    + " (docs/quality.md).")).append("</p>\n");
        }
        if (!metrics.isEmpty()) table(h, metricsHeader, metrics);

        section(h, "warnings", "Warnings");
        warnings(h, metrics);

        section(h, "timings", "Timings");
        h.append("<p>").append(escape(timings(rows))).append("</p>\n");

        section(h, "configuration", "Configuration");
        table(h, json.get("config"));
        section(h, "environment", "Environment");
        table(h, json.get("run"));
        h.append("</section>\n</body></html>\n");
        return h.toString();
    }

    /** Opens a section, closing the one before it (the first is preceded by the page's heading). */
    private static void section(StringBuilder h, String id, String title) {
        if (!id.equals(FIRST_SECTION)) h.append("</section>\n");
        h.append("<section id=\"").append(id).append("\"><h2>").append(escape(title)).append("</h2>\n");
    }

    /** The PNG inlined, or a line saying it is not there yet (a run before its first sample step). */
    private static void image(StringBuilder h, Path png, String what) throws IOException {
        if (!Files.isRegularFile(png)) {
            h.append("<div>No ").append(escape(png.getFileName().toString())).append(" yet.</div>\n");
            return;
        }
        h.append("<img alt=\"").append(escape(what)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\">\n");
    }

    /** Which checkpoint checkpoints/best is, from its state.json, and its distance (named {@code distance}) from metrics.csv. */
    private static String bestText(Path best, List<String[]> metrics, String distance) {
        if (metrics.isEmpty()) return "No quality measurements (none yet, or none could be made: the run's output says why).";
        Path state = best.resolve("state.json");
        if (!Files.isRegularFile(state)) return "No checkpoints/best yet: no measurement has fallen on a checkpoint.";
        int iteration;
        try {
            iteration = Checkpoint.readState(state, Files.readAllBytes(state)).iteration();
        } catch (IOException e) {
            return "checkpoints/best cannot be read: " + e.getMessage();
        }
        String at = Integer.toString(iteration);
        String fd = metrics.stream().filter(r -> r[0].equals(at)).map(r -> r[1]).findFirst().orElse("not in metrics.csv");
        return "checkpoints/best is the checkpoint of iteration " + at + ", " + distance + " " + fd
                + ": the lowest measured at a checkpoint (the table below has every measurement).";
    }

    /** Each warning code of metrics.csv, what it means, and the iterations it was raised at. */
    private static void warnings(StringBuilder h, List<String[]> metrics) {
        Map<String, List<String>> raised = new LinkedHashMap<>();
        int column = RunMetrics.HEADER.split(",").length - 1;
        for (String[] r : metrics) {
            if (r.length <= column || r[column].isEmpty()) continue;
            for (String code : r[column].split(";")) raised.computeIfAbsent(code, c -> new ArrayList<>()).add(r[0]);
        }
        if (raised.isEmpty()) {
            h.append("<p>None raised").append(metrics.isEmpty() ? " (no measurements yet)" : "").append(".</p>\n");
            return;
        }
        List<String[]> table = new ArrayList<>();
        raised.forEach((code, at) -> table.add(new String[] {code, RunMetrics.MEANINGS.getOrDefault(code, ""), String.join(", ", at)}));
        table(h, new String[] {"warning", "what it means", "iterations"}, table);
    }

    /** The sample grids, named by epoch or iteration, in the order of their iteration, at most {@link #MOST_GRIDS}. */
    private static void grids(StringBuilder h, Path dir, int batchesPerEpoch) throws IOException {
        record Grid(Path file, long iteration, String label) {}
        List<Grid> all;
        try (Stream<Path> files = Files.list(dir)) {
            all = files.map(f -> {
                Matcher m = GRID_NAME.matcher(f.getFileName().toString());
                if (!m.matches()) return null;
                long n = Long.parseLong(m.group(2));
                boolean epoch = m.group(1).equals("epoch");
                long iteration = epoch ? n * batchesPerEpoch : n;
                String label = epoch ? "epoch " + n + (batchesPerEpoch > 0 ? " (iteration " + iteration + ")" : "") : "iteration " + n;
                return new Grid(f, iteration, label);
            }).filter(g -> g != null).sorted((a, b) -> Long.compare(a.iteration(), b.iteration())).toList();
        }
        if (all.isEmpty()) {
            h.append("<p>No sample grids yet.</p>\n");
            return;
        }
        List<Grid> shown = all.size() <= MOST_GRIDS ? all
                : java.util.stream.IntStream.range(0, MOST_GRIDS).mapToObj(k -> all.get((int) Math.round(k * (all.size() - 1.0) / (MOST_GRIDS - 1)))).toList();
        h.append("<p>").append(shown.size()).append(" of ").append(all.size()).append(" grids, the same latent points in each, newest last.</p>\n");
        h.append("<div class=\"grids\">\n");
        for (Grid g : shown) {
            h.append("<figure><img alt=\"").append(escape(g.label())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Files.readAllBytes(g.file()))).append("\"><figcaption>")
                    .append(escape(g.label())).append("</figcaption></figure>\n");
        }
        h.append("</div>\n");
    }

    static String timings(List<LossLog.Row> rows) {
        if (rows.isEmpty()) return "No iterations logged yet.";
        double[] s = rows.stream().mapToDouble(LossLog.Row::seconds).sorted().toArray();
        double total = Arrays.stream(s).sum();
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return String.format(Locale.ROOT, "%d iterations in log.csv took %.1f s of training in all (%.1f min), median %.1f ms per"
                + " iteration; sample grids, checkpoints and metrics come on top.", s.length, total, total / 60, 1000 * median);
    }

    /** A table of a JSON object's members, nested objects flattened as "a.b". */
    private static void table(StringBuilder h, JsonElement object) {
        List<String[]> rows = new ArrayList<>();
        if (object != null && object.isJsonObject()) flatten("", object.getAsJsonObject(), rows);
        table(h, new String[] {"setting", "value"}, rows);
    }

    private static void flatten(String prefix, JsonObject object, List<String[]> rows) {
        for (Map.Entry<String, JsonElement> e : object.entrySet()) {
            JsonElement v = e.getValue();
            if (v.isJsonObject()) flatten(prefix + e.getKey() + ".", v.getAsJsonObject(), rows);
            else rows.add(new String[] {prefix + e.getKey(), v.isJsonPrimitive() ? v.getAsString() : v.toString()});
        }
    }

    private static void table(StringBuilder h, String[] header, List<String[]> rows) {
        h.append("<table><tr>");
        for (String c : header) h.append("<th>").append(escape(c)).append("</th>");
        h.append("</tr>\n");
        for (String[] r : rows) {
            h.append("<tr>");
            for (String c : r) h.append("<td>").append(escape(c)).append("</td>");
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    static List<LossLog.Row> lossRows(Path log) throws IOException {
        if (!Files.isRegularFile(log)) return List.of();
        List<LossLog.Row> rows = new ArrayList<>();
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            // A row being appended may be cut short: the report skips what it cannot read.
            lines.skip(1).forEach(line -> {
                try {
                    rows.add(LossLog.Row.parse(line));
                } catch (RuntimeException e) {
                    // not a whole row
                }
            });
        }
        return rows;
    }

    /** metrics.csv's header, then its rows, each split at commas; empty where there is none. */
    static List<String[]> metricRows(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return List.of();
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
    }

    /** Text for HTML element content and attribute values. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A path as one word for a POSIX shell: as it is when it has only safe characters, else in single quotes. */
    static String shellQuoted(String path) {
        return path.matches("[A-Za-z0-9_./:+=@%,-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }
}
