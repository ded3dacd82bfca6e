package wgan.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wgan.tensor.Tensor;

/**
 * Named tensors in the safetensors format (what PyTorch's {@code safetensors.torch.save_file}
 * writes): an 8-byte little-endian header length N, N bytes of JSON describing each tensor's dtype,
 * shape and byte range, then the little-endian data.
 *
 * <p>Only F32 and I64 are supported: weights are float32, and PyTorch's BatchNorm keeps
 * {@code num_batches_tracked} as int64. Files are read defensively, since a checkpoint may be
 * truncated or come from elsewhere: every inconsistency is a {@link FileFormatException} naming the
 * file and the problem, found before any large allocation.
 */
public final class Safetensors {

    /** The largest header accepted. Real headers are a few KB; this keeps a corrupt length from allocating gigabytes. */
    public static final long MAX_HEADER_BYTES = 100L << 20;

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

    /** The content of a file: tensors in header order, and the free-form string metadata. */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** The F32 tensor called {@code name}. */
        public Tensor tensor(String name) {
            if (get(name) instanceof F32 f) return f.tensor();
            throw new IllegalArgumentException("tensor '" + name + "' is " + get(name).dtype() + ", not F32");
        }

        /** The values of the I64 tensor called {@code name}. */
        public long[] longs(String name) {
            if (get(name) instanceof I64 i) return i.values();
            throw new IllegalArgumentException("tensor '" + name + "' is " + get(name).dtype() + ", not I64");
        }

        private Entry get(String name) {
            Entry e = tensors.get(name);
            if (e == null) throw new IllegalArgumentException("no tensor '" + name + "'; there are " + tensors.keySet());
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
            long headerLength = readFully(ch, 0, 8, file).getLong();
            if (headerLength < 2 || headerLength > size - 8) {
                throw new FileFormatException(file, "header length " + headerLength + " does not fit in a file of " + size
                        + " bytes (truncated, or not a safetensors file)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new FileFormatException(file, "header length " + headerLength + " is over the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            byte[] headerBytes = readFully(ch, 8, (int) headerLength, file).array();
            long dataStart = 8 + headerLength;
            long dataLength = size - dataStart;

            JsonObject header = parseHeader(file, headerBytes);
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Slot> slots = new ArrayList<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals(METADATA)) {
                    readMetadata(file, e.getValue(), metadata);
                } else {
                    slots.add(slot(file, e.getKey(), e.getValue(), dataLength));
                }
            }
            checkLayout(file, slots, dataLength);

            Map<String, Entry> tensors = new LinkedHashMap<>();
            for (Slot s : slots) {
                ByteBuffer bytes = readFully(ch, dataStart + s.begin, (int) (s.end - s.begin), file);
                tensors.put(s.name, switch (s.dtype) {
                    case F32 -> {
                        float[] v = new float[Tensor.sizeOf(s.shape)];
                        bytes.asFloatBuffer().get(v);
                        yield new F32(Tensor.of(v, s.shape));
                    }
                    case I64 -> {
                        long[] v = new long[Tensor.sizeOf(s.shape)];
                        bytes.asLongBuffer().get(v);
                        yield new I64(v, s.shape);
                    }
                });
            }
            return new Contents(tensors, metadata);
        }
    }

    private static JsonObject parseHeader(Path file, byte[] headerBytes) throws FileFormatException {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (JsonParseException | StackOverflowError e) {
            // StackOverflowError: Gson parses recursively, so deeply nested brackets could otherwise crash the reader.
            throw new FileFormatException(file, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (!parsed.isJsonObject()) throw new FileFormatException(file, "header is not a JSON object");
        return parsed.getAsJsonObject();
    }

    private static void readMetadata(Path file, JsonElement value, Map<String, String> metadata) throws FileFormatException {
        if (!value.isJsonObject()) throw new FileFormatException(file, METADATA + " is not a JSON object");
        for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
            if (!(m.getValue() instanceof JsonPrimitive p) || !p.isString()) {
                throw new FileFormatException(file, METADATA + " value of '" + m.getKey() + "' is not a string");
            }
            metadata.put(m.getKey(), p.getAsString());
        }
    }

    private static Slot slot(Path file, String name, JsonElement value, long dataLength) throws FileFormatException {
        String where = "tensor '" + name + "'";
        if (!value.isJsonObject()) throw new FileFormatException(file, where + " is not described by a JSON object");
        JsonObject info = value.getAsJsonObject();
        if (!(info.get("dtype") instanceof JsonPrimitive dt) || !dt.isString()) {
            throw new FileFormatException(file, where + " has no dtype string");
        }
        DType dtype = Arrays.stream(DType.values()).filter(d -> d.name().equals(dt.getAsString())).findFirst()
                .orElseThrow(() -> new FileFormatException(file, where + " has dtype '" + dt.getAsString()
                        + "'; only " + Arrays.toString(DType.values()) + " are supported"));
        JsonArray shapeJson = array(file, info, "shape", where);
        int[] shape = new int[shapeJson.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = nonNegative(file, shapeJson.get(i), where + " shape " + shapeJson);
            if (d > Integer.MAX_VALUE) throw new FileFormatException(file, where + " shape " + shapeJson + " has a dimension over 2^31");
            shape[i] = (int) d;
            // Saturate rather than overflow: such a count is rejected below anyway.
            count = d != 0 && count > Long.MAX_VALUE / d ? Long.MAX_VALUE : count * d;
        }
        JsonArray offsets = array(file, info, "data_offsets", where);
        if (offsets.size() != 2) throw new FileFormatException(file, where + " data_offsets " + offsets + " is not [begin, end]");
        long begin = nonNegative(file, offsets.get(0), where + " data_offsets " + offsets);
        long end = nonNegative(file, offsets.get(1), where + " data_offsets " + offsets);
        if (begin > end || end > dataLength) {
            throw new FileFormatException(file, where + " data_offsets " + offsets + " are outside the " + dataLength + " bytes of data");
        }
        if (count > Integer.MAX_VALUE - 8 || count * dtype.bytes != end - begin) {
            throw new FileFormatException(file, where + " of shape " + shapeJson + " and dtype " + dtype + " needs "
                    + (count > dataLength ? "more than " + dataLength : count * dtype.bytes) + " bytes but data_offsets "
                    + offsets + " hold " + (end - begin));
        }
        return new Slot(name, dtype, shape, begin, end);
    }

    private static JsonArray array(Path file, JsonObject info, String key, String where) throws FileFormatException {
        if (!(info.get(key) instanceof JsonArray a)) throw new FileFormatException(file, where + " has no " + key + " array");
        return a;
    }

    private static long nonNegative(Path file, JsonElement e, String where) throws FileFormatException {
        try {
            long v = new BigDecimal(((JsonPrimitive) e).getAsString()).longValueExact();
            if (v >= 0) return v;
        } catch (ClassCastException | NumberFormatException | ArithmeticException ex) {
            // reported below
        }
        throw new FileFormatException(file, where + ": " + e + " is not a non-negative integer");
    }

    /** Tensors must tile the data exactly, as the reference reader requires: no overlap, no gap, nothing left over. */
    private static void checkLayout(Path file, List<Slot> slots, long dataLength) throws FileFormatException {
        List<Slot> byOffset = new ArrayList<>(slots);
        byOffset.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        long expected = 0;
        Slot previous = null;
        for (Slot s : byOffset) {
            if (s.begin < expected) {
                throw new FileFormatException(file, "tensors '" + previous.name + "' and '" + s.name + "' overlap (bytes "
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

    private static ByteBuffer readFully(FileChannel ch, long position, int length, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new FileFormatException(file, "ends at byte " + (position + buf.position()) + ", inside data it describes");
            }
        }
        return buf.flip();
    }
}
