package wgan.quality;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wgan.autodiff.Grad;
import wgan.autodiff.Var;
import wgan.data.DatasetFiles;
import wgan.io.FileFormatException;
import wgan.io.Safetensors;
import wgan.kernels.ConvGeometry.Padding;
import wgan.nn.Initializer;
import wgan.nn.Layer;
import wgan.nn.Sequential;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * The judge: a small CNN classifier of 28 x 28 grey images into 10 classes, trained by
 * {@link ClassifierTraining}, whose penultimate layer (128 ReLU features) is the feature space of
 * the Fréchet distance and KID. Two 5 x 5 stride-2 convolutions (32 and 64 filters, ReLU), a
 * Dense layer of 128 (ReLU), a Dense layer of 10 logits: about 3 M multiply-adds per image, so
 * judging 1,000 samples costs a few GFLOP.
 */
public final class Judge {
    public static final int CLASSES = 10;
    public static final int FEATURES = 128;
    /** Images are judged in slices of this many, so memory stays bounded for any count. */
    private static final int SLICE = 500;

    private final Sequential model;
    private final String dataset;

    Judge(Sequential model, String dataset) {
        this.model = model;
        this.dataset = dataset;
    }

    /** An untrained judge, its weights drawn from {@code rng}. */
    static Sequential model(Rng rng) {
        return Sequential.builder(rng, 28, 28, 1)
                .conv2d(32, 5, 2, Padding.SAME, Initializer.heNormal()).relu()
                .conv2d(64, 5, 2, Padding.SAME, Initializer.heNormal()).relu()
                .flatten()
                .dense(FEATURES, Initializer.heNormal()).relu()
                .dense(CLASSES, Initializer.glorotUniform())
                .build();
    }

    /** The resource holding the trained judge of a dataset. */
    static String resource(DatasetFiles dataset) {
        return "wgan/judges/" + dataset.name() + ".safetensors";
    }

    /** The judge shipped in wgan.jar for a built-in dataset. */
    public static Judge forDataset(DatasetFiles dataset) throws IOException {
        try (InputStream in = Judge.class.getClassLoader().getResourceAsStream(resource(dataset))) {
            if (in == null) throw new IOException("wgan.jar has no judge for " + dataset.title() + " (" + resource(dataset) + ")");
            Path copy = Files.createTempFile("wgan-judge-", ".safetensors");
            try {
                Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return load(copy, dataset.name());
            } finally {
                Files.deleteIfExists(copy);
            }
        }
    }

    /** A judge from a safetensors file written by {@link #save}. */
    public static Judge load(Path file, String dataset) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        Sequential model = model(new Rng(0));
        Map<String, Tensor> sd = new LinkedHashMap<>();
        try {
            for (String name : contents.tensors().keySet()) sd.put(name, contents.tensor(name));
            model.loadStateDict(sd, true);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, "is not a judge network: " + e.getMessage());
        }
        return new Judge(model, dataset);
    }

    /** Writes the model's weights, with {@code metadata} (its provenance), as safetensors. */
    static void save(Path file, Sequential model, Map<String, String> metadata) throws IOException {
        Map<String, Safetensors.Entry> entries = new LinkedHashMap<>();
        model.stateDict().forEach((name, t) -> entries.put(name, new Safetensors.F32(t)));
        Safetensors.write(file, entries, metadata);
    }

    public String dataset() {
        return dataset;
    }

    /** What the judge reads from images [N, 28, 28, 1] in [-1, 1]: its features and its class probabilities. */
    public record Outputs(double[][] features, double[][] probabilities) {
        /** The most probable class of each image. */
        public int[] classes() {
            int[] c = new int[probabilities.length];
            for (int i = 0; i < c.length; i++) {
                for (int k = 1; k < CLASSES; k++) if (probabilities[i][k] > probabilities[i][c[i]]) c[i] = k;
            }
            return c;
        }
    }

    /** The penultimate features and class probabilities of images [N, 28, 28, 1] in [-1, 1]. */
    public Outputs read(Tensor images) {
        if (images.rank() != 4 || images.dim(1) != 28 || images.dim(2) != 28 || images.dim(3) != 1) {
            throw new IllegalArgumentException("the judge reads 28 x 28 grey images [N, 28, 28, 1], not " + Arrays.toString(images.shape()));
        }
        int n = images.dim(0);
        double[][] features = new double[n][];
        double[][] probabilities = new double[n][];
        List<Layer> layers = model.layers();
        int size = 28 * 28;
        try (var s = Grad.noGrad()) {
            for (int from = 0; from < n; from += SLICE) {
                int m = Math.min(SLICE, n - from);
                Var x = Var.constant(Tensor.of(Arrays.copyOfRange(images.data(), from * size, (from + m) * size), m, 28, 28, 1));
                for (Layer l : layers.subList(0, layers.size() - 1)) x = l.forward(x, false);
                float[] f = x.value().data();
                float[] logits = layers.get(layers.size() - 1).forward(x, false).value().data();
                for (int i = 0; i < m; i++) {
                    features[from + i] = toDouble(f, i * FEATURES, FEATURES);
                    probabilities[from + i] = softmax(logits, i * CLASSES);
                }
            }
        }
        return new Outputs(features, probabilities);
    }

    private static double[] toDouble(float[] v, int from, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) out[i] = v[from + i];
        return out;
    }

    private static double[] softmax(float[] logits, int from) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < CLASSES; k++) max = Math.max(max, logits[from + k]);
        double[] p = new double[CLASSES];
        double sum = 0;
        for (int k = 0; k < CLASSES; k++) sum += p[k] = Math.exp(logits[from + k] - max);
        for (int k = 0; k < CLASSES; k++) p[k] /= sum;
        return p;
    }
}
