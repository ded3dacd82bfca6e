package wgan.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.tensor.Tensor;

class NpyTest {

    @TempDir
    Path dir;

    static Stream<Arguments> shapes() {
        return Stream.of(new int[] {}, new int[] {5}, new int[] {0}, new int[] {3, 100}, new int[] {4, 1, 28, 28}, new int[] {2, 0, 3})
                .map(s -> Arguments.of(Arrays.hashCode(s), s));
    }

    @ParameterizedTest(name = "seed {0} shape {1}")
    @MethodSource("shapes")
    void roundTrips(int seed, int[] shape) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[Tensor.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        Path file = dir.resolve("a.npy");
        Npy.write(file, Tensor.of(v, shape));
        Tensor back = Npy.read(file);
        assertArrayEquals(shape, back.shape());
        assertArrayEquals(v, back.data());
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(0, (bytes.length - 4 * v.length) % 64, "header padded to 64 bytes as NumPy does");
    }

    @Test
    void writesTheHeaderNumPyExpects() throws IOException {
        Path file = dir.resolve("z.npy");
        Npy.write(file, Tensor.zeros(2, 100));
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 10, bytes.length - 10 - 4 * 200, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 100), }", header.strip());
        assertTrue(header.endsWith("\n"));
        Npy.write(file, Tensor.zeros(7));
        assertTrue(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).contains("'shape': (7,), }"));
    }

    /** Bytes as NumPy 2 writes {@code np.save(f, np.arange(6, dtype='<f4').reshape(2, 3))}: header padded to 128. */
    @Test
    void readsAFileAsNumPyWritesIt() throws IOException {
        Path file = dir.resolve("np.npy");
        Files.write(file, npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 128, 6));
        Tensor t = Npy.read(file);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.data());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("bad magic", "PK\3\4 not numpy at all".getBytes(), "does not start with"),
                Arguments.of("empty", new byte[0], "does not start with"),
                Arguments.of("float64", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", 128, 12), "'<f8' is not supported"),
                Arguments.of("big-endian", npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", 128, 6), "'>f4'"),
                Arguments.of("fortran order", npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (3, 2), }", 128, 6), "Fortran"),
                Arguments.of("truncated data", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 128, 5), "truncated"),
                Arguments.of("trailing data", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 128, 7), "data after"),
                Arguments.of("no shape", npy(1, "{'descr': '<f4', 'fortran_order': False}", 128, 6), "has no 'shape'"),
                Arguments.of("bad shape", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", 128, 6),
                        "expected a non-negative integer without leading zeros at character 54 of 118: '...False, 'shape': (2, x), }'"),
                Arguments.of("version 9", npy(9, "{}", 128, 0), "version 9.0 is not supported"),
                Arguments.of("version 1.1", header(1, 1, V1 + "\n", 6), "version 1.1 is not supported"),
                // The audit's case: wgan read '<f4' (4, 50) from this, NumPy '<f8' (2, 50), since in Python the last of a repeated key wins.
                Arguments.of("repeated keys", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 50), 'descr': '<f8', 'shape': (2, 50), }", 128, 200),
                        "has 'descr' twice"),
                Arguments.of("unknown key", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1, }", 128, 6), "has the key 'x'"),
                Arguments.of("no dict", npy(1, "'descr': '<f4'", 128, 6), "expected the dict's '{' at character 0"),
                Arguments.of("(5) is not a tuple", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6), }", 128, 6), "(n) is a number in Python"),
                Arguments.of("two commas", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,, 3), }", 128, 6), "expected a non-negative integer"),
                Arguments.of("no comma", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2 3), }", 128, 6), "expected ',' or ')' in the shape"),
                Arguments.of("negative dimension", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-6,), }", 128, 6), "non-negative integer"),
                Arguments.of("leading zero", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (06,), }", 128, 6), "without leading zeros"),
                Arguments.of("dimension over 2^31", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2147483648,), }", 128, 6), "at most 2147483647"),
                Arguments.of("values over a Java array", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 2), }", 128, 6),
                        "more values than a Java array holds"),
                Arguments.of("65 dimensions", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1, ".repeat(65) + "), }", 512, 1),
                        "at most 64 dimensions"),
                Arguments.of("fortran_order not a bool", npy(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3), }", 128, 6), "True or False"),
                Arguments.of("escape in a string", npy(1, "{'descr': '<\\x66\\x34', 'fortran_order': False, 'shape': (2, 3), }", 128, 6), "escapes"),
                Arguments.of("unterminated string", header(1, 0, "{'descr': '<f4\n", 6), "expected the end of the string (escapes and newlines"),
                Arguments.of("two dicts", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }{}", 128, 6), "spaces and a final newline"),
                Arguments.of("no final newline", header(1, 0, V1 + "  ", 6), "spaces and a final newline"),
                Arguments.of("tab", npy(1, "{'descr':\t'<f4', 'fortran_order': False, 'shape': (2, 3), }", 128, 6), "expected the descr string"),
                Arguments.of("header over NumPy's limit", header(2, 0, V1 + " ".repeat(10_000) + "\n", 6), "over NumPy's limit of 10000 bytes"),
                Arguments.of("truncated header", Arrays.copyOf(npy(1, V1, 128, 6), 60), "truncated in the .npy header"),
                Arguments.of("truncated length", Arrays.copyOf(npy(2, V1, 128, 6), 9), "truncated in the .npy header"),
                // The audit's case: a latent file that declares 600,000,000 values (2.4 GB) was a stack trace.
                Arguments.of("shape far beyond the data", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (12000000, 50), }", 128, 50),
                        "truncated: shape (12000000, 50) needs 2400000000 bytes of data but the file holds 200"));
    }

    static Stream<Arguments> validHeaders() {
        return Stream.of(
                Arguments.of("keys in another order", "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}"),
                Arguments.of("double quotes", "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}"),
                Arguments.of("trailing comma in the shape", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3,), }"),
                Arguments.of("no spaces", "{'descr':'<f4','fortran_order':False,'shape':(2,3)}"),
                Arguments.of("leading spaces", "  { 'descr' : '<f4' , 'fortran_order' : False , 'shape' : ( 2 , 3 ) }"));
    }

    /** Headers NumPy's reader takes that wgan's writer never makes; aligned to 16 bytes, as NumPy before 64-byte alignment wrote them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("validHeaders")
    void readsOtherValidHeaders(String name, String dict) throws IOException {
        Path file = dir.resolve("ok.npy");
        int total = (10 + dict.length() + 1 + 15) / 16 * 16;
        Files.write(file, npy(1, dict, total, 6));
        Tensor t = Npy.read(file);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.data());
    }

    /** A file may declare only data it holds, and hold only what fits in memory: 8 GB over a 4 GB test heap, in a sparse file. */
    @Test
    void refusesAnArrayLargerThanMemoryWithTheFigures() throws IOException {
        assumeTrue(Runtime.getRuntime().maxMemory() < 8_000_000_000L, "a heap smaller than the array");
        Path file = dir.resolve("huge.npy");
        byte[] head = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (40000000, 50), }", 128, 0);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(head);
            f.setLength(head.length + 8_000_000_000L);
        }
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file + ": its 2000000000 values need 8000.0 MB of memory but this JVM has "), e.getMessage());
        try (Npy.Reader reader = Npy.open(file)) {
            assertArrayEquals(new int[] {40_000_000, 50}, reader.shape());
            float[] first = new float[3];
            reader.read(first, 0, 3);
            assertArrayEquals(new float[3], first, "the sparse file's zeros, read in pieces");
        }
    }

    /** Values written in pieces make the same file as the array written whole. */
    @Test
    void writesInPieces() throws IOException {
        float[] v = new float[70_000];
        for (int i = 0; i < v.length; i++) v[i] = i * 0.5f;
        Path whole = dir.resolve("whole.npy"), pieces = dir.resolve("pieces.npy");
        Npy.write(whole, Tensor.of(v, 7, 10_000));
        Npy.write(pieces, new int[] {7, 10_000}, out -> {
            for (int row = 0; row < 7; row++) out.write(Arrays.copyOfRange(v, row * 10_000, (row + 1) * 10_000));
        });
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(pieces));
        assertThrows(IllegalStateException.class, () -> Npy.write(dir.resolve("short.npy"), new int[] {2}, out -> out.write(new float[1])));
        assertThrows(IllegalStateException.class, () -> Npy.write(dir.resolve("long.npy"), new int[] {2}, out -> out.write(new float[3])));
        assertTrue(Files.notExists(dir.resolve("short.npy")) && Files.notExists(dir.resolve("long.npy")), "nothing left of a failed write");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsWithAClearMessage(String name, byte[] bytes, String expected) throws IOException {
        Path file = dir.resolve("bad.npy");
        Files.write(file, bytes);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().length() < file.toString().length() + 300, "a short message");
    }

    private static final String V1 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

    /** A .npy file whose header is exactly {@code text}, then {@code floats} values 0, 1, 2... */
    private static byte[] header(int major, int minor, String text, int floats) {
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + text.length() + 4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor});
        if (major == 1) b.putShort((short) text.length()); else b.putInt(text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < floats; i++) b.putFloat(i);
        return b.array();
    }

    /** A .npy file: {@code header} padded with spaces and a newline to {@code total} header bytes, then {@code floats} values 0, 1, 2... */
    private static byte[] npy(int major, String header, int total, int floats) {
        int lengthBytes = major == 1 ? 2 : 4;
        return header(major, 0, header + " ".repeat(total - 6 - 2 - lengthBytes - header.length() - 1) + "\n", floats);
    }
}
