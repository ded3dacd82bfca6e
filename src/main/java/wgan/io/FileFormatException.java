package wgan.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be read because its content is not what its format requires; the message names the file and the problem. */
public class FileFormatException extends IOException {
    /** The most characters of a file's own text that a message quotes: a hostile file must not make a message of megabytes. */
    public static final int EXCERPT_CHARS = 100;

    private final transient Path file;

    public FileFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public FileFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * A file the JSON parser (Gson) refused: the first line of its message, without the exception
     * class it names or its advice to parse leniently, which are Gson's, not the user's, business.
     */
    public static FileFormatException notJson(Path file, Exception parserError) {
        String first = String.valueOf(parserError.getMessage()).lines().findFirst().orElse("")
                .replaceFirst("^[\\w.$]+(Exception|Error): ", "")
                .replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON ", "");
        return new FileFormatException(file, "is not valid JSON: " + excerpt(first), parserError);
    }

    /** A part of a file to quote in a message: at most {@link #EXCERPT_CHARS} characters, then "..." if cut. */
    public static String excerpt(CharSequence text) {
        return excerpt(text, EXCERPT_CHARS);
    }

    /**
     * At most {@code maxChars} characters of {@code text}, then "..." if cut; control characters are
     * written as {@code \xNN} so that a message stays one readable line.
     */
    public static String excerpt(CharSequence text, int maxChars) {
        int shown = Math.min(text.length(), maxChars);
        StringBuilder sb = new StringBuilder(shown + 3);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        if (shown < text.length()) sb.append("...");
        return sb.toString();
    }
}
