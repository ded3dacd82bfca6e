package wgan.quality;

import java.util.Arrays;
import java.util.List;
import wgan.autodiff.Grad;
import wgan.autodiff.Var;
import wgan.data.Resize;
import wgan.kernels.ConvGeometry.Padding;
import wgan.nn.Activation;
import wgan.nn.Initializer;
import wgan.nn.Layer;
import wgan.nn.Sequential;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * A fixed feature space for colour images that needs no download and no training: a small
 * convolutional network whose weights are drawn once from a fixed seed and never trained
 * (random-feature embeddings: Lee, Kim and Lee 2023, "Demystifying Randomly Initialized Networks
 * for Evaluating Generative Models", https://arxiv.org/abs/2208.09218), beside each image's coarse
 * colour layout. Images are resized to 64 x 64 (bilinear) and grey ones repeated into three
 * channels; then
 * <pre>
 *   conv 4x4/2 (same), 32 filters, ReLU -> conv 4x4/2, 64 filters, ReLU -> conv 4x4/2, 128 filters, ReLU
 * </pre>
 * without biases, the kernels drawn N(0, 2 / fan_in) (He et al. 2015) from {@code new Rng(SEED)} in
 * layer order, and in the first layer each filter's 16 taps of each colour shifted to sum to 0, so
 * that the network sees edges and texture, not levels of colour (a flat image gives 0 everywhere).
 * An image's features are the spatial mean of each ReLU's every channel (32 + 64 + 128), the mean
 * colour of each cell of a 4 x 4 grid over the image (48) and the standard deviation of each colour
 * channel (3): {@value #FEATURES} in all. Distances in this space are comparable between wgan runs,
 * never with published FIDs (docs/quality.md).
 */
public final class RandomFeatures {
    /** The side images are resized to. */
    public static final int SIZE = 64;
    /** The seed the network's kernels are drawn from: changing it changes every distance. */
    static final long SEED = 2208_09218L;
    private static final int[] FILTERS = {32, 64, 128};
    private static final int COLOURS = 3;
    /** Cells of the colour layout a side. */
    private static final int GRID = 4;
    public static final int FEATURES = 32 + 64 + 128 + GRID * GRID * COLOURS + COLOURS;
    /** Images are read in slices of this many, so memory stays bounded for any count. */
    private static final int SLICE = 200;

    private final List<Layer> layers;

    public RandomFeatures() {
        Sequential.Builder b = Sequential.builder(new Rng(SEED), SIZE, SIZE, COLOURS);
        for (int k = 0; k < FILTERS.length; k++) {
            b.conv2dNoBias(FILTERS[k], 4, 2, Padding.SAME, k == 0 ? RandomFeatures::edgeKernels : Initializer.heNormal()).relu();
        }
        this.layers = b.build().layers();
    }

    /** He-normal kernels OHWI [o][4][4][3], then each (filter, colour) pair's 16 taps shifted to sum to 0. */
    private static void edgeKernels(float[] w, int fanIn, int fanOut, Rng rng) {
        Initializer.heNormal().fill(w, fanIn, fanOut, rng);
        int taps = fanIn / COLOURS;
        for (int o = 0; o < w.length / fanIn; o++) {
            for (int c = 0; c < COLOURS; c++) {
                double mean = 0;
                for (int t = 0; t < taps; t++) mean += w[o * fanIn + t * COLOURS + c] / taps;
                for (int t = 0; t < taps; t++) w[o * fanIn + t * COLOURS + c] -= (float) mean;
            }
        }
    }

    /** The features of images [N, H, W, 1 or 3] in [-1, 1], one row per image. */
    public double[][] read(Tensor images) {
        if (images.rank() != 4 || (images.dim(3) != 1 && images.dim(3) != COLOURS)) {
            throw new IllegalArgumentException("random features read grey or colour images [N, H, W, 1 or 3], not " + Arrays.toString(images.shape()));
        }
        int n = images.dim(0), per = images.size() / Math.max(1, n);
        double[][] features = new double[n][];
        try (var s = Grad.noGrad()) {
            for (int from = 0; from < n; from += SLICE) {
                int m = Math.min(SLICE, n - from);
                Tensor slice = Tensor.of(Arrays.copyOfRange(images.data(), from * per, (from + m) * per), m, images.dim(1), images.dim(2), images.dim(3));
                Tensor input = colour(slice.dim(1) == SIZE && slice.dim(2) == SIZE ? slice : Resize.bilinear(slice, SIZE, SIZE));
                for (int i = 0; i < m; i++) features[from + i] = new double[FEATURES];
                int at = 0;
                Var x = Var.constant(input);
                for (Layer l : layers) {
                    x = l.forward(x, false);
                    if (l instanceof Activation) at = addChannelMeans(x.value(), features, from, at);
                }
                addColourLayout(input, features, from, at);
            }
        }
        return features;
    }

    /** Grey images [m, h, w, 1] with their channel repeated three times; colour ones as they are. */
    private static Tensor colour(Tensor images) {
        if (images.dim(3) == COLOURS) return images;
        float[] grey = images.data(), rgb = new float[grey.length * COLOURS];
        for (int p = 0; p < grey.length; p++) Arrays.fill(rgb, p * COLOURS, (p + 1) * COLOURS, grey[p]);
        return Tensor.of(rgb, images.dim(0), images.dim(1), images.dim(2), COLOURS);
    }

    /** Each image's mean of each channel of activations [m, h, w, c], written at {@code at}; returns where the next go. */
    private static int addChannelMeans(Tensor activations, double[][] features, int from, int at) {
        int m = activations.dim(0), pixels = activations.dim(1) * activations.dim(2), c = activations.dim(3);
        float[] a = activations.data();
        for (int i = 0; i < m; i++) {
            double[] f = features[from + i];
            for (int p = 0; p < pixels; p++) {
                int base = (i * pixels + p) * c;
                for (int k = 0; k < c; k++) f[at + k] += a[base + k];
            }
            for (int k = 0; k < c; k++) f[at + k] /= pixels;
        }
        return at + c;
    }

    /**
     * Each image's mean colour in each cell of a {@link #GRID} x {@link #GRID} grid (row by row,
     * RGB in each), then the standard deviation of each colour channel, written at {@code at}.
     */
    private static void addColourLayout(Tensor images, double[][] features, int from, int at) {
        int m = images.dim(0), cell = SIZE / GRID, pixels = SIZE * SIZE;
        float[] v = images.data();
        for (int i = 0; i < m; i++) {
            double[] f = features[from + i];
            double[] sum = new double[COLOURS], squares = new double[COLOURS];
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int cellAt = at + ((y / cell) * GRID + x / cell) * COLOURS;
                    for (int k = 0; k < COLOURS; k++) {
                        double value = v[((i * SIZE + y) * SIZE + x) * COLOURS + k];
                        f[cellAt + k] += value / (cell * cell);
                        sum[k] += value;
                        squares[k] += value * value;
                    }
                }
            }
            for (int k = 0; k < COLOURS; k++) {
                double mean = sum[k] / pixels;
                f[at + GRID * GRID * COLOURS + k] = Math.sqrt(Math.max(squares[k] / pixels - mean * mean, 0));
            }
        }
    }
}
