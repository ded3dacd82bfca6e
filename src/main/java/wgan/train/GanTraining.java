package wgan.train;

import wgan.data.TrainingImages;
import wgan.io.LossPlot;
import wgan.io.SampleGrid;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A GAN run's side of {@link Trainer}: {@link WganTrainer}'s iterations as log.csv rows, its
 * sample grids and loss plot, the quality measures ({@link RunMetrics}) and report.html.
 */
final class GanTraining implements Trainer<LossLog.Row> {
    private static final int GRID = 10;
    private final WganTrainer trainer;
    private final TrainConfig config;
    /** The real images, which a run on an image folder is measured against. */
    private final TrainingImages real;
    private RunMetrics metrics;
    /** A toy run's frames of the critic (docs/teaching.md), drawn in place of sample grids; null for images. */
    private ToyFrames frames;

    GanTraining(WganTrainer trainer, TrainingImages real) {
        this.trainer = trainer;
        this.config = trainer.config();
        this.real = real;
    }

    @Override
    public Checkpoint.Saved state() {
        return trainer;
    }

    @Override
    public LossLog.Columns<LossLog.Row> columns() {
        return LossLog.GAN;
    }

    @Override
    public void begin(Path dir, int start, Schedule schedule, PrintStream out) throws IOException {
        out.printf(Locale.ROOT, "Preset %s: %s, model %s (critic norm %s), %s loss, Lipschitz: %s, %s%n",
                Ids.id(config.get(Settings.PRESET)), config.dataTitle(), config.get(Settings.MODEL).id(), config.get(Settings.CRITIC_NORM).id(),
                Ids.id(config.get(Settings.LOSS)), Ids.id(config.get(Settings.LIPSCHITZ)), config.optimizerTitle());
        out.printf(Locale.ROOT, "Data: %d images; %d iterations of batch %d (%d per epoch), n_critic %d%s%n",
                schedule.images(), schedule.iterations(), config.get(Settings.BATCH), schedule.batchesPerEpoch(), config.get(Settings.N_CRITIC),
                config.get(Settings.CRITIC_WARMUP) ? " (100 with the warm-up schedule)" : "");
        frames = ToyFrames.open(dir, config, start);
        if (frames != null) {
            out.println("Quality metrics: none for 2-D points; the frames and critic.csv show the run (docs/teaching.md)");
        } else {
            metrics = RunMetrics.open(dir, config, start, real);
        }
    }

    @Override
    public LossLog.Row iteration(int i, long startNanos) {
        WganTrainer.StepLosses l = trainer.iteration();
        return new LossLog.Row(i, l.c1(), l.c2(), l.g(), l.gp(), (System.nanoTime() - startNanos) / 1e9);
    }

    /** The sample grid from the run's fixed latent points, the loss plot so far, the quality measures and the report. */
    @Override
    public void sampleStep(Path dir, int iteration, String gridName, List<LossLog.Row> rows, Path lastCheckpoint,
                           Consumer<String> note) throws IOException {
        if (frames != null) {
            frames.write(iteration, trainer);
        } else {
            SampleGrid.write(dir.resolve(gridName), trainer.generate(trainer.gridLatent(GRID * GRID)), GRID, GRID);
        }
        double[] it = new double[rows.size()], c1 = new double[rows.size()], c2 = new double[rows.size()];
        double[] g = new double[rows.size()], gp = new double[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            it[k] = rows.get(k).iteration();
            c1[k] = rows.get(k).c1();
            c2[k] = rows.get(k).c2();
            g[k] = rows.get(k).g();
            gp[k] = rows.get(k).gp();
        }
        String title = Ids.id(config.get(Settings.PRESET)) + ": " + config.dataTitle();
        if (config.get(Settings.LOSS) == TrainConfig.Loss.WASSERSTEIN) {
            LossPlot.writeWgan(dir.resolve("losses.png"), title, it, c1, c2, g, config.get(Settings.LIPSCHITZ).penalises() ? gp : null);
        } else {
            LossPlot.writeGan(dir.resolve("losses.png"), title, it, c1, c2, g, config.get(Settings.LIPSCHITZ).penalises() ? gp : null);
        }
        if (metrics != null) metrics.measure(iteration, trainer, lastCheckpoint, rows, note);
        RunReport.write(dir);
    }

    /** A toy run's frames, joined into frames.gif. */
    @Override
    public void finish(Path dir) throws IOException {
        if (frames != null) frames.writeGif();
    }

    @Override
    public void report(Path dir) throws IOException {
        RunReport.write(dir);
    }
}
