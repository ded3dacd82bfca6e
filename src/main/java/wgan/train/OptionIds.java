package wgan.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The ids users type for the constants of an option's enum: the constants' names in lower case. */
final class OptionIds {
    private OptionIds() {}

    static String id(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose id is {@code id} (any case); otherwise an error that lists the valid ids. */
    static <E extends Enum<E>> E of(Class<E> type, String option, String id) {
        E[] constants = type.getEnumConstants();
        for (E c : constants) {
            if (id(c).equals(id.toLowerCase(Locale.ROOT))) return c;
        }
        throw new IllegalArgumentException("unknown " + option + " '" + id + "'; valid: "
                + Arrays.stream(constants).map(OptionIds::id).collect(Collectors.joining(", ")));
    }
}
