package wgan.quality;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import wgan.autodiff.Grad;
import wgan.autodiff.Var;
import wgan.data.DataHome;
import wgan.data.DatasetFiles;
import wgan.data.DatasetFiles.Split;
import wgan.data.LabeledImages;
import wgan.nn.Losses;
import wgan.nn.Sequential;
import wgan.optim.Adam;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;
import wgan.tensor.Workspace;

/**
 * Trains a {@link Judge} on a dataset's training split with wgan's own engine and measures it on
 * the test split: minibatch Adam on the softmax cross-entropy, the images in a new seeded order
 * each epoch, the learning rate divided by 10 for the last epoch. Everything is drawn from the
 * seed, so a run is reproducible bit for bit at any thread count.
 */
public final class ClassifierTraining {
    /** The settings of a run. */
    public record Settings(long seed, int epochs, int batch, float learningRate) {
        public Settings {
            if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
    }

    /** A trained judge and its accuracy on the test split. */
    public record Result(Sequential model, double testAccuracy, int testImages, double seconds) {}

    private ClassifierTraining() {}

    public static Result train(DatasetFiles dataset, Settings settings, DataHome home, PrintStream log) throws IOException {
        Consumer<String> warn = w -> log.println("warning: " + w);
        LabeledImages train = dataset.load(null, Split.TRAIN, home, warn);
        LabeledImages test = dataset.load(null, Split.TEST, home, warn);
        long start = System.nanoTime();
        Rng rng = new Rng(settings.seed());
        Sequential model = Judge.model(rng.fork(1));
        Rng order = rng.fork(2);
        Tensor images = train.images(LabeledImages.ALL);
        int[] labels = labels(train);
        int size = 28 * 28;
        Workspace workspace = new Workspace();
        Adam adam = Adam.keras(model.parameters(), settings.learningRate(), 0.9f, 0.999f);
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            if (epoch == settings.epochs() && epoch > 1) {
                Adam slower = Adam.keras(model.parameters(), settings.learningRate() / 10, 0.9f, 0.999f);
                slower.loadState(adam.state());
                adam = slower;
            }
            int[] perm = new int[train.count()];
            Arrays.setAll(perm, i -> i);
            order.shuffle(perm);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from + settings.batch() <= perm.length; from += settings.batch()) {
                int m = settings.batch();
                float[] x = new float[m * size];
                int[] y = new int[m];
                for (int i = 0; i < m; i++) {
                    System.arraycopy(images.data(), perm[from + i] * size, x, i * size, size);
                    y[i] = labels[perm[from + i]];
                }
                try (var lease = workspace.lend()) {
                    adam.zeroGrad();
                    Var loss = Losses.softmaxCrossEntropy(model.forward(Var.constant(Tensor.of(x, m, 28, 28, 1)), true), y);
                    Grad.backward(loss);
                    adam.step();
                    lossSum += loss.value().item();
                }
                batches++;
            }
            double accuracy = accuracy(new Judge(model, dataset.name()), test);
            log.printf(Locale.ROOT, "epoch %d/%d: training loss %.4f, test accuracy %.2f%% (%.0f s)%n", epoch, settings.epochs(),
                    lossSum / batches, 100 * accuracy, (System.nanoTime() - start) / 1e9);
        }
        double accuracy = accuracy(new Judge(model, dataset.name()), test);
        return new Result(model, accuracy, test.count(), (System.nanoTime() - start) / 1e9);
    }

    /** The share of a split's images whose most probable class is their label. */
    static double accuracy(Judge judge, LabeledImages split) {
        int[] predicted = judge.read(split.images(LabeledImages.ALL)).classes();
        int[] labels = labels(split);
        int right = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) right++;
        return (double) right / labels.length;
    }

    static int[] labels(LabeledImages split) {
        int[] out = new int[split.count()];
        for (int i = 0; i < out.length; i++) out[i] = Byte.toUnsignedInt(split.labels()[i]);
        return out;
    }

    /** Writes the judge with its provenance: the dataset, the settings, the accuracy and the command that made it. */
    public static void save(Path file, DatasetFiles dataset, Settings settings, Result result, String command) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("dataset", dataset.name());
        metadata.put("seed", Long.toString(settings.seed()));
        metadata.put("epochs", Integer.toString(settings.epochs()));
        metadata.put("batch", Integer.toString(settings.batch()));
        metadata.put("learning_rate", Float.toString(settings.learningRate()));
        metadata.put("test_accuracy", String.format(Locale.ROOT, "%.4f", result.testAccuracy()));
        metadata.put("test_images", Integer.toString(result.testImages()));
        metadata.put("command", command);
        Judge.save(file, result.model(), metadata);
    }
}
