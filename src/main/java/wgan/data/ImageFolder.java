package wgan.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import wgan.kernels.Parallel;
import wgan.tensor.Tensor;

/**
 * A folder of image files (such as E4's anime faces) as a training set of square images.
 *
 * <p>Every {@code .jpg}, {@code .jpeg} and {@code .png} file under the folder, recursively, is
 * read in sorted path order, decoded with {@code javax.imageio}, centre-cropped to a square (the
 * shorter side), resized to {@code size x size} with {@link Resize#bilinear} (TF2's default,
 * what the reference code uses; it does not average when shrinking, so images far larger than
 * {@code size} alias), and converted to RGB or grayscale. A file that does not decode is skipped;
 * the skipped files are reported in one warning.
 *
 * <p>Memory stays bounded by the result: files are decoded in parallel, one image per task, and a
 * task keeps only its resized pixels, written into the result array at the file's index (so the
 * order does not depend on threads). At most one decoded full-size image per thread is alive.
 * {@link #load} keeps 4 bytes per value (63,565 RGB 64x64 images: 3.1 GB); {@link #loadBytes}
 * keeps 1 byte per value (780 MB), rounding each resized pixel to 0..255, and converts batches to
 * floats when asked. When some files are skipped, the kept images are moved down and the array
 * is trimmed, which briefly holds a second copy.
 */
public final class ImageFolder {
    private ImageFolder() {}

    /** The channels images are converted to. */
    public enum Color {
        /** One channel: 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as PIL's "L"). */
        GRAY(1),
        /** Three channels; grayscale files are repeated into all three, alpha is dropped. */
        RGB(3);

        public final int channels;

        Color(int channels) {
            this.channels = channels;
        }
    }

    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

    /** What is looked for, for messages. */
    private static final String LOOKED_FOR = ".jpg, .jpeg and .png files (any case, in subfolders too)";

    /** How many skipped files the warning names. */
    private static final int NAMED_SKIPS = 3;

    /** Writes one image's resized pixels (0..255 floats) into a result at the file's index. */
    @FunctionalInterface
    private interface Sink {
        void put(int index, float[] pixels);
    }

    /**
     * The images under {@code dir} as a tensor [n, size, size, channels] scaled to [-1, 1] as
     * (x - 127.5) / 127.5, not rounded.
     *
     * @throws IOException if the folder is missing, holds no image file, or none decodes
     */
    public static Tensor load(Path dir, int size, Color color, Consumer<String> warnings) throws IOException {
        List<Path> files = list(dir);
        int per = valuesPerImage(size, color);
        float[] data = new float[slots(files.size(), per, dir)];
        boolean[] ok = decodeAll(dir, files, size, color, warnings, (i, pixels) -> {
            for (int k = 0; k < per; k++) data[i * per + k] = ByteImages.toUnit(pixels[k]);
        });
        int kept = closeGaps(data, per, ok);
        return Tensor.of(kept == files.size() ? data : Arrays.copyOf(data, kept * per), kept, size, size, color.channels);
    }

    /**
     * The images under {@code dir} kept as bytes (each resized pixel rounded to 0..255), for
     * datasets too large to hold as floats.
     *
     * @throws IOException if the folder is missing, holds no image file, or none decodes
     */
    public static ByteImages loadBytes(Path dir, int size, Color color, Consumer<String> warnings) throws IOException {
        List<Path> files = list(dir);
        int per = valuesPerImage(size, color);
        byte[] data = new byte[slots(files.size(), per, dir)];
        boolean[] ok = decodeAll(dir, files, size, color, warnings, (i, pixels) -> {
            for (int k = 0; k < per; k++) data[i * per + k] = (byte) Math.round(pixels[k]);
        });
        int kept = closeGaps(data, per, ok);
        return new ByteImages(kept, size, size, color.channels, kept == files.size() ? data : Arrays.copyOf(data, kept * per));
    }

    private static int valuesPerImage(int size, Color color) {
        if (size < 1) throw new IllegalArgumentException("image size must be positive, got " + size);
        return size * size * color.channels;
    }

    /** How many values {@code files} images of {@code per} values need, if one array can hold them. */
    private static int slots(int files, int per, Path dir) {
        long n = (long) files * per;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(files + " images of " + per + " values under " + dir.toAbsolutePath()
                    + " are more than one Java array holds (2^31 values); use a smaller size or fewer files");
        }
        return (int) n;
    }

    /**
     * The image files under {@code dir}, recursively, sorted by their path below {@code dir} with
     * '/' between names, so every run and operating system sees the same order.
     */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("image folder " + dir.toAbsolutePath() + (Files.exists(dir) ? " is not a folder" : " does not exist")
                    + "; expected a folder of " + LOOKED_FOR);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(ImageFolder::isImageName).filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(p -> sortKey(dir, p))).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();  // an unreadable subfolder, met while walking
        }
        if (files.isEmpty()) throw new IOException("no " + LOOKED_FOR + " under " + dir.toAbsolutePath());
        return files;
    }

    private static String sortKey(Path dir, Path file) {
        return dir.relativize(file).toString().replace(File.separatorChar, '/');
    }

    private static boolean isImageName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * Decodes every file in parallel into {@code sink}; returns which ones decoded. Failures are
     * collected by index, so the warning lists them in file order whatever the thread timing.
     */
    private static boolean[] decodeAll(Path dir, List<Path> files, int size, Color color, Consumer<String> warnings, Sink sink)
            throws IOException {
        String[] failures = new String[files.size()];
        Parallel.forEach(files.size(), i -> {
            try {
                sink.put(i, square(decode(files.get(i)), size, color));
            } catch (IOException e) {
                failures[i] = dir.relativize(files.get(i)) + " (" + e.getMessage() + ")";
            }
        });
        List<String> failed = Arrays.stream(failures).filter(f -> f != null).toList();
        if (failed.size() == files.size()) {
            throw new IOException("none of the " + files.size() + " image files under " + dir.toAbsolutePath()
                    + " could be decoded: " + named(failed));
        }
        if (!failed.isEmpty()) warnings.accept(skipWarning(dir, files.size(), failed));
        boolean[] ok = new boolean[files.size()];
        for (int i = 0; i < ok.length; i++) ok[i] = failures[i] == null;
        return ok;
    }

    private static String skipWarning(Path dir, int total, List<String> failed) {
        return "skipped " + failed.size() + " of " + total + " image files under " + dir.toAbsolutePath()
                + " that could not be decoded: " + named(failed);
    }

    /** The first few failures, for one line. */
    private static String named(List<String> failed) {
        return String.join(", ", failed.subList(0, Math.min(NAMED_SKIPS, failed.size()))) + (failed.size() > NAMED_SKIPS ? ", ..." : "");
    }

    private static BufferedImage decode(Path file) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (RuntimeException e) {
            // ImageIO's decoders throw unchecked exceptions on some damaged files, too.
            throw new IOException(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(), e);
        }
        if (image == null) throw new IOException("not an image format javax.imageio can read");
        return image;
    }

    /** The centre square of {@code image} (offsets rounded down), resized to size x size, as 0..255 floats. */
    static float[] square(BufferedImage image, int size, Color color) {
        int side = Math.min(image.getWidth(), image.getHeight());
        int x0 = (image.getWidth() - side) / 2, y0 = (image.getHeight() - side) / 2;
        float[] pixels = isGray(image) ? graySamples(image.getRaster(), x0, y0, side, color) : rgbSamples(image, x0, y0, side, color);
        return Resize.bilinear(Tensor.of(pixels, 1, side, side, color.channels), size, size).data();
    }

    /**
     * Gray files are read from the raster: {@code getRGB} would treat their values as linear
     * light and brighten them on the way to sRGB.
     */
    private static boolean isGray(BufferedImage image) {
        return image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(image.getColorModel() instanceof IndexColorModel);
    }

    private static float[] graySamples(Raster raster, int x0, int y0, int side, Color color) {
        int[] samples = raster.getSamples(x0, y0, side, side, 0, (int[]) null);
        float max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        float[] out = new float[samples.length * color.channels];
        for (int p = 0; p < samples.length; p++) {
            Arrays.fill(out, p * color.channels, (p + 1) * color.channels, samples[p] * 255f / max);
        }
        return out;
    }

    private static float[] rgbSamples(BufferedImage image, int x0, int y0, int side, Color color) {
        int[] argb = image.getRGB(x0, y0, side, side, null, 0, side);
        float[] out = new float[argb.length * color.channels];
        for (int p = 0; p < argb.length; p++) {
            int r = (argb[p] >> 16) & 0xFF, g = (argb[p] >> 8) & 0xFF, b = argb[p] & 0xFF;
            if (color == Color.GRAY) {
                out[p] = 0.299f * r + 0.587f * g + 0.114f * b;
            } else {
                out[3 * p] = r;
                out[3 * p + 1] = g;
                out[3 * p + 2] = b;
            }
        }
        return out;
    }

    /** Moves the decoded images' slots down over the skipped ones, in order; returns how many were kept. */
    private static int closeGaps(Object data, int per, boolean[] ok) {
        int kept = 0;
        for (int i = 0; i < ok.length; i++) {
            if (!ok[i]) continue;
            if (kept != i) System.arraycopy(data, i * per, data, kept * per, per);
            kept++;
        }
        return kept;
    }
}
