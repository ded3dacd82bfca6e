package wgan.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;
import wgan.data.ImageFolder.Color;
import wgan.fuzz.Fuzz;

/**
 * Mutated PNG and JPEG files through {@link ImageFolder#readSquare}, what a folder load does with
 * each file: the file gives a square of the model's size or an IOException, which the load counts
 * as a skipped file. The unchecked exceptions javax.imageio's decoders throw on some damaged files
 * must come out as IOExceptions too, or they would end the whole load.
 */
class ImageFolderFuzzTest {
    private static final int SIZE = 8;

    /** Small images of the kinds a folder holds: colour, gray, with alpha, palette. */
    private static List<byte[]> valid(String format) {
        SplittableRandom rnd = new SplittableRandom(7);
        List<BufferedImage> images = format.equals("png")
                ? List.of(ImageFolderTest.randomImage(BufferedImage.TYPE_INT_RGB, 24, 16, rnd),
                        ImageFolderTest.randomImage(BufferedImage.TYPE_BYTE_GRAY, 9, 13, rnd),
                        ImageFolderTest.randomImage(BufferedImage.TYPE_INT_ARGB, 12, 12, rnd),
                        ImageFolderTest.randomImage(BufferedImage.TYPE_BYTE_INDEXED, 10, 6, rnd))
                : List.of(ImageFolderTest.randomImage(BufferedImage.TYPE_INT_RGB, 24, 16, rnd),
                        ImageFolderTest.randomImage(BufferedImage.TYPE_BYTE_GRAY, 9, 13, rnd));
        return images.stream().map(image -> ImageFiles.encode(image, format)).toList();
    }

    /** Outcomes of one format's cases, so that the test is seen to reach both. */
    private static final class Outcomes {
        int loaded, skipped;

        /**
         * Reads {@code input} as an image file, in memory rather than through a file: the decoders
         * read both alike, and the stream knows its length as a file's does.
         */
        void readSquare(byte[] input) throws IOException {
            try {
                for (Color color : Color.values()) {
                    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(input)) {
                        @Override
                        public long length() {
                            return input.length;
                        }
                    }) {
                        assertEquals(SIZE * SIZE * color.channels, ImageFolder.readSquare(in, SIZE, color).length);
                    }
                }
                loaded++;
            } catch (IOException e) {
                skipped++;
                throw e;
            }
        }

        void fuzz(String format, int cases) {
            Fuzz.run(format, valid(format), cases, IOException.class, this::readSquare);
            assertTrue(loaded > 0 && skipped > 0, format + ": " + loaded + " loaded, " + skipped + " skipped");
        }
    }

    /** Half the configured count: decoding images is slower than reading the other formats. */
    private static int cases() {
        return Math.max(1, Fuzz.cases(2000) / 2);
    }

    @Test
    void pngFiles() {
        new Outcomes().fuzz("png", cases());
    }

    @Test
    void jpegFiles() {
        new Outcomes().fuzz("jpg", cases());
    }
}
