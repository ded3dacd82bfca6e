package wgan.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.tensor.Tensor;

class SampleGridTest {

    @TempDir
    Path dir;

    /** The mapping the class promises: round((x + 1) * 127.5), clamped. */
    private static int level(float x) {
        return (int) Math.max(0, Math.min(255, Math.round((x + 1.0) * 127.5)));
    }

    private static Tensor random(SplittableRandom rnd, int n, int h, int w, int c) {
        float[] v = new float[n * h * w * c];
        // Slightly beyond [-1, 1] so clamping is exercised.
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextDouble() * 2.4 - 1.2);
        return Tensor.of(v, n, h, w, c);
    }

    static Stream<Arguments> grids() {
        return Stream.of(Arguments.of(1, 10, 10, 100, 28, 1), Arguments.of(2, 3, 4, 10, 5, 1), Arguments.of(3, 2, 2, 3, 4, 3),
                Arguments.of(4, 1, 5, 5, 7, 3));
    }

    @ParameterizedTest(name = "seed {0}: {1}x{2} grid of {3} images {4}x{4}x{5}")
    @MethodSource("grids")
    void gridPixelsAreTheMappedValuesWithGreyBorders(int seed, int rows, int cols, int n, int size, int c) throws IOException {
        Tensor images = random(new SplittableRandom(seed), n, size, size, c);
        Path png = dir.resolve("grid.png");
        SampleGrid.write(png, images, rows, cols);
        BufferedImage img = ImageIO.read(png.toFile());
        int b = SampleGrid.BORDER;
        assertEquals(b + cols * (size + b), img.getWidth());
        assertEquals(b + rows * (size + b), img.getHeight());
        Raster r = img.getRaster();
        assertEquals(c, r.getNumBands());
        for (int i = 0; i < rows * cols; i++) {
            int x0 = b + (i % cols) * (size + b), y0 = b + (i / cols) * (size + b);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int k = 0; k < c; k++) {
                        int expected = i < n ? level(images.data()[((i * size + y) * size + x) * c + k]) : 128;
                        assertEquals(expected, r.getSample(x0 + x, y0 + y, k), "image " + i + " at " + x + "," + y + " band " + k);
                    }
                }
            }
            assertEquals(128, r.getSample(x0 - 1, y0 - 1, 0), "border before cell " + i);
        }
    }

    @Test
    void mapsKnownValues() throws IOException {
        float[] v = {-1f, 1f, 0f, -0.5f, 2f, -3f, Float.NaN, 0.999f};
        Path png = dir.resolve("known.png");
        SampleGrid.write(png, Tensor.of(v, 1, 2, 4, 1), 1, 1);
        int[] got = ImageIO.read(png.toFile()).getRaster().getPixels(SampleGrid.BORDER, SampleGrid.BORDER, 4, 2, (int[]) null);
        assertArrayEquals(new int[] {0, 255, 128, 64, 255, 0, 0, 255}, got);
    }

    @Test
    void writesEachImageToItsOwnFile() throws IOException {
        Tensor images = random(new SplittableRandom(7), 12, 6, 5, 1);
        List<Path> files = SampleGrid.writeEach(dir.resolve("each"), "sample_", images);
        assertEquals(12, files.size());
        assertEquals("sample_00.png", files.get(0).getFileName().toString());
        assertEquals("sample_11.png", files.get(11).getFileName().toString());
        for (int i = 0; i < 12; i++) {
            BufferedImage img = ImageIO.read(files.get(i).toFile());
            int[] expected = new int[30];
            for (int k = 0; k < 30; k++) expected[k] = level(images.data()[i * 30 + k]);
            assertArrayEquals(expected, img.getRaster().getPixels(0, 0, 5, 6, (int[]) null), "image " + i);
        }
    }

    /** A set written in parts has the files, names and pixels of the set written whole. */
    @Test
    void writesASetInParts() throws IOException {
        Tensor images = random(new SplittableRandom(8), 12, 3, 2, 3);
        List<Path> whole = SampleGrid.writeEach(dir.resolve("whole"), "s", images);
        List<Path> parts = new java.util.ArrayList<>();
        for (int first = 0; first < 12; first += 5) {
            int n = Math.min(5, 12 - first);
            Tensor part = Tensor.of(java.util.Arrays.copyOfRange(images.data(), first * 18, (first + n) * 18), n, 3, 2, 3);
            parts.addAll(SampleGrid.writeEach(dir.resolve("parts"), "s", part, first, 12));
        }
        assertEquals(whole.stream().map(Path::getFileName).toList(), parts.stream().map(Path::getFileName).toList());
        for (int i = 0; i < 12; i++) assertArrayEquals(Files.readAllBytes(whole.get(i)), Files.readAllBytes(parts.get(i)), "image " + i);
        assertThrows(IllegalArgumentException.class, () -> SampleGrid.writeEach(dir.resolve("x"), "s", images, 1, 12), "13 of 12");
    }

    @Test
    void rejectsWhatItCannotDraw() {
        Path png = dir.resolve("x.png");
        assertThrows(IllegalArgumentException.class, () -> SampleGrid.write(png, Tensor.zeros(5, 4, 4, 1), 2, 2), "5 images in 4 cells");
        assertThrows(IllegalArgumentException.class, () -> SampleGrid.write(png, Tensor.zeros(1, 4, 4, 2), 1, 1), "2 channels");
        assertThrows(IllegalArgumentException.class, () -> SampleGrid.write(png, Tensor.zeros(4, 4, 1), 1, 1), "rank 3");
    }
}
