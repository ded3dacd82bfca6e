package wgan.io;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import wgan.tensor.Tensor;

/**
 * PNG images of generated samples: a grid of many, or one file each. Input is an NHWC tensor with
 * 1 (grey) or 3 (RGB) channels and values in [-1, 1], the generator's tanh range; a value x becomes
 * the byte round((x + 1) * 127.5), clamped to [0, 255].
 */
public final class SampleGrid {

    /** Pixels between cells and around the grid. */
    public static final int BORDER = 2;
    /** Mid grey: visible against both the black background of MNIST digits and white strokes. */
    private static final int BORDER_LEVEL = 128;

    static {
        // ImageIO's default disk cache registers a JVM shutdown hook per stream, which throws once a
        // shutdown has begun: a PNG written while a run checkpoints on Ctrl-C would then fail.
        // The images are small, so memory is the better cache anyway.
        ImageIO.setUseCache(false);
    }

    private SampleGrid() {}

    /** Writes the first images of {@code images} row by row into a {@code rows} x {@code cols} grid; missing cells stay border grey. */
    public static void write(Path png, Tensor images, int rows, int cols) throws IOException {
        int n = count(images);
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("grid " + rows + "x" + cols + " is empty");
        if (n > rows * cols) throw new IllegalArgumentException(n + " images do not fit in a " + rows + "x" + cols + " grid");
        int h = images.dim(1), w = images.dim(2), c = images.dim(3);
        BufferedImage grid = new BufferedImage(BORDER + cols * (w + BORDER), BORDER + rows * (h + BORDER),
                c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = grid.getRaster();
        // Row by row: one int per sample of the whole grid would be four times the image itself.
        int[] borderRow = new int[grid.getWidth() * c];
        Arrays.fill(borderRow, BORDER_LEVEL);
        for (int y = 0; y < grid.getHeight(); y++) raster.setPixels(0, y, grid.getWidth(), 1, borderRow);
        for (int i = 0; i < n; i++) {
            raster.setPixels(BORDER + (i % cols) * (w + BORDER), BORDER + (i / cols) * (h + BORDER), w, h, levels(images, i));
        }
        writePng(png, grid);
    }

    /**
     * Writes each image to {@code dir/<prefix><index>.png} (index zero-padded to the width of the
     * largest) and returns the files in order.
     */
    public static List<Path> writeEach(Path dir, String prefix, Tensor images) throws IOException {
        return writeEach(dir, prefix, images, 0, count(images));
    }

    /**
     * Writes images {@code first, first + 1, ...} of a set of {@code total} to
     * {@code dir/<prefix><index>.png} (index zero-padded to the width of the set's largest), so a
     * large set can be written a part at a time; returns the files in order.
     */
    public static List<Path> writeEach(Path dir, String prefix, Tensor images, int first, int total) throws IOException {
        int n = count(images);
        if (first < 0 || first + n > total) throw new IllegalArgumentException("images " + first + ".." + (first + n) + " of " + total);
        int h = images.dim(1), w = images.dim(2), c = images.dim(3);
        Files.createDirectories(dir);
        String format = "%s%0" + Integer.toString(Math.max(total - 1, 0)).length() + "d.png";
        List<Path> files = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
            image.getRaster().setPixels(0, 0, w, h, levels(images, i));
            Path file = dir.resolve(String.format(format, prefix, first + i));
            writePng(file, image);
            files.add(file);
        }
        return files;
    }

    private static int count(Tensor images) {
        if (images.rank() != 4 || (images.dim(3) != 1 && images.dim(3) != 3)) {
            throw new IllegalArgumentException("expected NHWC images with 1 or 3 channels, got " + images);
        }
        return images.dim(0);
    }

    /** Image {@code i} as 0..255 levels, in the raster's order (row by row, channels interleaved), which is NHWC's. */
    private static int[] levels(Tensor images, int i) {
        int size = images.dim(1) * images.dim(2) * images.dim(3);
        float[] data = images.data();
        int[] out = new int[size];
        for (int k = 0; k < size; k++) {
            // NaN rounds to 0: a diverged generator shows black, not an exception.
            out[k] = (int) Math.max(0, Math.min(255, Math.round((data[i * size + k] + 1.0) * 127.5)));
        }
        return out;
    }

    static void writePng(Path file, BufferedImage image) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this Java runtime");
        });
    }
}
