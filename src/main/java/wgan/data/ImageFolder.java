package wgan.data;

import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
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
 * <p>Hostile files cannot exhaust memory: each file's size is read from its header first, files
 * declaring more than {@link #MAX_PIXELS} pixels are skipped unread (and counted in the warning),
 * and files over {@link #FULL_DECODE_PIXELS} decode only their centre square, subsampled (see
 * {@link #plan}); smaller ones decode to exactly the pixels {@code ImageIO.read} gives. A JPEG too
 * short for the pixels it declares is skipped too ({@link #checkJpegLength}).
 *
 * <p>Memory stays bounded by the result: files are decoded in parallel, one image per task, and a
 * task keeps only its resized pixels, written into the result array at the file's index (so the
 * order does not depend on threads). The resize reads only the rows and columns it samples, so a
 * task holds little more than its decoded image, and all tasks together at most
 * {@code 2 * FULL_DECODE_PIXELS} decoded pixels: a task with a large image waits for room.
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
        /** Three channels; grayscale files are repeated into all three. */
        RGB(3);

        public final int channels;

        Color(int channels) {
            this.channels = channels;
        }
    }

    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

    /** What is looked for, for messages. */
    private static final String LOOKED_FOR = ".jpg, .jpeg and .png files (any case, in subfolders too)";

    /**
     * Images with more pixels than this (16384 x 16384) are skipped, read no further than their
     * header: a file of a few hundred bytes can declare gigapixels.
     */
    static final long MAX_PIXELS = 1L << 28;

    /**
     * Images wider or taller than this (JPEG's limit) are skipped too: the PNG decoder allocates
     * rows of the full width.
     */
    static final int MAX_SIDE = 65_535;

    /**
     * Images up to this many pixels (8192 x 8192) are decoded in full; of larger ones only their
     * centre square, subsampled to at most this many ({@link #plan}).
     */
    static final int FULL_DECODE_PIXELS = 1 << 26;

    private static final int FULL_DECODE_SIDE = 1 << 13;

    /**
     * Decoded pixels held at once by all threads together: two of the largest decodes. Files are
     * decoded in parallel, and large ones would otherwise need that much memory per thread.
     */
    private static final int IN_FLIGHT_PIXELS = 2 * FULL_DECODE_PIXELS;

    private static final Semaphore IN_FLIGHT = new Semaphore(IN_FLIGHT_PIXELS);

    /** At most 8 blocks of 8 x 8 pixels per byte of JPEG data ({@link #checkJpegLength}). */
    private static final long JPEG_PIXELS_PER_BYTE = 512;

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
        IOException[] failures = new IOException[files.size()];
        Parallel.forEach(files.size(), i -> {
            try (ImageInputStream in = new FileImageInputStream(files.get(i).toFile())) {
                sink.put(i, readSquare(in, size, color));
            } catch (IOException e) {
                failures[i] = e;
            }
        });
        List<String> failed = new ArrayList<>();
        int tooLarge = 0;
        for (int i = 0; i < failures.length; i++) {
            if (failures[i] == null) continue;
            failed.add(dir.relativize(files.get(i)) + " (" + failures[i].getMessage() + ")");
            if (failures[i] instanceof TooLargeException) tooLarge++;
        }
        if (failed.size() == files.size()) {
            throw new IOException("none of the " + files.size() + " image files under " + dir.toAbsolutePath()
                    + " could be decoded: " + named(failed));
        }
        if (!failed.isEmpty()) warnings.accept(skipWarning(dir, files.size(), failed, tooLarge));
        boolean[] ok = new boolean[files.size()];
        for (int i = 0; i < ok.length; i++) ok[i] = failures[i] == null;
        return ok;
    }

    private static String skipWarning(Path dir, int total, List<String> failed, int tooLarge) {
        String why = tooLarge == 0 ? " that could not be decoded"
                : ": " + (failed.size() - tooLarge) + " could not be decoded, " + tooLarge + (tooLarge == 1 ? " has" : " have") + " too many pixels";
        return "skipped " + failed.size() + " of " + total + " image files under " + dir.toAbsolutePath() + why + ": " + named(failed);
    }

    /** The first few failures, for one line. */
    private static String named(List<String> failed) {
        return String.join(", ", failed.subList(0, Math.min(NAMED_SKIPS, failed.size()))) + (failed.size() > NAMED_SKIPS ? ", ..." : "");
    }

    /** A file skipped unread: its header declares more than {@link #MAX_PIXELS} pixels or {@link #MAX_SIDE} a side. */
    static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * One file's centre square, resized to size x size, as 0..255 floats: what {@link #load} keeps
     * of each file. Throws IOException, with the reason, for a file that is skipped.
     */
    static float[] readSquare(ImageInputStream in, int size, Color color) throws IOException {
        ImageReader reader;
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new IOException("not an image format javax.imageio can read");
            reader = readers.next();
        } catch (RuntimeException e) {
            throw undecodable(e);
        }
        int permits = 0;
        try {
            BufferedImage image;
            try {
                // As ImageIO.read does, so that images up to FULL_DECODE_PIXELS decode to the same pixels.
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                int width = reader.getWidth(0), height = reader.getHeight(0);
                int decoded = plan(width, height, size, param);
                if (reader.getFormatName().equalsIgnoreCase("jpeg")) checkJpegLength(width, height, in.length());
                permits = Math.min(decoded, IN_FLIGHT_PIXELS);
                IN_FLIGHT.acquireUninterruptibly(permits);
                image = reader.read(0, param);
            } catch (RuntimeException e) {
                throw undecodable(e);
            } finally {
                reader.dispose();
            }
            return square(image, size, color);
        } finally {
            IN_FLIGHT.release(permits);
        }
    }

    /**
     * Rejects a JPEG too short for the pixels it declares. Its decoder fills what the data does not
     * cover with gray, so a few hundred bytes declaring 16000 x 16000 pixels would take seconds to
     * decode (a progressive one minutes, and gigabytes). Each 8x8 block needs at least one bit.
     *
     * @param length the file's length in bytes, -1 if unknown (then nothing is checked)
     */
    private static void checkJpegLength(int width, int height, long length) throws IOException {
        if (length >= 0 && (long) width * height > JPEG_PIXELS_PER_BYTE * length) {
            throw new IOException(String.format(Locale.ROOT, "declares %dx%d pixels, more than a JPEG file of %,d bytes holds"
                    + " (at most %d pixels a byte): truncated or forged", width, height, length, JPEG_PIXELS_PER_BYTE));
        }
    }

    /** ImageIO's decoders throw unchecked exceptions on some damaged files, too: such a file is skipped. */
    private static IOException undecodable(RuntimeException e) {
        return new IOException(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(), e);
    }

    /**
     * Sets {@code param} to decode a width x height image within {@link #FULL_DECODE_PIXELS}: in
     * full if it is that small, else its centre square, subsampled by the smallest step that fits
     * (which still leaves more than 4096 pixels a side, and never fewer than {@code size}).
     * Returns how many pixels will be decoded.
     *
     * @throws TooLargeException if the image has more than {@link #MAX_PIXELS} pixels or {@link #MAX_SIDE} a side
     */
    static int plan(int width, int height, int size, ImageReadParam param) throws IOException {
        if (width < 1 || height < 1) throw new IOException("the header declares " + width + "x" + height + " pixels");
        long pixels = (long) width * height;
        if (pixels > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE) {
            throw new TooLargeException(String.format(Locale.ROOT, "%dx%d pixels, more than the %,d (or %,d a side) an image may have",
                    width, height, MAX_PIXELS, MAX_SIDE));
        }
        if (pixels <= FULL_DECODE_PIXELS) return (int) pixels;
        int side = Math.min(width, height);
        int step = Math.max(1, Math.min(Math.ceilDiv(side, FULL_DECODE_SIDE), side / size));
        param.setSourceRegion(new Rectangle((width - side) / 2, (height - side) / 2, side, side));
        param.setSourceSubsampling(step, step, 0, 0);
        int decodedSide = Math.ceilDiv(side, step);
        return decodedSide * decodedSide;
    }

    /**
     * The centre square of {@code image} (offsets rounded down), resized to size x size, as 0..255
     * floats: {@link Resize#bilinear} of the square, reading only the rows and columns it samples.
     */
    static float[] square(BufferedImage image, int size, Color color) {
        int side = Math.min(image.getWidth(), image.getHeight());
        int x0 = (image.getWidth() - side) / 2, y0 = (image.getHeight() - side) / 2;
        return Resize.bilinearSquare(side, size, color.channels, sampled -> isGray(image)
                ? graySamples(image.getRaster(), x0, y0, side, sampled, color)
                : rgbSamples(image, x0, y0, side, sampled, color));
    }

    /**
     * Gray files are read from the raster: {@code getRGB} would treat their values as linear
     * light and brighten them on the way to sRGB.
     */
    private static boolean isGray(BufferedImage image) {
        return image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(image.getColorModel() instanceof IndexColorModel);
    }

    /**
     * The values at (y0 + r, x0 + c) for every r, c in {@code sampled}, [n, n, channels]. A gray
     * file with an alpha band (PNG's gray + alpha) is composited over white, as {@link #overWhite}.
     */
    private static float[] graySamples(Raster raster, int x0, int y0, int side, int[] sampled, Color color) {
        float max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        boolean alpha = raster.getNumBands() == 2;
        int n = sampled.length;
        float[] out = new float[n * n * color.channels];
        int[] row = new int[side], opacity = new int[side];
        for (int r = 0; r < n; r++) {
            raster.getSamples(x0, y0 + sampled[r], side, 1, 0, row);
            if (alpha) raster.getSamples(x0, y0 + sampled[r], side, 1, 1, opacity);
            for (int c = 0; c < n; c++) {
                int p = r * n + c;
                float value = row[sampled[c]] * 255f / max;
                if (alpha) value = overWhite(value, opacity[sampled[c]] / max);
                Arrays.fill(out, p * color.channels, (p + 1) * color.channels, value);
            }
        }
        return out;
    }

    /**
     * A value (0..255) of opacity {@code alpha} (0..1) composited over white: alpha v + (1 - alpha)
     * 255, the "over" operator of Porter and Duff (1984) with a white background. Transparent pixels'
     * own colours are arbitrary (an encoder may store black or anything there), so dropping alpha
     * would paint backgrounds with whatever the file happened to hold; white is the background
     * such images (icons, emoji) are drawn to be shown on.
     */
    static float overWhite(float value, float alpha) {
        return alpha * value + (1 - alpha) * 255;
    }

    /**
     * As {@link #graySamples}, from the sRGB values of any other image ({@code getRGB} gives
     * opaque images an alpha of 255, so only translucent pixels change).
     */
    private static float[] rgbSamples(BufferedImage image, int x0, int y0, int side, int[] sampled, Color color) {
        int n = sampled.length;
        float[] out = new float[n * n * color.channels];
        int[] row = new int[side];
        for (int r = 0; r < n; r++) {
            image.getRGB(x0, y0 + sampled[r], side, 1, row, 0, side);
            for (int c = 0; c < n; c++) {
                int argb = row[sampled[c]], p = r * n + c;
                float alpha = (argb >>> 24) / 255f;
                float red = overWhite((argb >> 16) & 0xFF, alpha), green = overWhite((argb >> 8) & 0xFF, alpha),
                        blue = overWhite(argb & 0xFF, alpha);
                if (color == Color.GRAY) {
                    out[p] = 0.299f * red + 0.587f * green + 0.114f * blue;
                } else {
                    out[3 * p] = red;
                    out[3 * p + 1] = green;
                    out[3 * p + 2] = blue;
                }
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
