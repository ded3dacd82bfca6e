package wgan.io;

import static wgan.io.FileFormatException.excerpt;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import wgan.nn.StateDicts;
import wgan.tensor.Tensor;

/**
 * Named tensors in the safetensors format (what PyTorch's {@code safetensors.torch.save_file}
 * writes): an 8-byte little-endian header length N, N bytes of JSON describing each tensor's dtype,
 * shape and byte range, then the little-endian data.
 *
 * <p>Only F32 and I64 are supported: weights are float32, and PyTorch's BatchNorm keeps
 * {@code num_batches_tracked} as int64. Files are read defensively, since a checkpoint may be
 * truncated or come from elsewhere: every inconsistency is a {@link FileFormatException} naming the
 * file and the problem, found before any large allocation and quickly: the header and each of its
 * parts are bounded (below), and the data a header declares must be in the file and fit in memory.
 * The reference reader's own limit is 100 MB of header; wgan's models have a few dozen tensors, and a
 * file of PyTorch's for them a header of a few KB.
 */
public final class Safetensors {

    /** The largest header accepted: room for thousands of tensors, and a corrupt header is rejected in milliseconds. */
    public static final long MAX_HEADER_BYTES = 1L << 20;
    /** The most tensors (or metadata entries) a header may describe. */
    public static final int MAX_ENTRIES = 10_000;
    /** The most dimensions a tensor may have (NumPy 2's limit; PyTorch's is lower still). */
    public static final int MAX_RANK = 64;
    /** Digits of the largest number a header may hold: a long has 19. */
    private static final int MAX_DIGITS = 19;
    /** The most elements of a Java array. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** JsonReader's syntax errors: "problem at line L column C path P", then advice on further lines. */
    private static final Pattern SYNTAX_ERROR = Pattern.compile("^(.*?)( at line \\d+ column \\d+)");

    private static final String METADATA = "__metadata__";

    public enum DType {
        F32(4), I64(8);

        public final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    /** One stored tensor. */
    public sealed interface Entry permits F32, I64 {
        DType dtype();

        int[] shape();
    }

    public record F32(Tensor tensor) implements Entry {
        @Override
        public DType dtype() {
            return DType.F32;
        }

        @Override
        public int[] shape() {
            return tensor.shape();
        }
    }

    public record I64(long[] values, int[] shape) implements Entry {
        public I64 {
            if (values.length != Tensor.sizeOf(shape)) {
                throw new IllegalArgumentException(values.length + " values do not fit shape " + Arrays.toString(shape));
            }
            shape = shape.clone();
        }

        @Override
        public DType dtype() {
            return DType.I64;
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    /** The content of {@code file}: tensors in header order, and the free-form string metadata. */
    public record Contents(Path file, Map<String, Entry> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** The F32 tensor called {@code name}; another dtype, or none of that name, is an error naming the file. */
        public Tensor tensor(String name) throws FileFormatException {
            if (get(name) instanceof F32 f) return f.tensor();
            throw new FileFormatException(file, "tensor " + quote(name) + " is " + get(name).dtype() + " where F32 belongs");
        }

        /** The values of the I64 tensor called {@code name}; another dtype, or none of that name, is an error naming the file. */
        public long[] longs(String name) throws FileFormatException {
            if (get(name) instanceof I64 i) return i.values();
            throw new FileFormatException(file, "tensor " + quote(name) + " is " + get(name).dtype() + " where I64 belongs");
        }

        /**
         * The tensors as a wgan state dict (a new map, in header order), following {@link StateDicts}:
         * an I64 entry must be a {@code num_batches_tracked} counter holding one value, which becomes
         * a float32 tensor of its shape; every other entry must be F32.
         */
        public Map<String, Tensor> stateDict() throws FileFormatException {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, Entry> e : tensors.entrySet()) {
                String name = e.getKey();
                out.put(name, switch (e.getValue()) {
                    case F32 f -> f.tensor();
                    case I64 l when StateDicts.isInt64(name) && l.values().length == 1 -> Tensor.of(new float[] {l.values()[0]}, l.shape());
                    case I64 l when StateDicts.isInt64(name) -> throw new FileFormatException(file, "tensor " + quote(name) + " of shape "
                            + Arrays.toString(l.shape()) + " holds " + l.values().length + " values where a counter holds one");
                    case I64 l -> throw new FileFormatException(file, "tensor " + quote(name) + " is I64 where F32 belongs (only "
                            + StateDicts.NUM_BATCHES_TRACKED + " counters are I64)");
                });
            }
            return out;
        }

        private Entry get(String name) throws FileFormatException {
            Entry e = tensors.get(name);
            if (e == null) throw new FileFormatException(file, "has no tensor " + quote(name));
            return e;
        }
    }

    private Safetensors() {}

    /** Writes the tensors in the map's order, atomically. */
    public static void write(Path file, Map<String, ? extends Entry> tensors, Map<String, String> metadata) throws IOException {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add(METADATA, meta);
        }
        long offset = 0;
        for (Map.Entry<String, ? extends Entry> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) throw new IllegalArgumentException("'" + METADATA + "' is reserved");
            Entry entry = e.getValue();
            long bytes = (long) Tensor.sizeOf(entry.shape()) * entry.dtype().bytes;
            JsonObject info = new JsonObject();
            info.addProperty("dtype", entry.dtype().name());
            JsonArray shape = new JsonArray();
            for (int d : entry.shape()) shape.add(d);
            info.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + bytes);
            info.add("data_offsets", offsets);
            header.add(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        // Pad with spaces (valid JSON whitespace) so the data starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        AtomicFiles.write(file, out -> {
            out.write(head.array());
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry entry : tensors.values()) {
                switch (entry) {
                    case F32 f -> {
                        for (float v : f.tensor().data()) {
                            if (buf.remaining() < 4) flush(buf, out);
                            buf.putFloat(v);
                        }
                    }
                    case I64 i -> {
                        for (long v : i.values()) {
                            if (buf.remaining() < 8) flush(buf, out);
                            buf.putLong(v);
                        }
                    }
                }
            }
            flush(buf, out);
        });
    }

    private static void flush(ByteBuffer buf, OutputStream out) throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }

    /** A tensor's description in the header, checked against the file. */
    private record Slot(String name, DType dtype, int[] shape, long begin, long end) {}

    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new FileFormatException(file, "not a safetensors file: only " + size + " bytes, less than the 8-byte header length");
            long headerLength = FileReads.readFully(ch, file, 0, 8).getLong();
            if (headerLength < 2 || headerLength > size - 8) {
                throw new FileFormatException(file, "header length " + headerLength + " does not fit in a file of " + size
                        + " bytes (truncated, or not a safetensors file)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new FileFormatException(file, "header length " + headerLength + " is over the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            long dataStart = 8 + headerLength;
            long dataLength = size - dataStart;
            HeaderReader header = new HeaderReader(file, FileReads.readFully(ch, file, 8, (int) headerLength).array(), dataLength);
            header.read();
            checkLayout(file, header.slots, dataLength);
            FileReads.requireHeap(file, dataLength, "its tensors");

            Map<String, Entry> tensors = new LinkedHashMap<>();
            for (Slot s : header.slots) {
                tensors.put(s.name, switch (s.dtype) {
                    case F32 -> {
                        float[] v = new float[Tensor.sizeOf(s.shape)];
                        FileReads.readFloats(ch, file, dataStart + s.begin, v, 0, v.length);
                        yield new F32(Tensor.of(v, s.shape));
                    }
                    case I64 -> {
                        long[] v = new long[Tensor.sizeOf(s.shape)];
                        FileReads.readLongs(ch, file, dataStart + s.begin, v);
                        yield new I64(v, s.shape);
                    }
                });
            }
            return new Contents(file, tensors, header.metadata);
        }
    }

    /**
     * Reads a header token by token in the one shape the format has: an object whose entries are
     * {@code __metadata__} (an object of strings) or tensors ({@code dtype}, {@code shape},
     * {@code data_offsets}). Anything else is an error at the first token that does not fit, so
     * nesting never goes deeper than three levels; numbers are plain digits, at most
     * {@link #MAX_DIGITS} of them; names, keys and entries may not repeat.
     */
    private static final class HeaderReader {
        private final Path file;
        private final byte[] bytes;
        private final long dataLength;
        private final List<Slot> slots = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private JsonReader in;

        HeaderReader(Path file, byte[] bytes, long dataLength) {
            this.file = file;
            this.bytes = bytes;
            this.dataLength = dataLength;
        }

        void read() throws FileFormatException {
            in = new JsonReader(new StringReader(utf8()));
            in.setStrictness(Strictness.STRICT);
            try {
                expect(JsonToken.BEGIN_OBJECT, "the header");
                in.beginObject();
                Set<String> names = new HashSet<>();
                while (in.hasNext()) {
                    String name = in.nextName();
                    if (!names.add(name)) throw error("the header names " + quote(name) + " twice");
                    if (names.size() > MAX_ENTRIES) throw error("the header has more than " + MAX_ENTRIES + " entries");
                    if (name.equals(METADATA)) readMetadata();
                    else slots.add(slot(name));
                }
                in.endObject();
                // A strict reader rejects anything but padding after the object.
                in.peek();
            } catch (FileFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new FileFormatException(file, "header is not valid JSON: " + syntaxError(e.getMessage()), e);
            }
        }

        /**
         * JsonReader's message for a syntax error, without the path it adds (that quotes the file's
         * names in full) or its advice to read leniently.
         */
        private static String syntaxError(String message) {
            Matcher m = SYNTAX_ERROR.matcher(message);
            if (!m.find()) return excerpt(message);
            return (m.group(1).startsWith("Use JsonReader") ? "malformed" : excerpt(m.group(1))) + m.group(2);
        }

        private String utf8() throws FileFormatException {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new FileFormatException(file, "header is not valid UTF-8", e);
            }
        }

        private void readMetadata() throws IOException {
            expect(JsonToken.BEGIN_OBJECT, METADATA);
            in.beginObject();
            while (in.hasNext()) {
                String key = in.nextName();
                expect(JsonToken.STRING, METADATA + " value of " + quote(key));
                if (metadata.put(key, in.nextString()) != null) throw error(METADATA + " names " + quote(key) + " twice");
                if (metadata.size() > MAX_ENTRIES) throw error(METADATA + " has more than " + MAX_ENTRIES + " entries");
            }
            in.endObject();
        }

        private Slot slot(String name) throws IOException {
            String where = "tensor " + quote(name);
            expect(JsonToken.BEGIN_OBJECT, where);
            in.beginObject();
            DType dtype = null;
            long[] shape = null, offsets = null;
            Set<String> keys = new HashSet<>();
            while (in.hasNext()) {
                String key = in.nextName();
                if (!keys.add(key)) throw error(where + " has " + quote(key) + " twice");
                switch (key) {
                    case "dtype" -> dtype = dtype(where);
                    case "shape" -> shape = integers(where + " shape", MAX_RANK);
                    case "data_offsets" -> offsets = integers(where + " data_offsets", 2);
                    default -> throw error(where + " has the key " + quote(key) + "; a tensor has dtype, shape and data_offsets");
                }
            }
            in.endObject();
            if (dtype == null || shape == null || offsets == null) {
                throw error(where + " has no " + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
            }
            if (offsets.length != 2) throw error(where + " data_offsets " + Arrays.toString(offsets) + " is not [begin, end]");
            return checked(name, where, dtype, shape, offsets[0], offsets[1]);
        }

        private DType dtype(String where) throws IOException {
            expect(JsonToken.STRING, where + " dtype");
            String name = in.nextString();
            for (DType d : DType.values()) if (d.name().equals(name)) return d;
            throw error(where + " has dtype " + quote(name) + "; only " + Arrays.toString(DType.values()) + " are supported");
        }

        /** A JSON array of at most {@code max} non-negative integers. */
        private long[] integers(String what, int max) throws IOException {
            expect(JsonToken.BEGIN_ARRAY, what);
            in.beginArray();
            long[] values = new long[4];
            int n = 0;
            while (in.hasNext()) {
                if (n == max) throw error(what + " has more than " + max + " entries");
                expect(JsonToken.NUMBER, what + " entry " + n);
                String digits = in.nextString();
                if (!isInteger(digits)) {
                    throw error(what + " entry " + n + " is " + quote(digits) + ", not a non-negative integer of at most " + MAX_DIGITS + " digits");
                }
                if (n == values.length) values = Arrays.copyOf(values, 2 * n);
                values[n++] = Long.parseLong(digits);
            }
            in.endArray();
            return Arrays.copyOf(values, n);
        }

        /** Plain digits of a long: no sign, fraction or exponent, and never so many that parsing them takes long. */
        private static boolean isInteger(String digits) {
            if (digits.isEmpty() || digits.length() > MAX_DIGITS) return false;
            for (int i = 0; i < digits.length(); i++) {
                if (digits.charAt(i) < '0' || digits.charAt(i) > '9') return false;
            }
            return digits.length() < MAX_DIGITS || digits.compareTo(Long.toString(Long.MAX_VALUE)) <= 0;
        }

        private Slot checked(String name, String where, DType dtype, long[] dims, long begin, long end) throws FileFormatException {
            String described = where + " of shape " + Arrays.toString(dims) + " and dtype " + dtype;
            if (begin > end || end > dataLength) {
                throw error(where + " data_offsets [" + begin + ", " + end + "] are outside the " + dataLength + " bytes of data");
            }
            int[] shape = new int[dims.length];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] > Integer.MAX_VALUE) throw error(described + " has a dimension over 2^31");
                shape[i] = (int) dims[i];
                // Saturate rather than overflow: such a count is rejected below anyway.
                count = dims[i] != 0 && count > Long.MAX_VALUE / dims[i] ? Long.MAX_VALUE : count * dims[i];
            }
            if (count > dataLength || count * dtype.bytes != end - begin) {
                throw error(described + " needs " + (count > dataLength ? "more than " + dataLength : count * dtype.bytes)
                        + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
            }
            if (count > MAX_ARRAY) throw error(described + " has " + count + " values, more than a Java array holds");
            return new Slot(name, dtype, shape, begin, end);
        }

        private void expect(JsonToken token, String what) throws IOException {
            JsonToken found = in.peek();
            if (found != token) throw error(what + " is " + describe(found) + " where " + describe(token) + " belongs");
        }

        private static String describe(JsonToken token) {
            return switch (token) {
                case BEGIN_OBJECT -> "a JSON object";
                case BEGIN_ARRAY -> "a JSON array";
                case STRING -> "a string";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
                case END_OBJECT, END_ARRAY, NAME, END_DOCUMENT -> "the end of its container";
            };
        }

        private FileFormatException error(String problem) {
            return new FileFormatException(file, problem);
        }
    }

    /** A name or value from the file, quoted and cut short. */
    private static String quote(String text) {
        return "'" + excerpt(text) + "'";
    }

    /** Tensors must tile the data exactly, as the reference reader requires: no overlap, no gap, nothing left over. */
    private static void checkLayout(Path file, List<Slot> slots, long dataLength) throws FileFormatException {
        List<Slot> byOffset = new ArrayList<>(slots);
        byOffset.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        long expected = 0;
        Slot previous = null;
        for (Slot s : byOffset) {
            if (s.begin < expected) {
                throw new FileFormatException(file, "tensors " + quote(previous.name) + " and " + quote(s.name) + " overlap (bytes "
                        + previous.begin + ".." + previous.end + " and " + s.begin + ".." + s.end + ")");
            }
            if (s.begin > expected) {
                throw new FileFormatException(file, "bytes " + expected + ".." + s.begin + " of the data belong to no tensor");
            }
            expected = s.end;
            previous = s;
        }
        if (expected != dataLength) {
            throw new FileFormatException(file, (dataLength - expected) + " bytes after the last tensor belong to no tensor");
        }
    }
}
