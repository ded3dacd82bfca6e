package wgan.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import wgan.io.FileFormatException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian int32 magic (2051 for
 * images, 2049 for labels), int32 dimensions, then unsigned bytes. Files may be gzip-compressed or
 * not; gzip is recognised by its first bytes (1f 8b), not by the file name, so a renamed or
 * already-unpacked file still reads.
 *
 * <p>The byte count must match the header exactly: a truncated download, or a file with data after
 * the last image, is an error rather than silently fewer or misaligned images. Every error names the
 * file and the problem and ends with {@code help}, which says where the file should come from.
 */
public final class Idx {

    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;

    /** Images as stored: {@code count} images of {@code rows x cols} bytes, row by row. {@code sha256} is that of the uncompressed file. */
    public record Images(int count, int rows, int cols, byte[] pixels, String sha256) {}

    /** Labels as stored, one byte each. {@code sha256} is that of the uncompressed file. */
    public record Labels(byte[] labels, String sha256) {}

    private Idx() {}

    public static Images readImages(Path file, String help) throws IOException {
        try (Reader r = new Reader(file, help)) {
            r.expectMagic(IMAGES_MAGIC, "an IDX image file");
            int count = r.dimension("image count");
            int rows = r.dimension("row count");
            int cols = r.dimension("column count");
            long size = (long) count * rows * cols;
            if (size > Integer.MAX_VALUE - 8) throw r.error(count + " images of " + rows + "x" + cols + " are too many to load");
            byte[] pixels = r.body((int) size, count + " images of " + rows + "x" + cols);
            return new Images(count, rows, cols, pixels, r.sha256());
        }
    }

    public static Labels readLabels(Path file, String help) throws IOException {
        try (Reader r = new Reader(file, help)) {
            r.expectMagic(LABELS_MAGIC, "an IDX label file");
            int count = r.dimension("label count");
            byte[] labels = r.body(count, count + " labels");
            return new Labels(labels, r.sha256());
        }
    }

    /** Reads the uncompressed stream of one file, hashing what it reads. */
    private static final class Reader implements AutoCloseable {
        private final Path file;
        private final String help;
        private final MessageDigest digest;
        private final DataInputStream in;
        private final boolean gzip;

        Reader(Path file, String help) throws IOException {
            this.file = file;
            this.help = help;
            InputStream raw;
            try {
                raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            } catch (NoSuchFileException e) {
                throw new FileFormatException(file, "file not found. " + help, e);
            }
            InputStream stream = raw;
            try {
                stream.mark(2);
                gzip = stream.read() == 0x1f && stream.read() == 0x8b;
                stream.reset();
                if (gzip) stream = new GZIPInputStream(stream, 1 << 16);
            } catch (ZipException | EOFException e) {
                raw.close();
                throw error("gzip header is damaged or truncated (" + e.getMessage() + ")", e);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
            this.digest = Sha256.newDigest();
            this.in = new DataInputStream(new DigestInputStream(stream, digest));
        }

        FileFormatException error(String problem) {
            return error(problem, null);
        }

        FileFormatException error(String problem, Throwable cause) {
            return new FileFormatException(file, problem + ". " + help, cause);
        }

        void expectMagic(int magic, String what) throws IOException {
            int found = readInt("magic number");
            if (found != magic) {
                throw error(String.format("not %s: magic number is 0x%08x, expected 0x%08x (%d)%s", what, found, magic, magic,
                        found == (magic == IMAGES_MAGIC ? LABELS_MAGIC : IMAGES_MAGIC)
                                ? " -- it is the " + (magic == IMAGES_MAGIC ? "labels" : "images") + " file; are two files swapped?"
                                : ""));
            }
        }

        int dimension(String what) throws IOException {
            int d = readInt(what);
            if (d < 0) throw error(what + " in the header is negative (" + Integer.toUnsignedString(d) + " read as unsigned)");
            return d;
        }

        private int readInt(String what) throws IOException {
            try {
                return in.readInt();
            } catch (EOFException e) {
                throw error("truncated: the file ends inside the header, reading the " + what + (gzip ? " (the gzip data ends early)" : ""), e);
            } catch (ZipException e) {
                throw error("gzip data is damaged (" + e.getMessage() + ")", e);
            }
        }

        /** Reads exactly {@code size} bytes and checks that nothing follows them. */
        byte[] body(int size, String what) throws IOException {
            try {
                // readNBytes grows its buffer as data arrives, so a header claiming billions of
                // bytes in a short file fails as truncated instead of allocating them first.
                byte[] data = in.readNBytes(size);
                if (data.length < size) {
                    throw error("truncated: the header announces " + what + " (" + size + " bytes after the header) but only "
                            + data.length + " follow" + (gzip ? " once uncompressed" : ""));
                }
                long extra = in.transferTo(OutputStream.nullOutputStream());
                if (extra > 0) throw error("has " + extra + " bytes of data after the " + what + " its header announces");
                return data;
            } catch (EOFException | ZipException e) {
                throw error((gzip ? "gzip data is damaged or truncated" : "unreadable") + " (" + e.getMessage() + ")", e);
            }
        }

        String sha256() {
            return Sha256.hex(digest);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
