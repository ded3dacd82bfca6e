package wgan.data;

import java.util.Arrays;
import wgan.tensor.Tensor;

/**
 * Images kept as unsigned bytes, NHWC, image after image: a quarter of the memory of floats (a
 * 64x64 RGB image is 12 KiB instead of 48 KiB; 63,565 of them 780 MB instead of 3.1 GB). Batches
 * are converted to floats in [-1, 1] when the training loop asks for them.
 */
public record ByteImages(int count, int height, int width, int channels, byte[] pixels) {

    public ByteImages {
        if (count < 0 || height < 1 || width < 1 || channels < 1 || pixels.length != (long) count * height * width * channels) {
            throw new IllegalArgumentException(count + " images of " + height + "x" + width + "x" + channels + " do not match "
                    + pixels.length + " pixel bytes");
        }
    }

    /** Byte value 0..255 to [-1, 1], the range of a tanh generator. */
    static float toUnit(float x) {
        return (x - 127.5f) / 127.5f;
    }

    /** The images at {@code indices}, in that order, as a tensor [indices.length, height, width, channels] in [-1, 1]. */
    public Tensor batch(int[] indices) {
        int per = height * width * channels;
        float[] out = new float[Tensor.sizeOf(indices.length, per)];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            if (i < 0 || i >= count) throw new IndexOutOfBoundsException("image " + i + " of " + count);
            for (int k = 0; k < per; k++) out[j * per + k] = toUnit(Byte.toUnsignedInt(pixels[i * per + k]));
        }
        return Tensor.of(out, indices.length, height, width, channels);
    }

    /** Every image, in order (4 bytes per value: for sets that fit in memory as floats). */
    public Tensor all() {
        int[] indices = new int[count];
        Arrays.setAll(indices, i -> i);
        return batch(indices);
    }
}
