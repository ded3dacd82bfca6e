package wgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.io.FileFormatException;

class IdxTest {

    private static final String HELP = "It should come from the test.";

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return IntStream.range(0, 8).mapToObj(seed -> Arguments.of(seed, seed % 2 == 0));
    }

    @ParameterizedTest(name = "seed {0} gzip {1}")
    @MethodSource("cases")
    void readsBackWhatWasWritten(int seed, boolean gzip) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        int count = rnd.nextInt(1, 20), rows = rnd.nextInt(1, 9), cols = rnd.nextInt(1, 9);
        byte[] pixels = new byte[count * rows * cols];
        byte[] labels = new byte[count];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) rnd.nextInt(256);
        for (int i = 0; i < count; i++) labels[i] = (byte) rnd.nextInt(10);
        byte[] imageContent = IdxFiles.images(count, rows, cols, pixels);
        // Names that say nothing about compression: gzip must be recognised by content.
        Path imagesFile = Files.write(dir.resolve("images.bin"), gzip ? IdxFiles.gzip(imageContent) : imageContent);
        Path labelsFile = Files.write(dir.resolve("labels.bin"), gzip ? IdxFiles.gzip(IdxFiles.labels(labels)) : IdxFiles.labels(labels));

        Idx.Images images = Idx.readImages(imagesFile, HELP);
        assertEquals(count, images.count());
        assertEquals(rows, images.rows());
        assertEquals(cols, images.cols());
        assertArrayEquals(pixels, images.pixels());
        assertEquals(hex(imageContent), images.sha256(), "SHA-256 of the uncompressed content");
        assertArrayEquals(labels, Idx.readLabels(labelsFile, HELP).labels());
    }

    static Stream<Arguments> broken() {
        byte[] good = IdxFiles.images(3, 2, 2, new byte[12]);
        return Stream.of(
                Arguments.of("truncated pixels", Arrays.copyOf(good, good.length - 1), "truncated", true),
                Arguments.of("truncated header", Arrays.copyOf(good, 10), "ends inside the header", true),
                Arguments.of("trailing data", Arrays.copyOf(good, good.length + 5), "5 bytes of data after", true),
                Arguments.of("labels file given as images", IdxFiles.labels(new byte[3]), "swapped", true),
                Arguments.of("wrong magic", ByteBuffer.allocate(16).putInt(0x12345678).array(), "magic number is 0x12345678", true),
                Arguments.of("negative count", ByteBuffer.allocate(16).putInt(Idx.IMAGES_MAGIC).putInt(-1).putInt(28).putInt(28).array(),
                        "negative", true),
                Arguments.of("huge count in a small file", ByteBuffer.allocate(16).putInt(Idx.IMAGES_MAGIC).putInt(1_000_000).putInt(28).putInt(28).array(),
                        "truncated", true),
                Arguments.of("no images", IdxFiles.images(0, 28, 28, new byte[0]), "image count in the header is 0", true),
                Arguments.of("no rows", IdxFiles.images(3, 0, 28, new byte[0]), "row count in the header is 0; images must be 1 to 4096", true),
                Arguments.of("no columns", IdxFiles.images(3, 28, 0, new byte[0]), "column count in the header is 0", true),
                Arguments.of("rows over the limit", IdxFiles.images(1, 65536, 1, new byte[0]), "row count in the header is 65536", true),
                // 2^24 x 4096 x 4096 wraps to 0 in a long: it must not read as an empty file.
                Arguments.of("size overflowing a long", IdxFiles.images(1 << 24, 4096, 4096, new byte[0]),
                        "16777216 images of 4096x4096 (281,474,976,710,656 bytes), more than the 1,073,741,824 bytes", true),
                Arguments.of("size over the limit", IdxFiles.images(1_400_000, 28, 28, new byte[0]),
                        "1400000 images of 28x28 (1,097,600,000 bytes), more than the 1,073,741,824 bytes (1 GiB)", true),
                Arguments.of("damaged gzip", Arrays.copyOf(IdxFiles.gzip(good), 12), "gzip", false),
                Arguments.of("gzip magic only", new byte[] {0x1f, (byte) 0x8b}, "gzip", false));
    }

    @ParameterizedTest(name = "{0}, gzip {3}")
    @MethodSource("broken")
    void brokenImageFilesNameTheFileAndTheProblem(String name, byte[] content, String expected, boolean alsoGzipped) throws IOException {
        for (boolean gzip : alsoGzipped ? new boolean[] {false, true} : new boolean[] {false}) {
            Path file = Files.write(dir.resolve("bad-images" + (gzip ? ".gz" : "")), gzip ? IdxFiles.gzip(content) : content);
            FileFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(FileFormatException.class, () -> Idx.readImages(file, HELP)));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
            assertTrue(e.getMessage().endsWith(HELP), e.getMessage());
        }
    }

    /**
     * A gzip file of a few megabytes that unpacks to gigabytes: the header, then {@code zeros}
     * zero bytes in gzip members of 1 MiB (GZIPInputStream reads concatenated members as one).
     */
    private Path gzipBomb(String name, byte[] header, long zeros) throws IOException {
        int chunk = 1 << 20;
        byte[] member = IdxFiles.gzip(new byte[chunk]);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(name)))) {
            out.write(IdxFiles.gzip(header));
            for (long k = 0; k < zeros / chunk; k++) out.write(member);
            out.write(IdxFiles.gzip(new byte[(int) (zeros % chunk)]));
        }
        return dir.resolve(name);
    }

    @Test
    void aGzipBombDeclaringMoreThanTheLimitIsRejectedBeforeItIsUnpacked() throws IOException {
        // 2,147,376,000 bytes of images, all there, in a 2 MB file.
        int count = 2_739_000;
        Path bomb = gzipBomb("bomb-images.gz", IdxFiles.images(count, 28, 28, new byte[0]), (long) count * 28 * 28);
        FileFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(FileFormatException.class, () -> Idx.readImages(bomb, HELP)));
        assertTrue(e.getMessage().startsWith(bomb + ": the header declares 2739000 images of 28x28 (2,147,376,000 bytes), more than"
                + " the 1,073,741,824 bytes (1 GiB) an IDX file may hold"), e.getMessage());

        Path labels = gzipBomb("bomb-labels.gz", ByteBuffer.allocate(8).putInt(Idx.LABELS_MAGIC).putInt(Integer.MAX_VALUE).array(), 0);
        FileFormatException l = assertThrows(FileFormatException.class, () -> Idx.readLabels(labels, HELP));
        assertTrue(l.getMessage().contains("declares 2147483647 labels (2,147,483,647 bytes), more than"), l.getMessage());
    }

    @Test
    void gigabytesOfTrailingDataAreNotUnpackedToBeCounted() throws IOException {
        Path bomb = gzipBomb("trailing.gz", IdxFiles.images(1, 2, 2, new byte[4]), 2L << 30);
        FileFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(FileFormatException.class, () -> Idx.readImages(bomb, HELP)));
        assertTrue(e.getMessage().contains("has more than 1048576 bytes of data after the 1 images of 2x2"), e.getMessage());
    }

    @Test
    void labelFileChecksItsMagic() throws IOException {
        Path file = Files.write(dir.resolve("labels"), IdxFiles.images(1, 1, 1, new byte[1]));
        FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.readLabels(file, HELP));
        assertTrue(e.getMessage().contains("not an IDX label file"), e.getMessage());
    }

    @Test
    void missingFileSaysWhereItShouldComeFrom() {
        Path file = dir.resolve("nope.gz");
        FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.readLabels(file, HELP));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().endsWith(HELP), e.getMessage());
    }

    static String hex(byte[] content) {
        java.security.MessageDigest d = Sha256.newDigest();
        d.update(content);
        return Sha256.hex(d);
    }
}
