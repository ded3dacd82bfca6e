package wgan.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.tensor.Tensor;

class SafetensorsTest {

    @TempDir
    Path dir;

    static Stream<Arguments> seeds() {
        return IntStream.range(0, 6).mapToObj(seed -> Arguments.of(seed));
    }

    /** Random tensors of random rank 0..4 (dimensions 0..5), plus an I64 scalar like BatchNorm's num_batches_tracked. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void roundTripsF32I64AndMetadata(int seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        for (int t = 0; t < 1 + rnd.nextInt(5); t++) {
            int[] shape = rnd.ints(rnd.nextInt(5), 0, 6).toArray();
            float[] v = new float[Tensor.sizeOf(shape)];
            for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
            tensors.put("layer" + t + ".weight", new Safetensors.F32(Tensor.of(v, shape)));
        }
        tensors.put("bn.num_batches_tracked", new Safetensors.I64(new long[] {rnd.nextLong()}, new int[0]));
        tensors.put("ids", new Safetensors.I64(new long[] {-1, Long.MAX_VALUE, 7, 0}, new int[] {2, 2}));
        Map<String, String> meta = Map.of("format", "pt", "seed", Integer.toString(seed), "note", "ünïcode \"quoted\"");
        Path file = dir.resolve("m.safetensors");

        Safetensors.write(file, tensors, meta);
        Safetensors.Contents read = Safetensors.read(file);

        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(read.tensors().keySet()), "names, in order");
        assertEquals(meta, read.metadata());
        for (Map.Entry<String, Safetensors.Entry> e : tensors.entrySet()) {
            Safetensors.Entry got = read.tensors().get(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype());
            assertArrayEquals(e.getValue().shape(), got.shape());
            switch (e.getValue()) {
                case Safetensors.F32 f -> assertArrayEquals(f.tensor().data(), read.tensor(e.getKey()).data());
                case Safetensors.I64 i -> assertArrayEquals(i.values(), read.longs(e.getKey()));
            }
        }
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "data starts 8-byte aligned");
    }

    /** A file laid out as the reference (Python) writer lays it out: sorted keys, metadata first, little-endian data. */
    @Test
    void readsAFileWrittenByHand() throws IOException {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).putLong(42);
        Path file = write(json, data.array());
        Safetensors.Contents c = Safetensors.read(file);
        assertArrayEquals(new float[] {1.5f, -2f}, c.tensor("a").data());
        assertArrayEquals(new long[] {42}, c.longs("n"));
        assertEquals(Map.of("format", "pt"), c.metadata());
        FileFormatException wrongType = assertThrows(FileFormatException.class, () -> c.tensor("n"));
        assertEquals(file + ": tensor 'n' is I64 where F32 belongs", wrongType.getMessage());
        assertEquals(file + ": tensor 'a' is F32 where I64 belongs", assertThrows(FileFormatException.class, () -> c.longs("a")).getMessage());
        assertEquals(file + ": has no tensor 'missing'", assertThrows(FileFormatException.class, () -> c.tensor("missing")).getMessage());
    }

    /** A state dict's I64 entries are BatchNorm's counters, one value each, read as float32 scalars of their shape. */
    @Test
    void stateDictTakesOneValueCountersAndFloats() throws IOException {
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        tensors.put("0.weight", new Safetensors.F32(Tensor.of(new float[] {1, 2}, 2)));
        tensors.put("1.num_batches_tracked", new Safetensors.I64(new long[] {12}, new int[0]));
        Path file = dir.resolve("sd.safetensors");
        Safetensors.write(file, tensors, Map.of());
        Map<String, Tensor> sd = Safetensors.read(file).stateDict();
        assertEquals(List.of("0.weight", "1.num_batches_tracked"), List.copyOf(sd.keySet()));
        assertArrayEquals(new float[] {1, 2}, sd.get("0.weight").data());
        assertArrayEquals(new int[0], sd.get("1.num_batches_tracked").shape());
        assertEquals(12f, sd.get("1.num_batches_tracked").item());
    }

    static Stream<Arguments> badStateDicts() {
        return Stream.of(
                Arguments.of("I64 where F32 belongs", "0.weight", new Safetensors.I64(new long[] {1, 2}, new int[] {2}),
                        "tensor '0.weight' is I64 where F32 belongs"),
                Arguments.of("empty counter", "1.num_batches_tracked", new Safetensors.I64(new long[0], new int[] {0}),
                        "tensor '1.num_batches_tracked' of shape [0] holds 0 values where a counter holds one"),
                Arguments.of("counter of two", "1.num_batches_tracked", new Safetensors.I64(new long[] {1, 2}, new int[] {2}),
                        "holds 2 values"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStateDicts")
    void stateDictRejectsOtherInt64s(String name, String tensorName, Safetensors.Entry entry, String expected) throws IOException {
        Path file = dir.resolve("sd.safetensors");
        Safetensors.write(file, Map.of(tensorName, entry), Map.of());
        Safetensors.Contents contents = Safetensors.read(file);
        FileFormatException e = assertThrows(FileFormatException.class, contents::stateDict);
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(expected), e.getMessage());
    }

    /**
     * A file written by the reference implementation (Python safetensors 0.8.0):
     * {@code save_file({'w': np.arange(6, dtype=np.float32).reshape(2, 3), 'bn.num_batches_tracked':
     * np.array(7, dtype=np.int64), 'b': np.array([-1.5], dtype=np.float32)}, path, metadata={'format': 'pt'})}.
     */
    @Test
    void readsAFileOfTheReferenceImplementation() throws Exception {
        Path file = Path.of(SafetensorsTest.class.getResource("reference.safetensors").toURI());
        Safetensors.Contents c = Safetensors.read(file);
        assertEquals(List.of("bn.num_batches_tracked", "b", "w"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, c.tensor("w").data());
        assertArrayEquals(new int[] {2, 3}, c.tensor("w").shape());
        assertArrayEquals(new float[] {-1.5f}, c.tensor("b").data());
        assertArrayEquals(new long[] {7}, c.longs("bn.num_batches_tracked"));
        assertArrayEquals(new int[0], c.tensors().get("bn.num_batches_tracked").shape());
        assertEquals(Map.of("format", "pt"), c.metadata());
    }

    static Stream<Arguments> malformed() {
        String ok = "\"dtype\":\"F32\",\"shape\":[2]";
        return Stream.of(
                Arguments.of("header length over the cap", header(Long.MAX_VALUE), "does not fit"),
                Arguments.of("header length negative", header(-5), "does not fit"),
                Arguments.of("header longer than file", cat(header(1000), "{}".getBytes()), "does not fit in a file of"),
                Arguments.of("shorter than 8 bytes", new byte[] {1, 0, 0}, "only 3 bytes"),
                Arguments.of("bad JSON", file("{\"a\": {", 0), "not valid JSON"),
                Arguments.of("JSON not an object", file("[1, 2]", 0), "the header is a JSON array where a JSON object belongs"),
                Arguments.of("deeply nested JSON", file("[".repeat(200_000), 0), "the header is a JSON array"),
                Arguments.of("deeply nested tensor", file("{\"a\":" + "[".repeat(200_000), 0), "tensor 'a' is a JSON array where a JSON object belongs"),
                Arguments.of("unknown dtype", file("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "BF16"),
                Arguments.of("missing dtype", file("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "no dtype"),
                Arguments.of("negative shape", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "non-negative"),
                Arguments.of("fractional shape", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,8]}}", 8), "non-negative integer"),
                Arguments.of("huge shape", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8), "needs more than"),
                Arguments.of("offsets out of range", file("{\"a\":{" + ok + ",\"data_offsets\":[0,8]}}", 4), "outside the 4 bytes"),
                Arguments.of("offsets reversed", file("{\"a\":{" + ok + ",\"data_offsets\":[8,0]}}", 8), "outside"),
                Arguments.of("offsets not a pair", file("{\"a\":{" + ok + ",\"data_offsets\":[0]}}", 8), "not [begin, end]"),
                Arguments.of("overlapping", file("{\"a\":{" + ok + ",\"data_offsets\":[0,8]},\"b\":{" + ok + ",\"data_offsets\":[4,12]}}", 12), "overlap"),
                Arguments.of("gap", file("{\"a\":{" + ok + ",\"data_offsets\":[4,12]}}", 12), "belong to no tensor"),
                Arguments.of("trailing data", file("{\"a\":{" + ok + ",\"data_offsets\":[0,8]}}", 12), "after the last tensor"),
                Arguments.of("shape/size mismatch", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12 bytes"),
                Arguments.of("metadata not strings", file("{\"__metadata__\":{\"k\":1}}", 0), "value of 'k' is a number where a string belongs"),
                Arguments.of("metadata repeated", file("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", 0), "names 'k' twice"),
                Arguments.of("tensor named twice", file("{\"a\":{" + ok + ",\"data_offsets\":[0,8]},\"a\":{" + ok + ",\"data_offsets\":[8,16]}}", 16),
                        "names 'a' twice"),
                Arguments.of("dtype given twice", file("{\"a\":{" + ok + ",\"dtype\":\"I64\",\"data_offsets\":[0,8]}}", 8), "has 'dtype' twice"),
                Arguments.of("unknown key", file("{\"a\":{" + ok + ",\"data_offsets\":[0,8],\"x\":1}}", 8), "has the key 'x'"),
                Arguments.of("shape not an array", file("{\"a\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", 8),
                        "shape is a number where a JSON array belongs"),
                Arguments.of("nested arrays", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[[2]],\"data_offsets\":[0,8]}}", 8),
                        "shape entry 0 is a JSON array where a number belongs"),
                Arguments.of("exponent", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2e0],\"data_offsets\":[0,8]}}", 8), "not a non-negative integer"),
                Arguments.of("rank over the limit", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(64) + "2],\"data_offsets\":[0,8]}}", 8),
                        "has more than 64 entries"),
                Arguments.of("number of 20 digits", file("{\"a\":{" + ok + ",\"data_offsets\":[0,18446744073709551616]}}", 8), "of at most 19 digits"),
                Arguments.of("number over 2^63", file("{\"a\":{" + ok + ",\"data_offsets\":[0,9223372036854775808]}}", 8), "of at most 19 digits"),
                // The audit's case: 2,000,000 digits took 90 s to reject (quadratic BigDecimal parsing) and were all quoted.
                Arguments.of("2,000,000-digit number", file("{\"a\":{" + ok + ",\"data_offsets\":[0," + "9".repeat(2_000_000) + "]}}", 8),
                        "over the limit of 1048576 bytes"),
                Arguments.of("1,000,000-digit number", file("{\"a\":{" + ok + ",\"data_offsets\":[0," + "9".repeat(1_000_000) + "]}}", 8),
                        "not valid JSON"),
                Arguments.of("long name", file("{\"" + "n".repeat(500_000) + "\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
                        "tensor '" + "n".repeat(100) + "...' has dtype 'BF16'"),
                Arguments.of("too many tensors", file(IntStream.range(0, 10_001).mapToObj(i -> "\"" + i + "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}")
                        .collect(java.util.stream.Collectors.joining(",", "{", "}")), 0), "more than 10000 entries"),
                Arguments.of("single quotes", file("{'a':{" + ok + ",\"data_offsets\":[0,8]}}", 8), "not valid JSON"),
                Arguments.of("comment", file("{/* */\"a\":{" + ok + ",\"data_offsets\":[0,8]}}", 8), "not valid JSON"),
                Arguments.of("two objects", file("{}{}", 0), "not valid JSON: malformed at line 1 column 4"),
                Arguments.of("unterminated", file("{\"" + "n".repeat(1000) + "\":{", 0), "not valid JSON: End of input at line 1 column 1006"),
                Arguments.of("not UTF-8", file(("{\"\u00ff\":{" + ok + ",\"data_offsets\":[0,8]}}").getBytes(StandardCharsets.ISO_8859_1), new byte[8]),
                        "not valid UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedFilesGiveAClearErrorQuickly(String name, byte[] bytes, String expected) throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, bytes);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // CPU time, not wall time: the machine may be loaded. Rejections take milliseconds; the audit's 2,000,000 digits took 90 s.
        FileFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            long cpu = threads.getCurrentThreadCpuTime();
            FileFormatException thrown = assertThrows(FileFormatException.class, () -> Safetensors.read(file));
            assertTrue(threads.getCurrentThreadCpuTime() - cpu < 1_000_000_000L, "rejected in less than a second of CPU time");
            return thrown;
        });
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().length() < file.toString().length() + 300, () -> "a short message, not " + e.getMessage().length() + " characters");
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    private Path write(String json, byte[] data) throws IOException {
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, file(json, data));
        return file;
    }

    private static byte[] file(String json, int dataBytes) {
        return file(json, new byte[dataBytes]);
    }

    private static byte[] file(String json, byte[] data) {
        return file(json.getBytes(StandardCharsets.UTF_8), data);
    }

    private static byte[] file(byte[] json, byte[] data) {
        return cat(cat(header(json.length), json), data);
    }

    private static byte[] header(long length) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array();
    }

    private static byte[] cat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
