package wgan.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * One setting of a training run, declared once in {@link Settings}: its name (the flag without
 * its dashes, and its key in config.json and preset files), the values it takes, its default and
 * its help. The flags, {@code --help}, config.json, the presets, validation and the docs' table
 * are all made from these declarations.
 *
 * @param <T> the type of its values
 */
public final class Setting<T> {
    private final String name;
    private final String label;
    private final String help;
    private final Kind<T> kind;
    private final T defaultValue;
    /** The setting this one's default follows (the model for the latent size), or null. */
    private final Derivation<?, T> derivation;

    private Setting(String name, String label, String help, Kind<T> kind, T defaultValue, Derivation<?, T> derivation) {
        this.name = name;
        this.label = label;
        this.help = help;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.derivation = derivation;
    }

    /** "n-critic": the flag {@code --n-critic} and the key {@code "n-critic"}. */
    public String name() {
        return name;
    }

    /** What the flag's value is called in {@code --help} ("N", "RATE"); null for a switch, which takes none. */
    public String label() {
        return label;
    }

    /** One sentence on what it does, without its range or default. */
    public String help() {
        return help;
    }

    /** The values it takes, as a phrase: "1-1000", "in (0, 10]", "rmsprop, adam". */
    public String allowed() {
        return kind.allowed();
    }

    public T defaultValue() {
        return defaultValue;
    }

    public boolean isSwitch() {
        return label == null;
    }

    /** A value as the flag and config.json spell it: "5e-5", "all-clip", "all". */
    public String show(Object value) {
        return kind.show(cast(value));
    }

    /** The value a flag's text names, checked against the allowed values. */
    public T parse(String text) throws InvalidSettingException {
        T value;
        try {
            value = kind.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(this, "must be " + allowed() + ", got '" + text + "'");
        }
        return check(value);
    }

    /** The value a JSON element holds (config.json, preset files), checked against the allowed values. */
    public T fromJson(JsonElement json) throws InvalidSettingException {
        T value;
        try {
            value = kind.fromJson(json);
        } catch (RuntimeException e) {
            boolean text = json.isJsonPrimitive() && json.getAsJsonPrimitive().isString();
            throw new InvalidSettingException(this, "must be " + allowed() + ", got " + (text ? "'" + json.getAsString() + "'" : json));
        }
        return check(value);
    }

    public JsonElement toJson(Object value) {
        return kind.toJson(cast(value));
    }

    /** {@code value} if it is allowed; otherwise an error naming this setting, the value and what is allowed. */
    public T check(Object value) throws InvalidSettingException {
        T v = cast(value);
        if (v == null || !kind.allows(v)) {
            throw new InvalidSettingException(this, "must be " + allowed() + ", got " + (v == null ? "nothing" : kind.show(v)));
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }

    Derivation<?, T> derivation() {
        return derivation;
    }

    /**
     * A copy whose value follows {@code source} (the latent size follows the model): whenever
     * {@code source} is set in a later layer than this setting (see {@link Settings#resolve}), or
     * this one is never set, {@code rule} gives its value; an empty result leaves it as it is.
     */
    <S> Setting<T> follows(Setting<S> source, Function<S, Optional<T>> rule) {
        return new Setting<>(name, label, help, kind, defaultValue, new Derivation<>(source, rule));
    }

    /** How one setting's value follows another's. */
    record Derivation<S, T>(Setting<S> source, Function<S, Optional<T>> rule) {
        Optional<T> apply(Object sourceValue) {
            return rule.apply(source.cast(sourceValue));
        }
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- the kinds of values ----

    /** A whole number from {@code min} to {@code max}. */
    static Setting<Integer> integer(String name, String label, int min, int max, int defaultValue, String help) {
        return new Setting<>(name, label, help, new IntKind(min, max), defaultValue, null);
    }

    /** A whole number from {@code min} to {@code max}, or {@code word} for none (empty). */
    static Setting<OptionalInt> optionalInteger(String name, String label, int min, int max, String word, OptionalInt defaultValue,
                                                String help) {
        return new Setting<>(name, label, help, new OptionalIntKind(new IntKind(min, max), word), defaultValue, null);
    }

    /** Any 64-bit whole number. */
    static Setting<Long> longInteger(String name, String label, long defaultValue, String help) {
        return new Setting<>(name, label, help, new LongKind(), defaultValue, null);
    }

    /** A finite number in the interval {@code range}. */
    static Setting<Double> real(String name, String label, Interval range, double defaultValue, String help) {
        return new Setting<>(name, label, help, new RealKind(range), defaultValue, null);
    }

    /** One of an enum's constants, by its {@link Ids id}. */
    static <E extends Enum<E>> Setting<E> choice(String name, String label, Class<E> type, E defaultValue, String help) {
        return new Setting<>(name, label, help, new EnumKind<>(type), defaultValue, null);
    }

    /** On or off; the flag alone turns it on. */
    static Setting<Boolean> onOff(String name, boolean defaultValue, String help) {
        return new Setting<>(name, null, help, new BooleanKind(), defaultValue, null);
    }

    /** A path, or none. */
    static Setting<Optional<Path>> path(String name, String label, String help) {
        return new Setting<>(name, label, help, new PathKind(), Optional.empty(), null);
    }

    /** An interval of real numbers, each end open or closed; infinite ends are open. */
    record Interval(double min, boolean minClosed, double max, boolean maxClosed) {
        boolean contains(double x) {
            return Double.isFinite(x) && (minClosed ? x >= min : x > min) && (maxClosed ? x <= max : x < max);
        }

        @Override
        public String toString() {
            if (Double.isInfinite(max)) return (minClosed ? ">= " : "> ") + showReal(min);
            return "in " + (minClosed ? "[" : "(") + showReal(min) + ", " + showReal(max) + (maxClosed ? "]" : ")");
        }
    }

    /** How one kind of value is read, written, shown and checked. */
    private interface Kind<T> {
        T parse(String text);

        T fromJson(JsonElement json);

        JsonElement toJson(T value);

        String show(T value);

        String allowed();

        boolean allows(T value);
    }

    /** A JSON number that is a whole number (1e2 and 100.0 are); anything else is an error. */
    private static BigDecimal wholeNumber(JsonElement json) {
        BigDecimal d = json.getAsJsonPrimitive().isNumber() ? json.getAsBigDecimal() : null;
        if (d == null || d.stripTrailingZeros().scale() > 0) throw new IllegalArgumentException("not a whole number");
        return d;
    }

    private record IntKind(int min, int max) implements Kind<Integer> {
        public Integer parse(String text) {
            return Integer.parseInt(text);
        }

        public Integer fromJson(JsonElement json) {
            return wholeNumber(json).intValueExact();
        }

        public JsonElement toJson(Integer value) {
            return new JsonPrimitive(value);
        }

        public String show(Integer value) {
            return value.toString();
        }

        public String allowed() {
            return min + "-" + max;
        }

        public boolean allows(Integer value) {
            return value >= min && value <= max;
        }
    }

    private record OptionalIntKind(IntKind whole, String word) implements Kind<OptionalInt> {
        public OptionalInt parse(String text) {
            return text.equalsIgnoreCase(word) ? OptionalInt.empty() : OptionalInt.of(whole.parse(text));
        }

        public OptionalInt fromJson(JsonElement json) {
            if (json.isJsonNull() || json.getAsJsonPrimitive().isString() && json.getAsString().equals(word)) return OptionalInt.empty();
            return OptionalInt.of(whole.fromJson(json));
        }

        public JsonElement toJson(OptionalInt value) {
            return value.isPresent() ? new JsonPrimitive(value.getAsInt()) : new JsonPrimitive(word);
        }

        public String show(OptionalInt value) {
            return value.isPresent() ? Integer.toString(value.getAsInt()) : word;
        }

        public String allowed() {
            return whole.allowed() + " or " + word;
        }

        public boolean allows(OptionalInt value) {
            return value.isEmpty() || whole.allows(value.getAsInt());
        }
    }

    private record LongKind() implements Kind<Long> {
        public Long parse(String text) {
            return Long.parseLong(text);
        }

        public Long fromJson(JsonElement json) {
            return wholeNumber(json).longValueExact();
        }

        public JsonElement toJson(Long value) {
            return new JsonPrimitive(value);
        }

        public String show(Long value) {
            return value.toString();
        }

        public String allowed() {
            return "a whole number";
        }

        public boolean allows(Long value) {
            return true;
        }
    }

    private record RealKind(Interval range) implements Kind<Double> {
        public Double parse(String text) {
            return Double.parseDouble(text);
        }

        /** A number; also NaN and Infinity, which JSON spells as bare words, so that the range check words them. */
        public Double fromJson(JsonElement json) {
            return json.getAsJsonPrimitive().getAsDouble();
        }

        public JsonElement toJson(Double value) {
            return new JsonPrimitive(value);
        }

        public String show(Double value) {
            return showReal(value);
        }

        public String allowed() {
            return range.toString();
        }

        public boolean allows(Double value) {
            return range.contains(value);
        }
    }

    /** 5e-5, 0.01, 10: the shortest form that reads back as the same double. */
    static String showReal(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e6) return Long.toString((long) x);
        return Double.toString(x).replace(".0E", "e").replace('E', 'e');
    }

    private record EnumKind<E extends Enum<E>>(Class<E> type) implements Kind<E> {
        public E parse(String text) {
            return Ids.parse(type, text);
        }

        public E fromJson(JsonElement json) {
            if (!json.getAsJsonPrimitive().isString()) throw new IllegalArgumentException("not a name");
            return Ids.parse(type, json.getAsString());
        }

        public JsonElement toJson(E value) {
            return new JsonPrimitive(Ids.id(value));
        }

        public String show(E value) {
            return Ids.id(value);
        }

        public String allowed() {
            return "one of " + Ids.choices(type);
        }

        public boolean allows(E value) {
            return true;
        }
    }

    private record BooleanKind() implements Kind<Boolean> {
        public Boolean parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("not true or false");
            };
        }

        public Boolean fromJson(JsonElement json) {
            if (!json.getAsJsonPrimitive().isBoolean()) throw new IllegalArgumentException("not true or false");
            return json.getAsBoolean();
        }

        public JsonElement toJson(Boolean value) {
            return new JsonPrimitive(value);
        }

        public String show(Boolean value) {
            return value.toString();
        }

        public String allowed() {
            return "true or false";
        }

        public boolean allows(Boolean value) {
            return true;
        }
    }

    private record PathKind() implements Kind<Optional<Path>> {
        public Optional<Path> parse(String text) {
            try {
                return Optional.of(Path.of(text));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        public Optional<Path> fromJson(JsonElement json) {
            if (json.isJsonNull()) return Optional.empty();
            if (!json.getAsJsonPrimitive().isString()) throw new IllegalArgumentException("not a path");
            return parse(json.getAsString());
        }

        public JsonElement toJson(Optional<Path> value) {
            return value.<JsonElement>map(p -> new JsonPrimitive(p.toString())).orElse(JsonNull.INSTANCE);
        }

        public String show(Optional<Path> value) {
            return value.map(Path::toString).orElse("none");
        }

        public String allowed() {
            return "a folder";
        }

        public boolean allows(Optional<Path> value) {
            return true;
        }
    }
}
