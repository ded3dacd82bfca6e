package wgan.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be read because its content is not what its format requires; the message names the file and the problem. */
public class FileFormatException extends IOException {
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
}
