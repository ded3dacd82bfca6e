package wgan.data;

import wgan.tensor.Tensor;

/**
 * One split of an image dataset as stored: {@code count} images of {@code rows x cols} unsigned
 * bytes (row by row, image after image) and one label byte per image.
 */
public record LabeledImages(int count, int rows, int cols, byte[] pixels, byte[] labels) {

    /** Selects every class. */
    public static final int ALL = -1;

    public LabeledImages {
        if (pixels.length != (long) count * rows * cols || labels.length != count) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " do not match "
                    + pixels.length + " pixel bytes and " + labels.length + " labels");
        }
    }

    /** How many images have {@code label} ({@link #ALL}: all of them). */
    public int count(int label) {
        if (label == ALL) return count;
        int n = 0;
        for (byte l : labels) if (Byte.toUnsignedInt(l) == label) n++;
        return n;
    }

    /**
     * The images with {@code label} ({@link #ALL}: all), in file order, as a tensor of shape
     * [n, rows, cols, 1] with each byte x scaled to (x - 127.5) / 127.5, so 0..255 maps to -1..1,
     * the range of a tanh generator.
     */
    public Tensor images(int label) {
        int size = rows * cols;
        int n = count(label);
        float[] out = new float[n * size];
        int o = 0;
        for (int i = 0; i < count; i++) {
            if (label != ALL && Byte.toUnsignedInt(labels[i]) != label) continue;
            for (int k = 0; k < size; k++) out[o++] = (Byte.toUnsignedInt(pixels[i * size + k]) - 127.5f) / 127.5f;
        }
        return Tensor.of(out, n, rows, cols, 1);
    }
}
