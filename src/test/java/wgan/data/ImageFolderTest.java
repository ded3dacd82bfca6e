package wgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.ThreadMXBean;
import java.awt.Rectangle;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
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

    /** Pixel (x, y) of the translucent test images: opaque in column 0, transparent in 1, alpha 51/255 in 2 and 3. */
    static int opacityAt(int x) {
        return x == 0 ? 255 : x == 1 ? 0 : 51;
    }

    @Test
    void translucentPixelsAreCompositedOverWhite(@TempDir Path folder) throws IOException {
        BufferedImage rgba = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_ARGB);
        // Transparent pixels store black, which dropping alpha would show.
        for (int y = 0; y < SIZE; y++)
            for (int x = 0; x < SIZE; x++) rgba.setRGB(x, y, (opacityAt(x) << 24) | (x == 1 ? 0 : argb(200, 100, 0)));
        write(rgba, "png", folder.resolve("a_rgba.png"));
        ColorModel grayAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        BufferedImage gray = new BufferedImage(grayAlpha, grayAlpha.createCompatibleWritableRaster(SIZE, SIZE), false, null);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                gray.getRaster().setSample(x, y, 0, x == 1 ? 0 : 100);
                gray.getRaster().setSample(x, y, 1, opacityAt(x));
            }
        }
        write(gray, "png", folder.resolve("b_gray_alpha.png"));
        Tensor t = ImageFolder.load(folder, SIZE, Color.RGB, NO_WARNINGS);
        for (int row = 0; row < SIZE; row++) {
            String where = " at " + row;
            assertArrayEquals(new float[] {200, 100, 0}, rgbAt(t, 0, row, 0), 1e-4f, "opaque" + where);
            assertArrayEquals(new float[] {255, 255, 255}, rgbAt(t, 0, row, 1), 1e-4f, "transparent" + where);
            // 0.2 * v + 0.8 * 255
            assertArrayEquals(new float[] {244, 224, 204}, rgbAt(t, 0, row, 2), 1e-3f, "alpha 0.2" + where);
            assertArrayEquals(new float[] {100, 100, 100}, rgbAt(t, 1, row, 0), 1e-4f, "opaque gray" + where);
            assertArrayEquals(new float[] {255, 255, 255}, rgbAt(t, 1, row, 1), 1e-4f, "transparent gray" + where);
            assertArrayEquals(new float[] {224, 224, 224}, rgbAt(t, 1, row, 3), 1e-3f, "gray, alpha 0.2" + where);
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

    @Test
    void imagesDeclaringMorePixelsThanTheLimitAreSkippedUnread(@TempDir Path folder) throws IOException {
        byte[] png = ImageFiles.encode(rgb(2, 2, (x, y) -> 0x336699), "png");
        Files.write(folder.resolve("a_ok.png"), png);
        // A few hundred bytes each, declaring 400 megapixels: decoded, 1.2 GB and more.
        Files.write(folder.resolve("b_bomb.png"), ImageFiles.withPngSize(png, 20000, 20000));
        byte[] jpeg = ImageFiles.encode(rgb(16, 16, (x, y) -> 0x336699), "jpg");
        Files.write(folder.resolve("c_bomb.jpg"), ImageFiles.withJpegSize(jpeg, 20000, 20000));
        Files.write(folder.resolve("d_cut.png"), Arrays.copyOf(png, 30));
        ByteImages images = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ImageFolder.loadBytes(folder, SIZE, Color.RGB, warnings::add));
        assertEquals(1, images.count());
        assertEquals(1, warnings.size(), warnings.toString());
        String expected = "skipped 3 of 4 image files under " + folder.toAbsolutePath()
                + ": 1 could not be decoded, 2 have too many pixels: "
                + "b_bomb.png (20000x20000 pixels, more than the 268,435,456 (or 65,535 a side) an image may have), "
                + "c_bomb.jpg (20000x20000 pixels, more than the 268,435,456 (or 65,535 a side) an image may have), d_cut.png (";
        assertTrue(warnings.get(0).startsWith(expected), warnings.get(0));
    }

    @Test
    void aLargeImageIsDecodedSubsampledInBoundedMemory(@TempDir Path folder) throws IOException {
        // 12000 x 8400, 101 megapixels: its centre square (columns 1800 to 10199) is 200, the rest 0.
        byte[] row = new byte[12_000];
        Arrays.fill(row, 1800, 1800 + 8400, (byte) 200);
        Files.write(folder.resolve("large.png"), ImageFiles.grayPng(row, 8400));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        // A single file is decoded on the calling thread, so all its allocations are counted here.
        Tensor t = ImageFolder.load(folder, 64, Color.RGB, NO_WARNINGS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        for (float v : t.data()) assertEquals(ByteImages.toUnit(200), v, 0f);
        // Every second row and column of the square is decoded, 4200 x 4200 bytes. Decoded in full,
        // with an int and three floats per pixel of the square to resize, it took 1.2 GB.
        assertTrue(allocated < 50_000_000, allocated + " bytes allocated");
    }

    @Test
    void imagesUpToTheThresholdDecodeInFullAndLargerOnesTheirCentreSquareSubsampled() throws IOException {
        assertPlan(8192, 8192, 64, null, 1, 8192 * 8192);
        // The centre square alone fits.
        assertPlan(8193, 8192, 64, new Rectangle(0, 0, 8192, 8192), 1, 8192 * 8192);
        assertPlan(16_000, 12_000, 64, new Rectangle(2000, 0, 12_000, 12_000), 2, 6000 * 6000);
        assertPlan(16_384, 16_384, 64, new Rectangle(0, 0, 16_384, 16_384), 2, 8192 * 8192);
        // The model's size wins over the memory bound: never fewer decoded pixels a side than it.
        assertPlan(16_384, 16_384, 10_000, new Rectangle(0, 0, 16_384, 16_384), 1, 16_384 * 16_384);
        assertThrows(ImageFolder.TooLargeException.class, () -> ImageFolder.plan(16_385, 16_384, 64, new ImageReadParam()));
        assertThrows(ImageFolder.TooLargeException.class, () -> ImageFolder.plan(65_535, 65_535, 64, new ImageReadParam()));
        // Within the pixel count, but the PNG decoder would allocate rows of 2^28 pixels.
        assertThrows(ImageFolder.TooLargeException.class, () -> ImageFolder.plan(1 << 28, 1, 64, new ImageReadParam()));
        assertPlan(65_535, 4096, 64, new Rectangle(30_719, 0, 4096, 4096), 1, 4096 * 4096);
    }

    private static void assertPlan(int width, int height, int size, Rectangle region, int step, int decoded) throws IOException {
        ImageReadParam param = new ImageReadParam();
        String what = width + "x" + height + " at size " + size;
        assertEquals(decoded, ImageFolder.plan(width, height, size, param), what);
        assertEquals(region, param.getSourceRegion(), what);
        assertEquals(step, param.getSourceXSubsampling(), what);
        assertEquals(step, param.getSourceYSubsampling(), what);
    }

    /** Images of every kind javax.imageio decodes to, with random pixels. */
    static BufferedImage randomImage(int type, int width, int height, SplittableRandom rnd) {
        BufferedImage image = new BufferedImage(width, height, type);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int b = 0; b < raster.getNumBands(); b++) {
                    raster.setSample(x, y, b, rnd.nextInt(1 << raster.getSampleModel().getSampleSize(b)));
                }
        return image;
    }

    /** The centre square, every pixel of it as floats, resized by Resize.bilinear: what square() must equal. */
    static float[] wholeSquareResized(BufferedImage image, int size, Color color) {
        int side = Math.min(image.getWidth(), image.getHeight());
        int x0 = (image.getWidth() - side) / 2, y0 = (image.getHeight() - side) / 2;
        boolean gray = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(image.getColorModel() instanceof IndexColorModel);
        float max = (1 << image.getSampleModel().getSampleSize(0)) - 1;
        float[] pixels = new float[side * side * color.channels];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int at = (y * side + x) * color.channels;
                int argb = image.getRGB(x0 + x, y0 + y);
                float alpha = (argb >>> 24) / 255f;
                float[] rgb = {(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF};
                for (int c = 0; c < 3; c++) rgb[c] = alpha * rgb[c] + (1 - alpha) * 255;
                if (gray) {
                    Arrays.fill(pixels, at, at + color.channels, image.getRaster().getSample(x0 + x, y0 + y, 0) * 255f / max);
                } else if (color == Color.GRAY) {
                    pixels[at] = 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
                } else {
                    System.arraycopy(rgb, 0, pixels, at, 3);
                }
            }
        }
        return Resize.bilinear(Tensor.of(pixels, 1, side, side, color.channels), size, size).data();
    }

    @Test
    void readingOnlyTheSampledPixelsGivesTheSameBitsAsResizingTheWholeSquare() {
        int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY,
            BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_BYTE_BINARY};
        SplittableRandom rnd = new SplittableRandom(5);
        for (int type : types) {
            for (int k = 0; k < 4; k++) {
                BufferedImage image = randomImage(type, rnd.nextInt(1, 90), rnd.nextInt(1, 90), rnd);
                for (int size : new int[] {1, 3, 4, 16, 64}) {
                    for (Color color : Color.values()) {
                        String what = "type " + type + " " + image.getWidth() + "x" + image.getHeight() + " to " + size + " " + color;
                        assertArrayEquals(wholeSquareResized(image, size, color), ImageFolder.square(image, size, color), what);
                    }
                }
            }
        }
    }

    @Test
    void filesUpToTheThresholdDecodeToTheSamePixelsAsImageIoRead(@TempDir Path folder) throws IOException {
        SplittableRandom rnd = new SplittableRandom(6);
        for (String format : new String[] {"png", "jpg"}) {
            for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_GRAY}) {
                Path file = folder.resolve("image." + format);
                write(randomImage(type, rnd.nextInt(1, 300), rnd.nextInt(1, 300), rnd), format, file);
                try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
                    float[] expected = ImageFolder.square(ImageIO.read(file.toFile()), 64, Color.RGB);
                    assertArrayEquals(expected, ImageFolder.readSquare(in, 64, Color.RGB), format + " type " + type);
                }
            }
        }
    }

    @Test
    void anUncheckedExceptionFromTheDecoderSkipsTheFile() throws IOException {
        byte[] png = ImageFiles.encode(rgb(40, 30, (x, y) -> argb(x, y, 9)), "png");
        // A stream that fails past the header the way a decoder fails on a damaged file; the PNG
        // decoder passes an IllegalArgumentException on as it is.
        ImageInputStream failing = new MemoryCacheImageInputStream(new ByteArrayInputStream(png)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (getStreamPosition() > 40) throw new IllegalArgumentException("damaged");
                return super.read(b, off, len);
            }
        };
        IOException e = assertThrows(IOException.class, () -> ImageFolder.readSquare(failing, SIZE, Color.RGB));
        assertEquals("damaged", e.getMessage());
        assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
    }

    @Test
    void aJpegTooShortForThePixelsItDeclaresIsSkippedUndecoded(@TempDir Path folder) throws IOException {
        // 8000 x 8000 is within the limits, but the decoder would spend seconds filling 64 megapixels with gray.
        byte[] jpeg = ImageFiles.encode(rgb(16, 16, (x, y) -> 0x336699), "jpg");
        Files.write(folder.resolve("a_ok.jpg"), jpeg);
        Files.write(folder.resolve("b_forged.jpg"), ImageFiles.withJpegSize(jpeg, 8000, 8000));
        ByteImages images = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> ImageFolder.loadBytes(folder, SIZE, Color.RGB, warnings::add));
        assertEquals(1, images.count());
        assertEquals(List.of("skipped 1 of 2 image files under " + folder.toAbsolutePath() + " that could not be decoded: b_forged.jpg"
                + " (declares 8000x8000 pixels, more than a JPEG file of " + jpeg.length + " bytes holds (at most 512 pixels a byte):"
                + " truncated or forged)"), warnings);
    }
}
