package wgan.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Words I/O errors for users so that each names its file and the problem. Java's own messages
 * do not always: an {@link AccessDeniedException}'s is the bare path, and a stream's
 * "No space left on device" does not say which file it was writing.
 */
public final class FileErrors {
    private FileErrors() {}

    /** The message to show a user for {@code e}: "{@code <file>: <problem>}" where Java gives only one of the two. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String files = f.getOtherFile() == null ? f.getFile() : f.getFile() + " -> " + f.getOtherFile();
            return files + ": " + (f.getReason() != null ? f.getReason() : problem(f));
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static String problem(FileSystemException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or folder";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof NotDirectoryException) return "not a folder";
        if (e instanceof DirectoryNotEmptyException) return "folder not empty";
        return "cannot be used (" + e.getClass().getSimpleName() + ")";
    }

    /** {@code e}, or, if its message does not name a file, the same error as "{@code <file>: <message>}". */
    public static IOException naming(Path file, IOException e) {
        if (e instanceof FileSystemException || e instanceof FileFormatException) return e;
        return new IOException(file + ": " + e.getMessage(), e);
    }

    /** {@code out}, with the errors it throws {@linkplain #naming named} after {@code file}. */
    public static OutputStream naming(Path file, OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                try {
                    out.write(b);
                } catch (IOException e) {
                    throw naming(file, e);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw naming(file, e);
                }
            }

            @Override
            public void flush() throws IOException {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw naming(file, e);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } catch (IOException e) {
                    throw naming(file, e);
                }
            }
        };
    }
}
