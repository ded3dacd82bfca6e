package wgan.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import wgan.data.DatasetFiles;
import wgan.io.AtomicFiles;
import wgan.io.LossPlot;
import wgan.io.SampleGrid;
import wgan.kernels.Parallel;
import wgan.kernels.Simd;
import wgan.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * One training run in its folder: loads the data, writes config.json, runs the iterations of
 * {@link WganTrainer}, and writes the log, sample grids, loss plot and checkpoints (README,
 * "What a run writes"). Exit codes: 0 done, 3 stopped on a non-finite loss, 130 stopped by a signal.
 */
public final class TrainingRun {
    static final int EXIT_NON_FINITE = 3;
    static final int EXIT_INTERRUPTED = 130;
    private static final int GRID = 10;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final Path dir;
    private final TrainConfig config;
    private final WganTrainer trainer;
    private final int batchesPerEpoch;
    private final boolean verbose;
    private final PrintStream out = System.out;

    private TrainingRun(Path dir, TrainConfig config, WganTrainer trainer, int batchesPerEpoch, boolean verbose) {
        this.dir = dir;
        this.config = config;
        this.trainer = trainer;
        this.batchesPerEpoch = batchesPerEpoch;
        this.verbose = verbose;
    }

    /** Starts a new run in a new folder under {@code outBase}. {@code epochs} sets the length when iterations is 0. */
    public static int start(TrainConfig config, Integer epochs, Path outBase, boolean verbose) throws IOException {
        Tensor real = loadImages(config);
        int perEpoch = config.batchesPerEpoch(real.dim(0));
        int iterations = config.iterations() > 0 ? config.iterations()
                : (epochs != null ? epochs : TrainConfig.EPOCHS_DEFAULT) * perEpoch;
        int every = config.checkpointEvery() > 0 ? config.checkpointEvery() : perEpoch;
        TrainConfig resolved = new TrainConfig(config.digit(), iterations, config.batch(), config.nCritic(), config.clip(),
                config.lr(), config.optimizer(), config.latent(), config.seed(), every, config.dataDir(), config.kerasBnQuirk());
        Path dir = newRunFolder(outBase, resolved);
        writeConfig(dir, resolved, 0);
        return new TrainingRun(dir, resolved, new WganTrainer(resolved, real), perEpoch, verbose).loop(0, real.dim(0));
    }

    /** Continues the run in {@code dir} from its latest checkpoint, optionally to a new length. */
    public static int resume(Path dir, Integer iterations, Integer epochs, Path data, boolean verbose) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) throw new IOException(dir + " is not a wgan run folder: it has no config.json");
        TrainConfig config = readConfig(configFile);
        if (data != null) config = config.withDataDir(data.toString());
        Tensor real = loadImages(config);
        int perEpoch = config.batchesPerEpoch(real.dim(0));
        if (iterations != null) config = config.withIterations(iterations);
        if (epochs != null) config = config.withIterations(epochs * perEpoch);
        WganTrainer trainer = new WganTrainer(config, real);
        Path checkpoint = Checkpoint.latest(dir.resolve("checkpoints")).orElseThrow(() ->
                new IOException(dir + " has no checkpoint to resume from (checkpoints/latest is missing)"));
        int start = Checkpoint.restore(checkpoint, trainer);
        if (start >= config.iterations()) {
            System.out.printf(Locale.ROOT, "%s is complete: its checkpoint is at iteration %d of %d. "
                    + "Give --iterations N (N > %d) to train further.%n", dir, start, config.iterations(), start);
            return 0;
        }
        writeConfig(dir, config, start);
        System.out.printf(Locale.ROOT, "Resuming from %s (iteration %d)%n", checkpoint, start);
        return new TrainingRun(dir, config, trainer, perEpoch, verbose).loop(start, real.dim(0));
    }

    private int loop(int start, int images) throws IOException {
        out.println("Run folder: " + dir.toAbsolutePath());
        out.printf(Locale.ROOT, "Kernels: %s; threads: %d%n", Simd.describe(), Parallel.threads());
        out.printf(Locale.ROOT, "Data: %d images of digit %d; %d iterations of batch %d (%d per epoch), n_critic %d%n",
                images, config.digit(), config.iterations(), config.batch(), batchesPerEpoch, config.nCritic());
        Path checkpoints = dir.resolve("checkpoints");
        Path lastCheckpoint = start > 0 ? checkpoints.resolve(Checkpoint.folderName(start)) : null;
        try (LossLog log = LossLog.open(dir.resolve("log.csv"), start);
             StopSignal stop = new StopSignal();
             Progress progress = Progress.create(start, config.iterations(), verbose, out)) {
            for (int i = start + 1; i <= config.iterations(); i++) {
                long t0 = System.nanoTime();
                WganTrainer.StepLosses l = trainer.iteration();
                LossLog.Row row = new LossLog.Row(i, l.c1(), l.c2(), l.g(), (System.nanoTime() - t0) / 1e9);
                if (!row.finite()) {
                    progress.close();
                    System.err.printf(Locale.ROOT, "wgan: iteration %d gave a non-finite loss (c1=%s, c2=%s, g=%s): stopping."
                                    + " Nothing from this iteration was saved; the last good checkpoint is %s."
                                    + " A lower --lr usually helps.%n", i, row.c1(), row.c2(), row.g(),
                            lastCheckpoint == null ? "none (it failed before the first)" : lastCheckpoint);
                    return EXIT_NON_FINITE;
                }
                log.append(row);
                progress.update(row);
                boolean epochEnd = i % batchesPerEpoch == 0;
                boolean last = i == config.iterations();
                if (epochEnd || last) writeSamplesAndPlot(i, epochEnd, log.rows());
                if (epochEnd || last || i % config.checkpointEvery() == 0 || stop.requested()) {
                    Path saved = Checkpoint.save(checkpoints, trainer, i);
                    // Every epoch's checkpoint is kept; one between epochs only until the next is written.
                    if (lastCheckpoint != null && !isEpochCheckpoint(lastCheckpoint)) Checkpoint.delete(lastCheckpoint);
                    lastCheckpoint = saved;
                }
                if (stop.requested() && !last) {
                    progress.close();
                    out.printf(Locale.ROOT, "Stopped after iteration %d; checkpoint written. Continue with: --resume %s%n", i, dir);
                    return EXIT_INTERRUPTED;
                }
            }
        }
        out.println("Done. Outputs in " + dir.toAbsolutePath());
        return 0;
    }

    private boolean isEpochCheckpoint(Path checkpoint) {
        int iteration = Integer.parseInt(checkpoint.getFileName().toString().substring("iter-".length()));
        return iteration % batchesPerEpoch == 0;
    }

    /** The sample grid from the run's fixed latent points, and the loss plot so far. */
    private void writeSamplesAndPlot(int iteration, boolean epochEnd, List<LossLog.Row> rows) throws IOException {
        String name = epochEnd ? String.format("samples_epoch_%03d.png", iteration / batchesPerEpoch)
                : String.format("samples_iter_%06d.png", iteration);
        SampleGrid.write(dir.resolve(name), trainer.generate(trainer.gridLatent(GRID * GRID)), GRID, GRID);
        double[] it = new double[rows.size()], c1 = new double[rows.size()], c2 = new double[rows.size()], g = new double[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            it[k] = rows.get(k).iteration();
            c1[k] = rows.get(k).c1();
            c2[k] = rows.get(k).c2();
            g[k] = rows.get(k).g();
        }
        LossPlot.writeWgan(dir.resolve("losses.png"), "WGAN, MNIST digit " + config.digit(), it, c1, c2, g);
    }

    /** The training images of the configured digit, scaled to [-1, 1]. */
    static Tensor loadImages(TrainConfig config) throws IOException {
        Path data = config.dataDir() == null ? null : Path.of(config.dataDir());
        Tensor images = DatasetFiles.MNIST.load(data, DatasetFiles.Split.TRAIN,
                w -> System.err.println("wgan: warning: " + w)).images(config.digit());
        if (images.dim(0) == 0) throw new IOException("the MNIST training files hold no image of digit " + config.digit());
        return images;
    }

    private static Path newRunFolder(Path outBase, TrainConfig config) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String base = "e1-digit" + config.digit() + "-" + stamp;
        try {
            Files.createDirectories(outBase);
            for (int k = 1; ; k++) {
                Path dir = outBase.resolve(k == 1 ? base : base + "-" + k);
                try {
                    return Files.createDirectory(dir);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // another run started in the same second: take the next name
                }
            }
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.AccessDeniedException e) {
            // Their messages are a bare path; say what failed.
            throw new IOException("cannot create a run folder under " + outBase.toAbsolutePath() + " ("
                    + e.getClass().getSimpleName().replace("Exception", "") + ": " + e.getFile()
                    + "); choose another folder with --out", e);
        }
    }

    /** config.json: the recipe under "config", where and how it runs under "run". */
    private static void writeConfig(Path dir, TrainConfig config, int resumedFrom) throws IOException {
        JsonObject root = new JsonObject();
        root.add("config", JsonParser.parseString(config.toJson()));
        root.add("run", GSON.toJsonTree(RunInfo.current()));
        if (resumedFrom > 0) root.addProperty("resumedFromIteration", resumedFrom);
        AtomicFiles.write(dir.resolve("config.json"), GSON.toJson(root).getBytes(StandardCharsets.UTF_8));
    }

    private static TrainConfig readConfig(Path file) throws IOException {
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            JsonElement config = root.isJsonObject() ? root.getAsJsonObject().get("config") : null;
            if (config == null) throw new IOException(file + " has no \"config\" section");
            return TrainConfig.fromJson(config.toString(), file);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a valid run configuration: " + e.getMessage(), e);
        }
    }
}
