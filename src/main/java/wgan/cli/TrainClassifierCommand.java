package wgan.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import wgan.data.DataHome;
import wgan.data.DatasetFiles;
import wgan.quality.ClassifierTraining;

/** {@code wgan train-classifier}: trains the judge network that {@code wgan evaluate} scores samples with. */
@Command(name = "train-classifier", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the judge: the small classifier whose features the quality metrics use (docs/quality.md).",
                "wgan.jar ships one per built-in dataset; this command is how they were made."})
public final class TrainClassifierCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "mnist or fashion-mnist.")
    String dataset;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training images (default: ${DEFAULT-VALUE}).")
    int epochs = 5;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the weights and the image order (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the weights (default: <dataset>-judge.safetensors).")
    Path out;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws IOException {
        DatasetFiles chosen;
        try {
            chosen = DatasetFiles.byName(dataset);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--dataset: " + e.getMessage());
        }
        if (epochs < 1 || epochs > 1000) throw new ParameterException(spec.commandLine(), "--epochs must be 1-1000, got " + epochs);
        threads.apply();
        ClassifierTraining.Settings settings = new ClassifierTraining.Settings(seed, epochs, 64, 1e-3f);
        ClassifierTraining.Result result = ClassifierTraining.train(chosen, settings, DataHome.standard(), System.out);
        Path file = out != null ? out : Path.of(chosen.name() + "-judge.safetensors");
        String command = String.format(Locale.ROOT, "wgan train-classifier --dataset %s --epochs %d --seed %d", chosen.name(), epochs, seed);
        ClassifierTraining.save(file, chosen, settings, result, command);
        System.out.printf(Locale.ROOT, "Wrote %s: test accuracy %.2f%% on %d images, %.0f s%n", file, 100 * result.testAccuracy(),
                result.testImages(), result.seconds());
        System.out.printf(Locale.ROOT, "train-classifier accuracy=%.4f%n", result.testAccuracy());
        return 0;
    }
}
