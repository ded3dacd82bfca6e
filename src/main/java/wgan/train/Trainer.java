package wgan.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@link TrainingRun} drives, one iteration at a time: a GAN ({@link GanTraining}) or an
 * autoencoder ({@link AutoencoderTrainer}). The run owns the folder, the lock, log.csv, the
 * checkpoints' schedule and the stopping; the trainer its steps, its log's columns, what it saves
 * in a checkpoint and what it writes at a sample step.
 *
 * @param <R> its rows of log.csv
 */
interface Trainer<R extends LossLog.Entry> {
    /** How long the run is: its training images, its iterations and the iterations of an epoch. */
    record Schedule(int images, int iterations, int batchesPerEpoch) {}

    /** What a checkpoint saves and restores. */
    Checkpoint.Saved state();

    /** The columns of its log.csv. */
    LossLog.Columns<R> columns();

    /** Before the first iteration (of a new or resumed run, whose checkpoint is at {@code start}): says what it trains. */
    void begin(Path dir, int start, Schedule schedule, PrintStream out) throws IOException;

    /** Runs iteration {@code i}, which began at {@code startNanos} (System.nanoTime), and returns its row. */
    R iteration(int i, long startNanos);

    /**
     * At a sample step, after the checkpoint of {@code iteration} (the newest is {@code lastCheckpoint}):
     * the sample grid {@code gridName}, plots, measurements, report.html; notes go through {@code note}.
     */
    void sampleStep(Path dir, int iteration, String gridName, List<R> rows, Path lastCheckpoint, Consumer<String> note) throws IOException;

    /** Writes report.html, when the run stops early. */
    void report(Path dir) throws IOException;

    /** After the last iteration of a run that was not stopped: what is made from the whole run. */
    default void finish(Path dir) throws IOException {}
}
