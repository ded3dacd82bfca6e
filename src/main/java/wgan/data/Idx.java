package wgan.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Locale;
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
 *
 * <p>What a header may declare is bounded ({@link #MAX_SIDE}, {@link #MAX_BODY_BYTES}) and checked
 * before any data is read, so a small gzip file that unpacks to gigabytes (a gzip bomb) is rejected
 * at once; the data itself is read into a buffer that grows as it arrives, never allocated from
 * the header alone.
 */
public final class Idx {

    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;

    /** The largest row or column count an image file may declare (MNIST's are 28). */
    public static final int MAX_SIDE = 4096;

    /**
     * The most data bytes (images x rows x cols, or labels) a file may declare: 1 GiB, 22 times
     * MNIST's 47 MB of training images. Loaded images take 4 bytes per pixel as floats.
     */
    public static final long MAX_BODY_BYTES = 1L << 30;

    /** Images as stored: {@code count} images of {@code rows x cols} bytes, row by row. {@code sha256} is that of the uncompressed file. */
    public record Images(int count, int rows, int cols, byte[] pixels, String sha256) {}

    /** Labels as stored, one byte each. {@code sha256} is that of the uncompressed file. */
    public record Labels(byte[] labels, String sha256) {}

    /** How many bytes after the data an error message counts. */
    private static final int EXTRA_COUNTED = 1 << 20;

    private Idx() {}

    public static Images readImages(Path file, String help) throws IOException {
        return readImages(file, open(file, help), help);
    }

    /** Reads {@code content} as {@link #readImages(Path, String)} reads a file, naming it {@code file}; closes it. */
    static Images readImages(Path file, InputStream content, String help) throws IOException {
        try (Reader r = new Reader(file, content, help)) {
            r.expectMagic(IMAGES_MAGIC, "an IDX image file");
            int count = r.count("image count");
            int rows = r.side("row count");
            int cols = r.side("column count");
            String what = count + " images of " + rows + "x" + cols;
            // Cannot overflow: rows and cols are at most MAX_SIDE.
            byte[] pixels = r.body(r.bodySize((long) count * rows * cols, what), what);
            return new Images(count, rows, cols, pixels, r.sha256());
        }
    }

    public static Labels readLabels(Path file, String help) throws IOException {
        return readLabels(file, open(file, help), help);
    }

    /** Reads {@code content} as {@link #readLabels(Path, String)} reads a file, naming it {@code file}; closes it. */
    static Labels readLabels(Path file, InputStream content, String help) throws IOException {
        try (Reader r = new Reader(file, content, help)) {
            r.expectMagic(LABELS_MAGIC, "an IDX label file");
            int count = r.count("label count");
            String what = count + " labels";
            byte[] labels = r.body(r.bodySize(count, what), what);
            return new Labels(labels, r.sha256());
        }
    }

    private static InputStream open(Path file, String help) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new FileFormatException(file, "file not found. " + help, e);
        }
    }

    /** Reads the uncompressed stream of one file, hashing what it reads. */
    private static final class Reader implements AutoCloseable {
        private final Path file;
        private final String help;
        private final MessageDigest digest;
        private final DataInputStream in;
        private final boolean gzip;

        Reader(Path file, InputStream content, String help) throws IOException {
            this.file = file;
            this.help = help;
            InputStream raw = new BufferedInputStream(content, 1 << 16);
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

        /** A count of images or labels: at least 1, since an empty file is nothing to train on. */
        int count(String what) throws IOException {
            int d = dimension(what);
            if (d == 0) throw error(what + " in the header is 0: the file holds no data");
            return d;
        }

        /** An image side: 1 to {@link #MAX_SIDE}. */
        int side(String what) throws IOException {
            int d = dimension(what);
            if (d == 0 || d > MAX_SIDE) {
                throw error(what + " in the header is " + d + "; images must be 1 to " + MAX_SIDE + " pixels a side");
            }
            return d;
        }

        private int dimension(String what) throws IOException {
            int d = readInt(what);
            if (d < 0) throw error(what + " in the header is negative (" + Integer.toUnsignedString(d) + " read as unsigned)");
            return d;
        }

        /** {@code bytes}, the data size the header declares, if it is within {@link #MAX_BODY_BYTES}. */
        int bodySize(long bytes, String what) throws IOException {
            if (bytes > MAX_BODY_BYTES) {
                throw error(String.format(Locale.ROOT, "the header declares %s (%,d bytes), more than the %,d bytes (1 GiB)"
                        + " an IDX file may hold", what, bytes, MAX_BODY_BYTES));
            }
            return (int) bytes;
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
                // Counted only so far: unpacking all of a bomb's trailing gigabytes would take long.
                byte[] extra = in.readNBytes(EXTRA_COUNTED + 1);
                if (extra.length > 0) {
                    throw error("has " + (extra.length > EXTRA_COUNTED ? "more than " + EXTRA_COUNTED : extra.length)
                            + " bytes of data after the " + what + " its header announces");
                }
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
