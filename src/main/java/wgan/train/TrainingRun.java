package wgan.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import wgan.data.DataHome;
import wgan.data.DatasetFiles;
import wgan.data.ImageFolder;
import wgan.data.Resize;
import wgan.data.TrainingImages;
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
import java.util.function.Consumer;

/**
 * One training run in its folder: loads the data, writes config.json, runs the iterations of
 * {@link WganTrainer}, and writes the log, sample grids, loss plot and checkpoints (README,
 * "What a run writes"). Exit codes: 0 done, 3 stopped on a non-finite loss, 130 stopped by a signal.
 */
public final class TrainingRun {
    static final int EXIT_NON_FINITE = 3;
    static final int EXIT_INTERRUPTED = 130;
    private static final int GRID = 10;
    /** Kept checkpoints are at least this many iterations apart. */
    private static final int MIN_KEPT_APART = 50;
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
        TrainingImages real = loadImages(config);
        int perEpoch = config.batchesPerEpoch(real.count());
        int iterations = config.iterations() > 0 ? config.iterations()
                : (epochs != null ? epochs : TrainConfig.EPOCHS_DEFAULT) * perEpoch;
        TrainConfig resolved = config.withIterations(iterations);
        Path dir = newRunFolder(outBase, resolved);
        writeConfig(dir, resolved, 0);
        return new TrainingRun(dir, resolved, new WganTrainer(resolved, real), perEpoch, verbose).loop(0, real.count());
    }

    /** Continues the run in {@code dir} from its latest checkpoint, optionally to a new length. */
    public static int resume(Path dir, Integer iterations, Integer epochs, Path data, boolean verbose) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) throw new IOException(dir + " is not a wgan run folder: it has no config.json");
        TrainConfig config = readConfig(configFile);
        if (data != null) config = config.withDataDir(data.toString());
        TrainingImages real = loadImages(config);
        int perEpoch = config.batchesPerEpoch(real.count());
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
        return new TrainingRun(dir, config, trainer, perEpoch, verbose).loop(start, real.count());
    }

    private int loop(int start, int images) throws IOException {
        out.println("Run folder: " + dir.toAbsolutePath());
        out.printf(Locale.ROOT, "Kernels: %s; threads: %d%n", Simd.describe(), Parallel.threads());
        out.printf(Locale.ROOT, "Preset %s: %s, model %s (critic norm %s), %s loss, Lipschitz: %s, %s %.3g%n",
                Ids.id(config.preset()), config.dataTitle(), config.model().id(), config.criticNorm().id(),
                Ids.id(config.loss()), Ids.id(config.lipschitz()), config.optimizer(), config.lr());
        out.printf(Locale.ROOT, "Data: %d images; %d iterations of batch %d (%d per epoch), n_critic %d%s%n",
                images, config.iterations(), config.batch(), batchesPerEpoch, config.nCritic(),
                config.criticWarmup() ? " (100 with the warm-up schedule)" : "");
        Path checkpoints = dir.resolve("checkpoints");
        Path lastCheckpoint = start > 0 ? checkpoints.resolve(Checkpoint.folderName(start)) : null;
        RunMetrics metrics = RunMetrics.open(dir, config, start, out);
        try (LossLog log = LossLog.open(dir.resolve("log.csv"), start);
             StopSignal stop = new StopSignal();
             Progress progress = Progress.create(start, config.iterations(), verbose, out)) {
            for (int i = start + 1; i <= config.iterations(); i++) {
                long t0 = System.nanoTime();
                WganTrainer.StepLosses l = trainer.iteration();
                LossLog.Row row = new LossLog.Row(i, l.c1(), l.c2(), l.g(), l.gp(), (System.nanoTime() - t0) / 1e9);
                if (!row.finite()) {
                    progress.close();
                    System.err.printf(Locale.ROOT, "wgan: iteration %d gave a non-finite loss (c1=%s, c2=%s, g=%s, gp=%s): stopping."
                                    + " Nothing from this iteration was saved; the last good checkpoint is %s."
                                    + " A lower --lr usually helps.%n", i, row.c1(), row.c2(), row.g(), row.gp(),
                            lastCheckpoint == null ? "none (it failed before the first)" : lastCheckpoint);
                    return EXIT_NON_FINITE;
                }
                log.append(row);
                progress.update(row);
                boolean last = i == config.iterations();
                if (isKept(i) || last || i % checkpointEvery() == 0 || stop.requested()) {
                    Path saved = Checkpoint.save(checkpoints, trainer, i);
                    // Kept checkpoints stay; one between them only until the next is written.
                    if (lastCheckpoint != null && !isKept(iterationOf(lastCheckpoint))) Checkpoint.delete(lastCheckpoint);
                    lastCheckpoint = saved;
                }
                // After the checkpoint, which matters more if the run is being stopped.
                if (i % sampleEvery() == 0 || last) {
                    writeSamplesAndPlot(i, log.rows());
                    if (metrics != null) metrics.measure(i, trainer, lastCheckpoint, log.rows(), progress::note);
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

    /**
     * Whether the checkpoint after {@code iteration} is kept for good: one per epoch, or per several
     * epochs when an epoch is shorter than {@link #MIN_KEPT_APART} iterations (a small image folder),
     * so that a long run does not fill the disk.
     */
    private boolean isKept(int iteration) {
        int epochs = (MIN_KEPT_APART + batchesPerEpoch - 1) / batchesPerEpoch;
        return iteration % (epochs * batchesPerEpoch) == 0;
    }

    private static int iterationOf(Path checkpoint) {
        return Integer.parseInt(checkpoint.getFileName().toString().substring("iter-".length()));
    }

    /** Iterations between sample grids: the configured number, or one epoch. */
    private int sampleEvery() {
        return config.sampleEvery() > 0 ? config.sampleEvery() : batchesPerEpoch;
    }

    /** Iterations between (rolling) checkpoints: the configured number, or the sample interval. */
    private int checkpointEvery() {
        return config.checkpointEvery() > 0 ? config.checkpointEvery() : sampleEvery();
    }

    /**
     * The sample grid from the run's fixed latent points, named by epoch when the iteration ends
     * one, and the loss plot so far.
     */
    private void writeSamplesAndPlot(int iteration, List<LossLog.Row> rows) throws IOException {
        String name = iteration % batchesPerEpoch == 0 ? String.format("samples_epoch_%03d.png", iteration / batchesPerEpoch)
                : String.format("samples_iter_%06d.png", iteration);
        SampleGrid.write(dir.resolve(name), trainer.generate(trainer.gridLatent(GRID * GRID)), GRID, GRID);
        double[] it = new double[rows.size()], c1 = new double[rows.size()], c2 = new double[rows.size()];
        double[] g = new double[rows.size()], gp = new double[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            it[k] = rows.get(k).iteration();
            c1[k] = rows.get(k).c1();
            c2[k] = rows.get(k).c2();
            g[k] = rows.get(k).g();
            gp[k] = rows.get(k).gp();
        }
        String title = Ids.id(config.preset()) + ": " + config.dataTitle();
        if (config.loss() == TrainConfig.Loss.WASSERSTEIN) {
            LossPlot.writeWgan(dir.resolve("losses.png"), title, it, c1, c2, g, config.lipschitz().penalises() ? gp : null);
        } else {
            LossPlot.writeGan(dir.resolve("losses.png"), title, it, c1, c2, g, config.lipschitz().penalises() ? gp : null);
        }
    }

    /** The training images the configuration names, at the model's size, scaled to [-1, 1], enough for a batch. */
    static TrainingImages loadImages(TrainConfig config) throws IOException {
        return checked(load(config), config);
    }

    private static TrainingImages load(TrainConfig config) throws IOException {
        Architecture model = config.model();
        Path data = config.dataDir() == null ? null : Path.of(config.dataDir());
        Consumer<String> warn = w -> System.err.println("wgan: warning: " + w);
        if (config.dataset() == TrainConfig.Dataset.FOLDER) {
            if (data == null) throw new IOException("training on an image folder needs --data DIR (the folder of .jpg/.png files)");
            if (model.height() != model.width()) throw new IOException("model " + model.id() + " is not square; image folders give square images");
            ImageFolder.Color color = model.channels() == 3 ? ImageFolder.Color.RGB : ImageFolder.Color.GRAY;
            // Bytes, not floats: 63,565 64x64 RGB images are 780 MB so, 3.1 GB as floats.
            return TrainingImages.of(ImageFolder.loadBytes(data, model.height(), color, warn));
        }
        DatasetFiles files = config.dataset() == TrainConfig.Dataset.MNIST ? DatasetFiles.MNIST : DatasetFiles.FASHION_MNIST;
        if (model.channels() != 1) {
            throw new IOException("model " + model.id() + " makes colour images; " + files.title()
                    + " is grayscale (train it on a folder of colour images with --dataset folder --data DIR)");
        }
        Tensor images = files.load(data, DatasetFiles.Split.TRAIN, DataHome.standard(), warn).images(config.label());
        if (images.dim(0) == 0) throw new IOException("the " + files.title() + " training files hold no image of class " + config.label());
        if (images.dim(1) != model.height() || images.dim(2) != model.width()) {
            // E2/E3 train at 32x32: tf.image.resize's bilinear, as their reference does.
            images = Resize.bilinear(images, model.height(), model.width());
        }
        return TrainingImages.of(images);
    }

    /** The loaded images can feed the configured batches; otherwise an error saying what to change. */
    private static TrainingImages checked(TrainingImages images, TrainConfig config) throws IOException {
        int needed = config.criticBatch();
        if (images.count() < needed) {
            throw new IOException("the data has " + images.count() + " images, fewer than one critic batch of " + needed
                    + "; give a smaller --batch or more images");
        }
        return images;
    }

    private static Path newRunFolder(Path outBase, TrainConfig config) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String data = switch (config.dataset()) {
            case MNIST -> config.label() < 0 ? "mnist" : "digit" + config.label();
            case FASHION_MNIST -> config.label() < 0 ? "fashion" : "fashion" + config.label();
            case FOLDER -> {
                Path name = Path.of(config.dataDir()).toAbsolutePath().normalize().getFileName();
                yield name == null ? "images" : name.toString().replaceAll("[^A-Za-z0-9_.-]", "_");
            }
        };
        String base = Ids.id(config.preset()) + "-" + data + "-" + stamp;
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
