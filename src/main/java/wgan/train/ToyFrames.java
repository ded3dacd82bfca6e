package wgan.train;

import wgan.autodiff.Grad;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.data.ToyDistribution;
import wgan.io.AnimatedGif;
import wgan.io.AtomicFiles;
import wgan.io.CriticFrame;
import wgan.io.WeightHistogram;
import wgan.nn.GradientPenalty;
import wgan.nn.Parameter;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a 2-D toy run shows at each sample step (docs/teaching.md): a frame of the critic
 * ({@link CriticFrame}) in {@code frames/}, the histogram of the critic's Dense weights
 * ({@code weights.png}), and a row of {@code critic.csv}: the critic's gradient norm at
 * interpolates between real and generated points, as the penalty measures it, and the share of
 * clipped weights at the bound. At the end the frames become {@code frames.gif}. Everything it
 * draws at random comes from its own stream, so training is the same with or without it.
 */
final class ToyFrames {
    static final String CSV = "critic.csv";
    static final String HEADER = "iteration,norm_mean,norm_std,norm_min,norm_max,at_bound";
    static final String FRAMES = "frames";
    static final String GIF = "frames.gif";
    static final String HISTOGRAM = "weights.png";
    /** The plane shown: [-EXTENT, EXTENT]^2 holds every toy distribution with room around it. */
    static final double EXTENT = 2.5;
    static final int VALUE_GRID = 100;
    static final int ARROW_GRID = 21;
    /** Real and generated points drawn in each frame, the same ones every time. */
    static final int POINTS = 256;
    static final int GIF_DELAY_MILLIS = 250;

    private final Path dir;
    private final TrainConfig config;
    private final Tensor real;
    private final Tensor latent;
    private final float[] eps;
    private final List<String> rows = new ArrayList<>();

    private ToyFrames(Path dir, TrainConfig config) {
        this.dir = dir;
        this.config = config;
        ToyDistribution toy = config.get(Settings.DATASET).toy();
        Rng rng = WganTrainer.RandomStream.TOY_FRAMES.of(config.get(Settings.SEED));
        this.real = toy.sample(POINTS, rng.fork(1));
        this.latent = Tensor.zeros(POINTS, config.get(Settings.LATENT));
        rng.fork(2).fillGaussian(latent.data(), 0f, 1f);
        this.eps = new float[POINTS];
        rng.fork(3).fillUniform(eps, 0f, 1f);
    }

    /** The frames of a toy run whose last checkpoint is at {@code start} (rows of critic.csv after it are dropped); null for image runs. */
    static ToyFrames open(Path dir, TrainConfig config, int start) throws IOException {
        if (!config.get(Settings.DATASET).isToy()) return null;
        ToyFrames frames = new ToyFrames(dir, config);
        Path csv = dir.resolve(CSV);
        if (Files.exists(csv)) {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String first = line.split(",", 2)[0];
                if (first.matches("\\d+") && Long.parseLong(first) <= start) frames.rows.add(line);
            }
        }
        return frames;
    }

    /** The frame, histogram and critic.csv row of {@code iteration}. */
    void write(int iteration, WganTrainer trainer) throws IOException {
        Tensor fake = trainer.generate(latent);
        float[] norms = gradients(trainer, GradientPenalty.interpolate(real, fake, eps)).norms();
        double sum = 0, squares = 0, min = Double.POSITIVE_INFINITY, max = 0;
        for (float v : norms) {
            sum += v;
            squares += (double) v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / norms.length, std = Math.sqrt(Math.max(0, squares / norms.length - mean * mean));
        double atBound = trainer.criticHealth().clippedAtBound();
        rows.add(String.format(Locale.ROOT, "%d,%.6g,%.6g,%.6g,%.6g,%s", iteration, mean, std, min, max,
                Double.isNaN(atBound) ? "" : String.format(Locale.ROOT, "%.6g", atBound)));
        AtomicFiles.write(dir.resolve(CSV), (HEADER + "\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8));

        String title = String.format(Locale.ROOT, "%s, %s - iteration %d", config.dataTitle(), lipschitz(), iteration);
        CriticFrame.write(dir.resolve(FRAMES).resolve(String.format("frame_%06d.png", iteration)), new CriticFrame.Frame(title, EXTENT,
                values(trainer), VALUE_GRID, gradients(trainer, gridPoints(ARROW_GRID)).vectors(), ARROW_GRID,
                real.data(), fake.data()));
        WeightHistogram.write(dir.resolve(HISTOGRAM), String.format(Locale.ROOT, "critic's Dense weights, %s - iteration %d",
                lipschitz(), iteration), denseWeights(trainer), config.get(Settings.LIPSCHITZ).clips() ? config.get(Settings.CLIP) : Double.NaN);
    }

    /** The frames written so far, in order, joined into the looping GIF. */
    void writeGif() throws IOException {
        List<Path> pngs;
        try (Stream<Path> files = Files.list(dir.resolve(FRAMES))) {
            pngs = files.filter(f -> f.getFileName().toString().matches("frame_\\d+\\.png")).sorted().toList();
        }
        AnimatedGif.write(dir.resolve(GIF), pngs, GIF_DELAY_MILLIS);
    }

    /** "gp (lambda 0.1)", "clip (c 0.01)", "none". */
    private String lipschitz() {
        TrainConfig.Lipschitz l = config.get(Settings.LIPSCHITZ);
        if (l.penalises()) return String.format(Locale.ROOT, "%s (lambda %.3g)", Ids.id(l), config.get(Settings.GP_WEIGHT));
        if (l.clips()) return String.format(Locale.ROOT, "%s (c %.3g)", Ids.id(l), config.get(Settings.CLIP));
        return Ids.id(l);
    }

    /** The centres of an n x n tiling of the plane, row by row from the top, as [n*n, 1, 1, 2]. */
    static Tensor gridPoints(int n) {
        float[] xy = new float[2 * n * n];
        double cell = 2 * EXTENT / n;
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                xy[2 * (row * n + col)] = (float) (-EXTENT + (col + 0.5) * cell);
                xy[2 * (row * n + col) + 1] = (float) (EXTENT - (row + 0.5) * cell);
            }
        }
        return Tensor.of(xy, n * n, 1, 1, 2);
    }

    private static float[] values(WganTrainer trainer) {
        try (var s = Grad.noGrad()) {
            return trainer.critic.forward(Var.constant(gridPoints(VALUE_GRID)), false).value().data();
        }
    }

    /** The critic's input gradient at each point: (dD/dx, dD/dy) pairs, and their norms. */
    record Gradients(float[] vectors, float[] norms) {}

    static Gradients gradients(WganTrainer trainer, Tensor points) {
        Var x = Var.param(points);
        // The toy critic has no batch norm: each point's score depends on that point alone, so the
        // gradient of the sum holds every point's own gradient.
        float[] g = Grad.grad(Ops.sum(trainer.critic.forward(x, false)), List.of(x), false).get(0).value().data().clone();
        float[] norms = new float[g.length / 2];
        for (int i = 0; i < norms.length; i++) norms[i] = (float) Math.hypot(g[2 * i], g[2 * i + 1]);
        return new Gradients(g, norms);
    }

    private static float[] denseWeights(WganTrainer trainer) {
        List<Parameter> kernels = Parameter.ofKind(trainer.critic.parameters(), Parameter.Kind.DENSE_KERNEL);
        float[] all = new float[kernels.stream().mapToInt(p -> p.var().value().size()).sum()];
        int at = 0;
        for (Parameter p : kernels) {
            float[] w = p.var().value().data();
            System.arraycopy(w, 0, all, at, w.length);
            at += w.length;
        }
        return all;
    }
}
