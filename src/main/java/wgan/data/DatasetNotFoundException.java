package wgan.data;

import java.io.IOException;

/** A dataset's files are not where they were looked for; the message says where that was and how to get them. */
public class DatasetNotFoundException extends IOException {
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
