package wgan.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import wgan.io.AtomicFiles;
import wgan.io.FileFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A sweep: a base configuration and the settings to vary, read from a file in {@code --config}'s
 * format with one more key, {@code "sweep"}, an object that gives each setting to vary a list of
 * values. Each combination of values is one ordinary run ({@link TrainingRun#startOrResume}) in a
 * folder of its own in the sweep's folder, named by its number and values; the first setting
 * listed varies slowest.
 */
public final class Sweep {
    /** The key of the settings to vary. */
    public static final String KEY = "sweep";
    /** The copy of the sweep file in the sweep's folder, which a later sweep into the same folder must match. */
    public static final String COPY = "sweep.json";
    /** More runs than this is taken for a mistake in the file. */
    static final int MAX_RUNS = 10_000;
    private static final String EXAMPLE = "\"" + KEY + "\": {\"seed\": [1, 2], \"clip\": [0.01, 0.02]}";

    /** One setting to vary and its values. */
    public record Axis(Setting<?> setting, List<Object> values) {}

    /** One run of the sweep: its folder's name, the value of each varied setting as the flags spell it, and its configuration. */
    public record Run(String name, Map<String, String> values, TrainConfig config) {}

    private final Path file;
    private final JsonElement json;
    private final List<Axis> axes;
    private final List<Run> runs;

    private Sweep(Path file, JsonElement json, List<Axis> axes, List<Run> runs) {
        this.file = file;
        this.json = json;
        this.axes = axes;
        this.runs = runs;
    }

    /** Reads and checks a sweep file: every run's configuration is checked as a config file's is; errors name the file. */
    public static Sweep read(Path file) throws IOException {
        JsonElement json;
        try {
            json = JsonParser.parseString(Settings.readText(file));
        } catch (JsonParseException e) {
            throw FileFormatException.notJson(file, e);
        }
        if (!json.isJsonObject()) throw new FileFormatException(file, "is not a JSON object of settings");
        JsonObject base = json.getAsJsonObject().deepCopy();
        JsonElement varied = base.remove(KEY);
        if (varied == null || !varied.isJsonObject() || varied.getAsJsonObject().isEmpty()) {
            throw new FileFormatException(file, "has no \"" + KEY + "\" object naming the settings to vary, each with a list of values, e.g. " + EXAMPLE);
        }
        Settings.Layer baseLayer = Settings.readJson(base.toString(), file);
        List<Axis> axes = new ArrayList<>();
        long count = 1;
        for (Map.Entry<String, JsonElement> e : varied.getAsJsonObject().entrySet()) {
            Axis axis = axis(file, e.getKey(), e.getValue());
            axes.add(axis);
            count *= axis.values().size();
            if (count > MAX_RUNS) throw new FileFormatException(file, "\"" + KEY + "\" makes over " + MAX_RUNS + " runs");
        }
        return new Sweep(file, json, axes, expand(file, baseLayer, axes, (int) count));
    }

    private static Axis axis(Path file, String name, JsonElement values) throws FileFormatException {
        Setting<?> setting = Settings.named(name).orElseThrow(() -> new FileFormatException(file, "\"" + KEY + "\" names \"" + name
                + "\", which is not a setting; the settings are " + Settings.ALL.stream().map(Setting::name).collect(Collectors.joining(", "))));
        if (!values.isJsonArray() || values.getAsJsonArray().isEmpty()) {
            throw new FileFormatException(file, "\"" + KEY + "\": \"" + name + "\" must be a list of one or more values, got " + values);
        }
        List<Object> checked = new ArrayList<>();
        JsonArray array = values.getAsJsonArray();
        for (JsonElement v : array) {
            Object value;
            try {
                value = setting.fromJson(v);
            } catch (InvalidSettingException e) {
                throw new FileFormatException(file, "\"" + KEY + "\": " + e.getMessage(), e);
            }
            if (checked.contains(value)) {
                throw new FileFormatException(file, "\"" + KEY + "\": \"" + name + "\" lists " + setting.show(value) + " twice");
            }
            checked.add(value);
        }
        return new Axis(setting, List.copyOf(checked));
    }

    /** Every combination of the axes' values over the base, the last axis varying fastest. */
    private static List<Run> expand(Path file, Settings.Layer base, List<Axis> axes, int count) throws FileFormatException {
        List<Run> runs = new ArrayList<>(count);
        int digits = String.valueOf(count).length();
        for (int index = 0; index < count; index++) {
            Settings.Layer layer = new Settings.Layer();
            Map<String, String> values = new LinkedHashMap<>();
            StringBuilder name = new StringBuilder(String.format("%0" + digits + "d", index + 1));
            int rest = index;
            int[] picks = new int[axes.size()];
            for (int a = axes.size() - 1; a >= 0; a--) {
                picks[a] = rest % axes.get(a).values().size();
                rest /= axes.get(a).values().size();
            }
            for (int a = 0; a < axes.size(); a++) {
                Setting<?> s = axes.get(a).setting();
                Object value = axes.get(a).values().get(picks[a]);
                layer.put(s, value);
                values.put(s.name(), s.show(value));
                name.append(a == 0 ? "-" : "_").append(s.name()).append('-').append(s.show(value));
            }
            String folder = name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
            try {
                runs.add(new Run(folder, values, Settings.resolve(List.of(base, layer))));
            } catch (InvalidSettingException e) {
                throw new FileFormatException(file, "run " + folder + ": " + e.getMessage(), e);
            }
        }
        return runs;
    }

    public Path file() {
        return file;
    }

    public List<Axis> axes() {
        return axes;
    }

    public List<Run> runs() {
        return runs;
    }

    /** The run of this name, or an error that lists the names there are. */
    public Run run(String name) {
        return runs.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "the sweep in " + file + " has no run " + name + "; its runs are " + runs.stream().map(Run::name).collect(Collectors.joining(", "))));
    }

    /**
     * The sweep's folder, {@code sweep-NAME} under {@code out} (NAME: the file's name without
     * {@code .json}), made with a copy of the sweep file the first time. A folder that holds another
     * sweep's copy is refused, so that a sweep run again into its folder resumes its own runs only.
     */
    public Path prepare(Path out) throws IOException {
        String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
        Path folder = out.resolve("sweep-" + stem);
        Path copy = folder.resolve(COPY);
        Optional<JsonElement> earlier = Files.isRegularFile(copy) ? Optional.of(readCopy(copy)) : Optional.empty();
        if (earlier.isPresent() && !earlier.get().equals(json)) {
            throw new IOException(folder + " holds the runs of another sweep (its " + COPY + " differs from " + file
                    + "): give another --out, or rename the sweep file");
        }
        if (earlier.isEmpty()) {
            Files.createDirectories(folder);
            AtomicFiles.write(copy, Files.readAllBytes(file));
        }
        return folder;
    }

    private static JsonElement readCopy(Path copy) throws IOException {
        try {
            return JsonParser.parseString(Files.readString(copy, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw FileFormatException.notJson(copy, e);
        }
    }
}
