package wgan.data;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.IntStream;
import wgan.kernels.Resample;
import wgan.kernels.Resample.Axis;
import wgan.tensor.Tensor;

/**
 * Resizing image batches as TensorFlow 2 does by default, so that data prepared here is the data
 * the reference articles trained on (E2/E3 take Fashion-MNIST from 28x28 to 32x32 with
 * {@code tf.image.resize}).
 */
public final class Resize {
    private Resize() {}

    /**
     * Bilinear resize of NHWC {@code images} [n, h, w, c] to [n, height, width, c], as
     * {@code tf.image.resize(images, [height, width])} (method bilinear, half-pixel centres, no
     * antialias: shrinking samples two input pixels per axis rather than averaging all of them).
     * Values are not rounded or clipped, as TF returns float32. A same-size resize is an exact copy.
     */
    public static Tensor bilinear(Tensor images, int height, int width) {
        if (images.rank() != 4 || images.dim(1) < 1 || images.dim(2) < 1) {
            throw new IllegalArgumentException("expected NHWC images [n, h, w, c] with h, w >= 1, got shape "
                    + Arrays.toString(images.shape()));
        }
        if (height < 1 || width < 1) throw new IllegalArgumentException("target size must be positive, got " + height + "x" + width);
        Tensor out = Tensor.zeros(images.dim(0), height, width, images.dim(3));
        Resample.forward(Axis.bilinearTo(images.dim(1), height), Axis.bilinearTo(images.dim(2), width),
                images.dim(0), images.dim(3), images.data(), out.data());
        return out;
    }

    /**
     * {@link #bilinear} of one square image, side x side to size x size, bit for bit the same but
     * reading only the coordinates the resize samples (at most 2 * size a side, however large the
     * image): {@code samples} gets them, ascending, and returns the image's values at every (row,
     * column) pair of them, [n, n, channels].
     */
    static float[] bilinearSquare(int side, int size, int channels, Function<int[], float[]> samples) {
        Axis axis = Axis.bilinearTo(side, size);
        int[] sampled = IntStream.concat(Arrays.stream(axis.lo()), Arrays.stream(axis.hi())).distinct().sorted().toArray();
        int[] lo = new int[size], hi = new int[size];
        for (int o = 0; o < size; o++) {
            lo[o] = Arrays.binarySearch(sampled, axis.lo()[o]);
            hi[o] = Arrays.binarySearch(sampled, axis.hi()[o]);
        }
        // The same weights in the same order, on the sampled pixels renumbered 0..n-1.
        Axis renumbered = new Axis(sampled.length, size, lo, hi, axis.frac());
        float[] out = new float[Tensor.sizeOf(size, size, channels)];
        Resample.forward(renumbered, renumbered, 1, channels, samples.apply(sampled), out);
        return out;
    }
}
