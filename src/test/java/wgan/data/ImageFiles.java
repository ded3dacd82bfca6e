package wgan.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

/** Builds image files for tests, hostile ones included, as bytes. */
final class ImageFiles {

    private ImageFiles() {}

    /** {@code image} encoded by javax.imageio as {@code format} ("png", "jpg"). */
    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) throw new IllegalArgumentException("no " + format + " writer for " + image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A copy of {@code png} whose header declares width x height, with the header's CRC mended so that it is believed. */
    static byte[] withPngSize(byte[] png, int width, int height) {
        byte[] out = png.clone();
        // Signature (8), IHDR length (4), "IHDR" (4), then width and height; the CRC covers "IHDR" and its 13 data bytes.
        ByteBuffer.wrap(out).putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(out, 12, 17);
        ByteBuffer.wrap(out).putInt(29, (int) crc.getValue());
        return out;
    }

    /** A copy of {@code jpeg} whose baseline frame header (SOF0) declares width x height. */
    static byte[] withJpegSize(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 8 < out.length; i++) {
            if (out[i] == (byte) 0xFF && out[i + 1] == (byte) 0xC0) {
                // FF C0, length (2), precision (1), height (2), width (2).
                ByteBuffer.wrap(out).putShort(i + 5, (short) height).putShort(i + 7, (short) width);
                return out;
            }
        }
        throw new IllegalArgumentException("no SOF0 marker");
    }

    /**
     * A valid 8-bit grayscale PNG of width x height whose every row is {@code row}: the rows after
     * the first are stored as "same as above" (filter 2) and compress to almost nothing.
     */
    static byte[] grayPng(byte[] row, int height) {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
            z.write(0);
            z.write(row);
            byte[] same = new byte[1 + row.length];
            same[0] = 2;
            for (int y = 1; y < height; y++) z.write(same);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        // Width, height, bit depth 8, colour type 0 (gray), compression, filter and interlace methods 0.
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(row.length).putInt(height).put((byte) 8).array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        DataOutputStream out = new DataOutputStream(png);
        try {
            out.writeInt(data.length);
            out.write(typeBytes);
            out.write(data);
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
