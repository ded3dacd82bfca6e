package wgan.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
                Arguments.of("no shape", npy(1, "{'descr': '<f4', 'fortran_order': False}", 128, 6), "no valid 'shape'"),
                Arguments.of("bad shape", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", 128, 6), "not a tuple of integers"),
                Arguments.of("version 9", npy(9, "{}", 128, 0), "version 9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsWithAClearMessage(String name, byte[] bytes, String expected) throws IOException {
        Path file = dir.resolve("bad.npy");
        Files.write(file, bytes);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }

    /** A .npy file: {@code header} padded with spaces and a newline to {@code total} header bytes, then {@code floats} values 0, 1, 2... */
    private static byte[] npy(int major, String header, int total, int floats) {
        int lengthBytes = major == 1 ? 2 : 4;
        String padded = header + " ".repeat(total - 6 - 2 - lengthBytes - header.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total + 4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) b.putShort((short) padded.length()); else b.putInt(padded.length());
        b.put(padded.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < floats; i++) b.putFloat(i);
        return b.array();
    }
}
