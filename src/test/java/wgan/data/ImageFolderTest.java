package wgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.data.ImageFolder.Color;
import wgan.kernels.Parallel;
import wgan.tensor.Tensor;

/**
 * A generated folder, loaded at size 4. Sorted, the decodable files are: 0 a_red.png, 1 b_wide.png,
 * 2 c_tall.png, 3 f_gray.png, 4 sub/g_gradient.JPG; e_bad.png is random bytes, h_truncated.png
 * half a PNG, and notes.txt is not an image name.
 */
class ImageFolderTest {
    static final int SIZE = 4;
    static final Consumer<String> NO_WARNINGS = w -> fail("unexpected warning: " + w);
    /** JPEG (quality 0.75) of a smooth gradient decodes to within a few of the 0..255 levels. */
    static final float JPEG_LEVELS = 6;

    @TempDir
    Path dir;

    final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void makeFolder() throws IOException {
        write(rgb(10, 10, (x, y) -> 0xFF0000), "png", dir.resolve("a_red.png"));
        // 12 wide, 4 high: the centre square is columns 4..7, already 4x4, so no resampling.
        write(rgb(12, 4, (x, y) -> argb(20 * x, 10 * y, 100)), "png", dir.resolve("b_wide.png"));
        // 3 wide, 7 high: the centre square is rows 2..4, resized 3 -> 4.
        write(rgb(3, 7, (x, y) -> argb(30 * y + 10 * x, 7, 200)), "png", dir.resolve("c_tall.png"));
        byte[] junk = new byte[500];
        new Random(3).nextBytes(junk);
        Files.write(dir.resolve("e_bad.png"), junk);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        byte[] png = Files.readAllBytes(dir.resolve("b_wide.png"));
        Files.write(dir.resolve("h_truncated.png"), Arrays.copyOf(png, png.length / 2));
        write(gray(4, 4, (x, y) -> 10 * x + 60 * y), "png", dir.resolve("f_gray.png"));
        Files.createDirectory(dir.resolve("sub"));
        // 32 wide, 16 high: the centre square is columns 8..23, resized 16 -> 4.
        write(rgb(32, 16, (x, y) -> argb(8 * x, 60, 60)), "jpg", dir.resolve("sub/g_gradient.JPG"));
    }

    static int argb(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }

    static BufferedImage rgb(int w, int h, IntBinaryOperator rgbAt) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) image.setRGB(x, y, rgbAt.applyAsInt(x, y));
        return image;
    }

    /** A one-channel image whose raster holds exactly {@code valueAt}. */
    static BufferedImage gray(int w, int h, IntBinaryOperator valueAt) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) image.getRaster().setSample(x, y, 0, valueAt.applyAsInt(x, y));
        return image;
    }

    static void write(BufferedImage image, String format, Path file) throws IOException {
        if (!ImageIO.write(image, format, file.toFile())) throw new IOException("no " + format + " writer");
    }

    /** Value (0..255 scale) of image i, pixel (row, col), channel c. */
    static float at(Tensor t, int i, int row, int col, int c) {
        return t.data()[((i * t.dim(1) + row) * t.dim(2) + col) * t.dim(3) + c] * 127.5f + 127.5f;
    }

    /** Source coordinate of output o for a 3 -> 4 resize: (o + 0.5) * 3 / 4 - 0.5, clamped to [0, 2]. */
    static double source3to4(int o) {
        return Math.min(Math.max((o + 0.5) * 0.75 - 0.5, 0), 2);
    }

    @Test
    void loadsDecodableImagesInSortedOrderAndWarnsOnceAboutTheRest() throws IOException {
        Tensor t = ImageFolder.load(dir, SIZE, Color.RGB, warnings::add);
        assertArrayEquals(new int[] {5, SIZE, SIZE, 3}, t.shape());
        assertEquals(1, warnings.size(), warnings.toString());
        String expected = "skipped 2 of 7 image files under " + dir.toAbsolutePath() + " that could not be decoded: "
                + "e_bad.png (not an image format javax.imageio can read), h_truncated.png (";
        assertTrue(warnings.get(0).startsWith(expected), warnings.get(0));
    }

    @Test
    void cropsTheCentreSquareAndResizesIt() throws IOException {
        Tensor t = ImageFolder.load(dir, SIZE, Color.RGB, warnings::add);
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                String where = " at " + row + "," + col;
                assertArrayEquals(new float[] {255, 0, 0}, rgbAt(t, 0, row, col), 1e-4f, "red square" + where);
                assertArrayEquals(new float[] {20 * (col + 4), 10 * row, 100}, rgbAt(t, 1, row, col), 1e-4f, "wide image" + where);
                float tallRed = (float) (30 * (source3to4(row) + 2) + 10 * source3to4(col));
                assertArrayEquals(new float[] {tallRed, 7, 200}, rgbAt(t, 2, row, col), 1e-3f, "tall image" + where);
                // 16 -> 4 samples the crop at 1.5, 5.5, 9.5, 13.5: red 8 * (8 + 4 * col + 1.5).
                assertArrayEquals(new float[] {8 * (9.5f + 4 * col), 60, 60}, rgbAt(t, 4, row, col), JPEG_LEVELS, "JPEG" + where);
            }
        }
    }

    private static float[] rgbAt(Tensor t, int i, int row, int col) {
        return new float[] {at(t, i, row, col, 0), at(t, i, row, col, 1), at(t, i, row, col, 2)};
    }

    @Test
    void grayFilesKeepTheirValues() throws IOException {
        Tensor rgb = ImageFolder.load(dir, SIZE, Color.RGB, warnings::add);
        Tensor gray = ImageFolder.load(dir, SIZE, Color.GRAY, warnings::add);
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                float v = 10 * col + 60 * row;
                assertArrayEquals(new float[] {v, v, v}, rgbAt(rgb, 3, row, col), 1e-4f, "gray file as RGB at " + row + "," + col);
                assertEquals(v, at(gray, 3, row, col, 0), 1e-4f, "gray file as gray at " + row + "," + col);
            }
        }
    }

    @Test
    void colourFilesBecomeGrayByBt601Weights() throws IOException {
        Tensor t = ImageFolder.load(dir, SIZE, Color.GRAY, warnings::add);
        assertArrayEquals(new int[] {5, SIZE, SIZE, 1}, t.shape());
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                assertEquals(0.299f * 255, at(t, 0, row, col, 0), 1e-3f, "red square at " + row + "," + col);
                assertEquals(0.299f * 20 * (col + 4) + 0.587f * 10 * row + 0.114f * 100, at(t, 1, row, col, 0), 1e-3f,
                        "wide image at " + row + "," + col);
            }
        }
    }

    @Test
    void resultDoesNotDependOnTheThreadCount() throws IOException {
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Tensor one = ImageFolder.load(dir, SIZE, Color.RGB, warnings::add);
            Parallel.setThreads(3);
            Tensor three = ImageFolder.load(dir, SIZE, Color.RGB, warnings::add);
            assertArrayEquals(one.data(), three.data(), 0f);
            assertEquals(warnings.get(0), warnings.get(1));
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void listsImageNamesOfAnyCaseRecursivelyInSortedOrder() throws IOException {
        List<String> names = ImageFolder.list(dir).stream()
                .map(p -> dir.relativize(p).toString().replace('\\', '/')).toList();
        assertEquals(List.of("a_red.png", "b_wide.png", "c_tall.png", "e_bad.png", "f_gray.png", "h_truncated.png", "sub/g_gradient.JPG"), names);
    }

    @Test
    void byteCacheBatchesMatchTheFloatPath() throws IOException {
        Tensor floats = ImageFolder.load(dir, SIZE, Color.RGB, warnings::add);
        ByteImages bytes = ImageFolder.loadBytes(dir, SIZE, Color.RGB, warnings::add);
        assertEquals(5, bytes.count());
        int per = SIZE * SIZE * 3;
        int[] order = {4, 0, 2, 2};
        Tensor batch = bytes.batch(order);
        assertArrayEquals(new int[] {4, SIZE, SIZE, 3}, batch.shape());
        for (int j = 0; j < order.length; j++) {
            for (int k = 0; k < per; k++) {
                float fromBytes = batch.data()[j * per + k] * 127.5f + 127.5f;
                float exact = floats.data()[order[j] * per + k] * 127.5f + 127.5f;
                String what = "batch image " + j + " (file " + order[j] + ") value " + k;
                assertEquals(Math.round(fromBytes), fromBytes, 1e-3f, what + " is a byte");
                assertEquals(exact, fromBytes, 0.5f + 1e-3f, what + " is the float path's, rounded");
            }
        }
        assertArrayEquals(bytes.batch(new int[] {0, 1, 2, 3, 4}).data(), bytes.all().data(), 0f);
    }

    @Test
    void byteBatchRejectsAnIndexOutOfRange() throws IOException {
        ByteImages bytes = ImageFolder.loadBytes(dir, SIZE, Color.GRAY, warnings::add);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> bytes.batch(new int[] {0, 5}));
        assertEquals("image 5 of 5", e.getMessage());
    }

    @Test
    void aFolderWithoutImageFilesIsAnError(@TempDir Path empty) throws IOException {
        Files.writeString(empty.resolve("readme.txt"), "no images");
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(empty, SIZE, Color.RGB, NO_WARNINGS));
        assertEquals("no .jpg, .jpeg and .png files (any case, in subfolders too) under " + empty.toAbsolutePath(), e.getMessage());
    }

    @Test
    void aMissingFolderIsAnError() {
        Path missing = dir.resolve("faces");
        IOException e = assertThrows(IOException.class, () -> ImageFolder.loadBytes(missing, SIZE, Color.RGB, NO_WARNINGS));
        assertEquals("image folder " + missing.toAbsolutePath() + " does not exist; expected a folder of .jpg, .jpeg and .png files"
                + " (any case, in subfolders too)", e.getMessage());
    }

    @Test
    void aFolderWhereNothingDecodesIsAnError(@TempDir Path bad) throws IOException {
        Files.writeString(bad.resolve("x.jpg"), "not a JPEG");
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(bad, SIZE, Color.RGB, NO_WARNINGS));
        assertEquals("none of the 1 image files under " + bad.toAbsolutePath()
                + " could be decoded: x.jpg (not an image format javax.imageio can read)", e.getMessage());
    }
}
