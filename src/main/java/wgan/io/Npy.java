package wgan.io;

import static wgan.io.FileFormatException.excerpt;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import wgan.tensor.Tensor;

/**
 * float32 arrays in NumPy's {@code .npy} format, so latent vectors and samples pass to and from
 * Python ({@code np.load}, {@code np.save}). Written as format 1.0, little-endian {@code '<f4'},
 * C order; reading also accepts versions 2.0 and 3.0, which differ only in the header length field
 * (and 3.0 in allowing UTF-8, which no header of a float32 array needs).
 *
 * <p>The header is read as strictly as NumPy's own reader ({@code numpy.lib.format}) reads it, and
 * more: a Python dict literal with exactly the keys {@code 'descr'}, {@code 'fortran_order'} and
 * {@code 'shape'}, each once (Python would let a repeated key overwrite the first, so NumPy and a
 * laxer reader could see different arrays), a shape that is a tuple of non-negative integers
 * ({@code (5,)}, not {@code (5)}), then spaces and a final newline. Only spaces separate tokens,
 * as NumPy writes them. The header is not required to end at a multiple of 64 bytes: NumPy writes
 * it so but does not check it, and older versions aligned to 16. The data must be exactly the
 * bytes the shape needs, and is loaded only when it fits in memory; {@link #open} reads it in
 * pieces instead.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy rejects headers longer than this by default; so do we, so a corrupt length cannot allocate much. */
    private static final int MAX_HEADER_BYTES = 10_000;
    /** The most dimensions NumPy (2) allows an array. */
    private static final int MAX_RANK = 64;
    /** The most elements of a Java array. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final String FLOAT32 = "<f4";

    private Npy() {}

    /** Writes the values of an array in order; {@link Writer} checks that they are as many as its shape holds. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Writer out) throws IOException;
    }

    /** Where {@link Content} writes an array's values, in C order, in as many pieces as it likes. */
    public static final class Writer {
        private final OutputStream out;
        private final long count;
        private final ByteBuffer buf = ByteBuffer.allocate(FileReads.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private long written;

        private Writer(OutputStream out, long count) {
            this.out = out;
            this.count = count;
        }

        public void write(float[] values) throws IOException {
            if (written + values.length > count) {
                throw new IllegalStateException((written + values.length) + " values written to an array of " + count);
            }
            for (int from = 0; from < values.length; ) {
                int n = Math.min(values.length - from, buf.capacity() / Float.BYTES);
                buf.clear().asFloatBuffer().put(values, from, n);
                out.write(buf.array(), 0, n * Float.BYTES);
                from += n;
            }
            written += values.length;
        }
    }

    public static void write(Path file, Tensor tensor) throws IOException {
        write(file, tensor.shape(), out -> out.write(tensor.data()));
    }

    /**
     * Writes an array of {@code shape} atomically, its header first and then the values that
     * {@code content} writes, so that an array need never be in memory whole.
     */
    public static void write(Path file, int[] shape, Content content) throws IOException {
        byte[] header = header(shape);
        long count = Tensor.sizeOf(shape);
        AtomicFiles.write(file, out -> {
            out.write(header);
            Writer writer = new Writer(out, count);
            content.writeTo(writer);
            if (writer.written != count) throw new IllegalStateException(writer.written + " values written to an array of " + count);
        });
    }

    private static byte[] header(int[] shape) {
        StringBuilder tuple = new StringBuilder("(");
        for (int d : shape) tuple.append(d).append(", ");
        if (shape.length > 0) tuple.setLength(tuple.length() - (shape.length == 1 ? 1 : 2));
        tuple.append(')');
        String dict = "{'descr': '" + FLOAT32 + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        // NumPy pads the header with spaces and a final newline so the data starts 64-byte aligned.
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        String text = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        return buf.put(text.getBytes(StandardCharsets.US_ASCII)).array();
    }

    /** The whole array, if it fits in memory. */
    public static Tensor read(Path file) throws IOException {
        try (Reader reader = open(file)) {
            FileReads.requireHeap(file, (long) Float.BYTES * reader.count(), "its " + reader.count() + " values");
            float[] values = new float[reader.count()];
            reader.read(values, 0, values.length);
            return Tensor.of(values, reader.shape());
        }
    }

    /** Opens a file and checks its header and length, for reading its values in pieces. */
    public static Reader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new Reader(file, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** An open .npy file whose header and length have been checked: its shape, and its values in order. */
    public static final class Reader implements Closeable {
        private final Path file;
        private final FileChannel ch;
        private final int[] shape;
        private final int count;
        private final long dataStart;
        private int position;

        private Reader(Path file, FileChannel ch) throws IOException {
            this.file = file;
            this.ch = ch;
            long size = ch.size();
            ByteBuffer prefix = FileReads.readFully(ch, file, 0, (int) Math.min(size, MAGIC.length + 2));
            if (prefix.limit() < MAGIC.length || !Arrays.equals(prefix.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new FileFormatException(file, "not a .npy file (it does not start with \\x93NUMPY)");
            }
            if (prefix.limit() < MAGIC.length + 2) throw new FileFormatException(file, "truncated in the .npy header");
            int major = prefix.get(MAGIC.length) & 0xff, minor = prefix.get(MAGIC.length + 1) & 0xff;
            if (major < 1 || major > 3 || minor != 0) {
                throw new FileFormatException(file, ".npy format version " + major + "." + minor + " is not supported (1.0, 2.0 and 3.0 are)");
            }
            int lengthBytes = major == 1 ? 2 : 4;
            long headerStart = MAGIC.length + 2 + lengthBytes;
            if (size < headerStart) throw new FileFormatException(file, "truncated in the .npy header");
            ByteBuffer lengthField = FileReads.readFully(ch, file, MAGIC.length + 2, lengthBytes);
            long headerLength = major == 1 ? Short.toUnsignedLong(lengthField.getShort()) : Integer.toUnsignedLong(lengthField.getInt());
            if (headerLength > MAX_HEADER_BYTES) {
                throw new FileFormatException(file, ".npy header length " + headerLength + " is over NumPy's limit of " + MAX_HEADER_BYTES + " bytes");
            }
            if (size < headerStart + headerLength) throw new FileFormatException(file, "truncated in the .npy header");
            // Latin-1 maps each byte to one character; every character a valid header holds is ASCII.
            String text = new String(FileReads.readFully(ch, file, headerStart, (int) headerLength).array(), StandardCharsets.ISO_8859_1);
            Header header = new Header(file, text);
            header.parse();
            if (!header.descr.equals(FLOAT32)) {
                throw new FileFormatException(file, "dtype '" + excerpt(header.descr) + "' is not supported; only little-endian float32 ('<f4') is"
                        + " (in NumPy: np.save(path, a.astype('<f4')))");
            }
            if (header.fortranOrder) {
                throw new FileFormatException(file, "Fortran-ordered arrays are not supported (in NumPy: np.save(path, np.ascontiguousarray(a)))");
            }
            shape = header.shape;
            long values = 1;
            // Saturates (a zero dimension still makes it 0): such a count is rejected at once.
            for (int d : shape) values = Math.min(values * d, MAX_ARRAY + 1L);
            if (values > MAX_ARRAY) throw new FileFormatException(file, "shape " + tuple(shape) + " has more values than a Java array holds (" + MAX_ARRAY + ")");
            dataStart = headerStart + headerLength;
            long needed = values * Float.BYTES, held = size - dataStart;
            if (held < needed) {
                throw new FileFormatException(file, "truncated: shape " + tuple(shape) + " needs " + needed
                        + " bytes of data but the file holds " + held);
            }
            if (held > needed) throw new FileFormatException(file, "has " + (held - needed) + " bytes of data after the " + values + " values of shape " + tuple(shape));
            count = (int) values;
        }

        public int[] shape() {
            return shape.clone();
        }

        /** How many values the array holds. */
        public int count() {
            return count;
        }

        /** Reads the next {@code n} values of the array into {@code out[from..from + n)}. */
        public void read(float[] out, int from, int n) throws IOException {
            if (n > count - position) throw new IllegalArgumentException(n + " values asked for; " + (count - position) + " are left");
            FileReads.readFloats(ch, file, dataStart + (long) Float.BYTES * position, out, from, n);
            position += n;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** A shape as Python writes a tuple: (), (5,), (2, 3). */
    private static String tuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** Parses a header's dict literal, character by character, as the class comment describes. */
    private static final class Header {
        private final Path file;
        private final String text;
        private int at;
        String descr;
        Boolean fortranOrder;
        int[] shape;

        Header(Path file, String text) {
            this.file = file;
            this.text = text;
        }

        void parse() throws FileFormatException {
            spaces();
            take('{', "the dict's '{'");
            spaces();
            while (peek() != '}') {
                String key = string("a key");
                spaces();
                take(':', "':' after '" + key + "'");
                spaces();
                switch (key) {
                    case "descr" -> descr = once(key, descr, string("the descr string"));
                    case "fortran_order" -> fortranOrder = once(key, fortranOrder, bool());
                    case "shape" -> shape = once(key, shape, shape());
                    default -> throw error("has the key '" + excerpt(key) + "'; NumPy's header has exactly 'descr', 'fortran_order' and 'shape'");
                }
                spaces();
                if (peek() == ',') {
                    at++;
                    spaces();
                } else if (peek() != '}') {
                    throw expected("',' or '}'");
                }
            }
            at++;
            spaces();
            if (at != text.length() - 1 || text.charAt(at) != '\n') throw expected("spaces and a final newline after the dict");
            String missing = descr == null ? "descr" : fortranOrder == null ? "fortran_order" : shape == null ? "shape" : null;
            if (missing != null) {
                throw new FileFormatException(file, ".npy header has no '" + missing + "' (NumPy's has 'descr', 'fortran_order' and 'shape')");
            }
        }

        private <T> T once(String key, T previous, T value) throws FileFormatException {
            if (previous != null) throw new FileFormatException(file, ".npy header has '" + key + "' twice");
            return value;
        }

        /** A Python string literal without escapes, in single or double quotes. */
        private String string(String what) throws FileFormatException {
            int quote = peek();
            if (quote != '\'' && quote != '"') throw expected(what);
            int end = at + 1;
            while (end < text.length() && text.charAt(end) != quote) {
                if (text.charAt(end) == '\\' || text.charAt(end) == '\n') {
                    at = end;
                    throw expected("the end of the string (escapes and newlines are not supported)");
                }
                end++;
            }
            if (end == text.length()) throw expected("the end of the string");
            String s = text.substring(at + 1, end);
            at = end + 1;
            return s;
        }

        private boolean bool() throws FileFormatException {
            for (boolean b : new boolean[] {true, false}) {
                String literal = b ? "True" : "False";
                if (text.startsWith(literal, at)) {
                    at += literal.length();
                    return b;
                }
            }
            throw expected("True or False for fortran_order");
        }

        /** A tuple of non-negative ints: (), (5,), (2, 3) or (2, 3,); (5) is the int 5 in Python, not a tuple. */
        private int[] shape() throws FileFormatException {
            take('(', "the shape tuple's '('");
            spaces();
            List<Integer> dims = new ArrayList<>();
            boolean comma = false;
            while (peek() != ')') {
                if (dims.size() == MAX_RANK) throw expected("')': a shape has at most " + MAX_RANK + " dimensions");
                dims.add(dimension());
                spaces();
                comma = peek() == ',';
                if (comma) {
                    at++;
                    spaces();
                } else if (peek() != ')') {
                    throw expected("',' or ')' in the shape");
                }
            }
            if (dims.size() == 1 && !comma) throw expected("',' after the one dimension: (n) is a number in Python, (n,) a tuple");
            at++;
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }

        private int dimension() throws FileFormatException {
            int start = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
            String digits = text.substring(start, at);
            at = start;
            if (digits.isEmpty() || (digits.length() > 1 && digits.charAt(0) == '0')) {
                throw expected("a non-negative integer without leading zeros");
            }
            if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
                throw expected("a dimension of at most " + Integer.MAX_VALUE);
            }
            at += digits.length();
            return Integer.parseInt(digits);
        }

        private void spaces() {
            while (peek() == ' ') at++;
        }

        private int peek() {
            return at < text.length() ? text.charAt(at) : -1;
        }

        private void take(char c, String what) throws FileFormatException {
            if (peek() != c) throw expected(what);
            at++;
        }

        /** An error at the current character, quoting the header from a little before it. */
        private FileFormatException expected(String what) {
            int from = Math.max(0, at - 20);
            return new FileFormatException(file, ".npy header: expected " + what + " at character " + at + " of "
                    + text.length() + ": '" + (from > 0 ? "..." : "") + excerpt(text.substring(from).stripTrailing()) + "'");
        }

        private FileFormatException error(String problem) {
            return new FileFormatException(file, ".npy header " + problem);
        }
    }
}
