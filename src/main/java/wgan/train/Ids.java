package wgan.train;

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
}
