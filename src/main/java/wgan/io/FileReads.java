package wgan.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Reading the little-endian data of a file whose header has been checked: in bounded chunks, and only what fits in memory. */
final class FileReads {
    /** Bytes read at a time: data goes straight into the caller's array, never through a buffer of its whole size. */
    static final int CHUNK_BYTES = 1 << 16;

    private FileReads() {}

    /** Fills {@code buf} (from 0 to its limit) with the bytes at {@code position}; a file that ends first is a {@link FileFormatException}. */
    static ByteBuffer readFully(FileChannel ch, Path file, long position, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new FileFormatException(file, "ends at byte " + (position + buf.position()) + ", inside data it describes");
            }
        }
        return buf.flip();
    }

    /** A little-endian buffer of {@code length} bytes read from {@code position}. */
    static ByteBuffer readFully(FileChannel ch, Path file, long position, int length) throws IOException {
        return readFully(ch, file, position, ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Reads {@code count} little-endian floats from {@code position} into {@code out[from..]}. */
    static void readFloats(FileChannel ch, Path file, long position, float[] out, int from, int count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, CHUNK_BYTES / Float.BYTES);
            readFully(ch, file, position + (long) done * Float.BYTES, buf.clear().limit(n * Float.BYTES)).asFloatBuffer().get(out, from + done, n);
            done += n;
        }
    }

    /** Reads {@code out.length} little-endian longs from {@code position}. */
    static void readLongs(FileChannel ch, Path file, long position, long[] out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < out.length; ) {
            int n = Math.min(out.length - done, CHUNK_BYTES / Long.BYTES);
            readFully(ch, file, position + (long) done * Long.BYTES, buf.clear().limit(n * Long.BYTES)).asLongBuffer().get(out, done, n);
            done += n;
        }
    }

    /**
     * Refuses, with the figures, to load {@code bytes} of {@code what} from {@code file} when they
     * cannot fit in the heap this JVM has left: a clear message rather than an OutOfMemoryError
     * partway through.
     */
    static void requireHeap(Path file, long bytes, String what) throws FileFormatException {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free) {
            throw new FileFormatException(file, String.format(java.util.Locale.ROOT,
                    "%s need %.1f MB of memory but this JVM has %.1f MB free of its %.1f MB heap (raise it with -Xmx, e.g. WGAN_JAVA_OPTS=-Xmx8g)",
                    what, bytes / 1e6, free / 1e6, rt.maxMemory() / 1e6));
        }
    }
}
