package wgan.train;

import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The names users type and config.json holds for the settings' enum values: the constant's name
 * in lower case with dashes, {@code GP_ONE_SIDED} as {@code gp-one-sided}.
 */
public final class Ids {
    private Ids() {}

    public static String id(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} named {@code id} (any case); the message lists the valid names. */
    public static <E extends Enum<E>> E parse(Class<E> type, String id) {
        for (E e : type.getEnumConstants()) {
            if (id(e).equals(id.toLowerCase(Locale.ROOT))) return e;
        }
        throw new IllegalArgumentException("'" + id + "' is not one of " + choices(type));
    }

    /** The valid names, e.g. {@code clip, all-clip, gp}. */
    public static String choices(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Ids::id).collect(Collectors.joining(", "));
    }

    /** Makes Gson write and read every enum by its id. */
    static final TypeAdapterFactory GSON_ADAPTER = new TypeAdapterFactory() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public <T> TypeAdapter<T> create(com.google.gson.Gson gson, TypeToken<T> token) {
            Class<? super T> raw = token.getRawType();
            if (!Enum.class.isAssignableFrom(raw) || raw == Enum.class) return null;
            Class<? extends Enum> type = raw.isEnum() ? (Class<? extends Enum>) raw : (Class<? extends Enum>) raw.getSuperclass();
            return (TypeAdapter<T>) new TypeAdapter<Enum>() {
                @Override
                public void write(JsonWriter out, Enum value) throws IOException {
                    if (value == null) out.nullValue();
                    else out.value(id(value));
                }

                @Override
                public Enum read(JsonReader in) throws IOException {
                    if (in.peek() == com.google.gson.stream.JsonToken.NULL) {
                        in.nextNull();
                        return null;
                    }
                    return parse(type, in.nextString());
                }
            };
        }
    };
}
