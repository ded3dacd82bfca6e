package wgan.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import wgan.data.DataHome;
import wgan.data.DatasetFiles;
import wgan.data.ImageFolder;
import wgan.data.LabeledImages;
import wgan.data.Resize;
import wgan.data.TrainingImages;
import wgan.io.AtomicFiles;
import wgan.io.FileFormatException;
import wgan.kernels.Device;
import wgan.kernels.Devices;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * One training run in its folder: loads the data, writes config.json, runs the iterations of a
 * {@link Trainer} ({@link GanTraining} for a GAN, {@link AutoencoderTrainer} for an autoencoder),
 * and writes the log, sample grids, loss plot and checkpoints (README, "What a run writes"),
 * holding the folder's {@link RunLock} all the while. Exit codes: 0 done, 3 stopped on a non-finite loss, 130 stopped by a signal.
 */
public final class TrainingRun {
    static final int EXIT_NON_FINITE = 3;
    public static final int EXIT_INTERRUPTED = 130;
    /** Kept checkpoints are at least this many iterations apart. */
    private static final int MIN_KEPT_APART = 50;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
    private static final String TRAINING_IMAGES = "trainingImages";
    /** Points in a toy run's data set: an epoch is 781 of the toy presets' batches of 128. */
    static final int TOY_POINTS = 100_000;

    private final Path dir;
    private final TrainConfig config;
    private final int batchesPerEpoch;
    private final boolean verbose;
    private final PrintStream out = System.out;

    private TrainingRun(Path dir, TrainConfig config, int batchesPerEpoch, boolean verbose) {
        this.dir = dir;
        this.config = config;
        this.batchesPerEpoch = batchesPerEpoch;
        this.verbose = verbose;
    }

    /** The trainer of the configured model: a GAN's, or an autoencoder's. */
    private static Trainer<?> trainer(TrainConfig config, TrainingImages real) {
        return config.get(Settings.MODEL).autoencoder() ? new AutoencoderTrainer(config, real) : new GanTraining(new WganTrainer(config, real), real);
    }

    /** Starts a new run in a new folder under {@code outBase}. */
    public static int start(TrainConfig config, Path outBase, boolean verbose) throws IOException {
        MemoryNeed.check(config);
        TrainingImages real = loadImages(config);
        TrainConfig resolved = config.withLengthFor(real.count());
        Path dir = newRunFolder(outBase, resolved);
        try (RunLock lock = RunLock.acquire(dir)) {
            return startLocked(dir, resolved, real, verbose);
        }
    }

    /**
     * The run of {@code config} in the folder {@code dir} itself (made if missing), as a sweep runs
     * each of its runs, so that an attempt killed midway is simply run again: it resumes from the
     * newest checkpoint the folder holds (with the recipe of its config.json), or starts from the
     * beginning when there is none, over what an attempt killed before its first checkpoint left
     * (the rows of its log and metrics are dropped, as a resume drops those past its checkpoint).
     */
    public static int startOrResume(TrainConfig config, Path dir, boolean verbose) throws IOException {
        Files.createDirectories(dir);
        try (RunLock lock = RunLock.acquire(dir)) {
            removeLeftovers(dir);
            if (Checkpoint.latest(dir.resolve("checkpoints")).isPresent()) {
                return resumeLocked(dir, dir.resolve("config.json"), new Resume(new Settings.Layer(), false), verbose);
            }
            MemoryNeed.check(config);
            TrainingImages real = loadImages(config);
            return startLocked(dir, config.withLengthFor(real.count()), real, verbose);
        }
    }

    private static int startLocked(Path dir, TrainConfig resolved, TrainingImages real, boolean verbose) throws IOException {
        writeConfig(dir, resolved, real.count(), 0);
        int perEpoch = resolved.batchesPerEpoch(real.count());
        return new TrainingRun(dir, resolved, perEpoch, verbose).loop(trainer(resolved, real), 0, null, real.count());
    }

    /**
     * How a resumed run may differ from its config.json: {@code changes} to its length (iterations
     * or epochs) and where its data is ({@link Settings#CHANGEABLE_ON_RESUME}), and, when
     * {@code allowDataChange}, other data than it trained on.
     */
    public record Resume(Settings.Layer changes, boolean allowDataChange) {
        public Resume {
            if (!Settings.CHANGEABLE_ON_RESUME.containsAll(changes.values().keySet())) {
                throw new IllegalArgumentException("a resumed run keeps its recipe; it may change only " + Settings.CHANGEABLE_ON_RESUME);
            }
        }

        /** Up to {@code iterations} in all, with everything else as before. */
        public static Resume to(int iterations) {
            return new Resume(new Settings.Layer().set(Settings.ITERATIONS, OptionalInt.of(iterations)), false);
        }
    }

    /**
     * Continues the run in {@code dir} from its latest checkpoint, with the changes {@code resume}
     * allows, holding the run folder's lock throughout.
     */
    public static int resume(Path dir, Resume resume, boolean verbose) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) throw new IOException(dir + " is not a wgan run folder: it has no config.json");
        try (RunLock lock = RunLock.acquire(dir)) {
            removeLeftovers(dir);
            return resumeLocked(dir, configFile, resume, verbose);
        }
    }

    private static int resumeLocked(Path dir, Path configFile, Resume resume, boolean verbose) throws IOException {
        RunConfig saved = readConfig(configFile);
        TrainConfig config = saved.config();
        Optional<Optional<Path>> newData = resume.changes().get(Settings.DATA);
        if (newData.isPresent() && !resume.allowDataChange() && !sameFolder(newData.get(), config.get(Settings.DATA))) {
            throw new InvalidSettingException(Settings.DATA, "is " + config.get(Settings.DATA).map(Path::toString).orElse("the default place")
                    + " in " + configFile + ", not " + newData.get().map(Path::toString).orElse("the default place")
                    + ": a resumed run trains on its own data (give --allow-data-change to resume on other data)");
        }
        config = config.toBuilder().setAll(resume.changes()).build();
        MemoryNeed.check(config);
        TrainingImages real = loadImages(config);
        if (saved.images().isPresent() && saved.images().getAsInt() != real.count() && !resume.allowDataChange()) {
            throw new IOException("the data has " + real.count() + " training images, but the run in " + dir + " trained on "
                    + saved.images().getAsInt() + " (" + config.dataTitle() + "): a resumed run trains on its own data "
                    + "(give --allow-data-change to resume on other data)");
        }
        config = config.withLengthFor(real.count());
        int perEpoch = config.batchesPerEpoch(real.count());
        Trainer<?> trainer = trainer(config, real);
        Path checkpoint = Checkpoint.latest(dir.resolve("checkpoints")).orElseThrow(() ->
                new IOException(dir + " has no checkpoint to resume from (no complete checkpoints/iter-* folder)"));
        Checkpoint.State restored = Checkpoint.restore(checkpoint, trainer.state());
        int start = restored.iteration();
        if (start >= config.iterations()) {
            System.out.printf(Locale.ROOT, "%s is complete: its checkpoint is at iteration %d of %d. "
                    + "Give --iterations N (N > %d) to train further.%n", dir, start, config.iterations(), start);
            return 0;
        }
        writeConfig(dir, config, real.count(), start);
        System.out.printf(Locale.ROOT, "Resuming from %s (iteration %d)%n", checkpoint, start);
        return new TrainingRun(dir, config, perEpoch, verbose).loop(trainer, start, restored, real.count());
    }

    /** Removes what writes killed midway left in the run folder; only safe while holding its lock. */
    private static void removeLeftovers(Path dir) throws IOException {
        List<String> removed = new ArrayList<>(AtomicFiles.removeLeftovers(dir));
        Checkpoint.removeLeftovers(dir.resolve("checkpoints")).forEach(name -> removed.add("checkpoints/" + name));
        if (!removed.isEmpty()) {
            System.out.println("Removed what an interrupted write left behind: " + String.join(", ", removed));
        }
    }

    /** Whether {@code given} names the same folder as the run's setting (none: the dataset's default place). */
    private static boolean sameFolder(Optional<Path> given, Optional<Path> saved) {
        return given.map(p -> p.toAbsolutePath().normalize()).equals(saved.map(p -> p.toAbsolutePath().normalize()));
    }

    /** Runs iterations {@code start + 1} on; {@code resumed}: the checkpoint at {@code start}, null for a new run. */
    private <R extends LossLog.Entry> int loop(Trainer<R> trainer, int start, Checkpoint.State resumed, int images) throws IOException {
        out.println("Run folder: " + dir.toAbsolutePath());
        out.printf(Locale.ROOT, "Kernels: %s; threads: %d%n", Simd.describe(), Parallel.threads());
        Devices.announce(out);
        Path checkpoints = dir.resolve("checkpoints");
        Path lastCheckpoint = resumed != null ? checkpoints.resolve(Checkpoint.folderName(start)) : null;
        boolean lastReplaceable = resumed != null && resumed.replaceable();
        trainer.begin(dir, start, new Trainer.Schedule(images, config.iterations(), batchesPerEpoch), out);
        try (LossLog<R> log = LossLog.open(dir.resolve("log.csv"), start, trainer.columns());
             StopSignal stop = new StopSignal();
             Progress progress = Progress.create(start, config.iterations(), verbose, out)) {
            if (log.droppedRows() > 0) {
                out.printf(Locale.ROOT, "log.csv: dropped %d row%s after iteration %d, the checkpoint's%s%n", log.droppedRows(),
                        log.droppedRows() == 1 ? "" : "s", start, log.tornRowDropped() ? " (the last one cut short)" : "");
            }
            Device.Transfers moved = Device.Transfers.NONE;
            for (int i = start + 1; i <= config.iterations(); i++) {
                Device.Transfers before = Devices.current().transfers();
                R row = trainer.iteration(i, System.nanoTime());
                moved = moved.plus(Devices.current().transfers().since(before));
                if (!row.finite()) {
                    progress.close();
                    System.err.printf(Locale.ROOT, "wgan: iteration %d gave a non-finite loss (%s): stopping."
                                    + " Nothing from this iteration was saved; the last good checkpoint is %s."
                                    + " A lower --lr usually helps.%n", i, row.values(),
                            lastCheckpoint == null ? "none (it failed before the first)" : lastCheckpoint);
                    return EXIT_NON_FINITE;
                }
                log.append(row);
                progress.update(row);
                boolean last = i == config.iterations();
                if (isKept(i) || last || i % checkpointEvery() == 0 || stop.requested()) {
                    // The final one is kept too: a run extended later would otherwise lose its result.
                    boolean kept = isKept(i) || last;
                    Path saved = Checkpoint.save(checkpoints, trainer.state(), i, kept);
                    // Kept checkpoints stay; one between them only until the next is written.
                    if (lastReplaceable) Checkpoint.delete(lastCheckpoint);
                    lastCheckpoint = saved;
                    lastReplaceable = !kept;
                }
                // After the checkpoint, which matters more if the run is being stopped.
                if (i % sampleEvery() == 0 || last) {
                    trainer.sampleStep(dir, i, gridName(i), log.rows(), lastCheckpoint, progress::note);
                }
                if (stop.requested() && !last) {
                    trainer.report(dir);
                    progress.close();
                    out.printf(Locale.ROOT, "Stopped after iteration %d; checkpoint written. Continue with: --resume %s%n", i, dir);
                    return EXIT_INTERRUPTED;
                }
            }
            int iterations = config.iterations() - start;
            if (verbose && Devices.offloading() && iterations > 0) {
                // The iterations alone: sample grids and quality measurements also run on the device.
                out.printf(Locale.ROOT, "Device transfers per iteration: %,d bytes put, %,d got (mean of %d)%n",
                        moved.put() / iterations, moved.got() / iterations, iterations);
            }
        }
        trainer.finish(dir);
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

    /** Iterations between sample grids: the configured number, or one epoch. */
    private int sampleEvery() {
        return config.get(Settings.SAMPLE_EVERY).orElse(batchesPerEpoch);
    }

    /** Iterations between (rolling) checkpoints: the configured number, or the sample interval. */
    private int checkpointEvery() {
        return config.get(Settings.CHECKPOINT_EVERY).orElse(sampleEvery());
    }

    /** The name of the sample grid after {@code iteration}: by epoch when the iteration ends one. */
    private String gridName(int iteration) {
        return iteration % batchesPerEpoch == 0 ? String.format("samples_epoch_%03d.png", iteration / batchesPerEpoch)
                : String.format("samples_iter_%06d.png", iteration);
    }

    /** The training images the configuration names, at the model's size, scaled to [-1, 1], enough for a batch. */
    static TrainingImages loadImages(TrainConfig config) throws IOException {
        return checked(load(config), config);
    }

    private static TrainingImages load(TrainConfig config) throws IOException {
        Architecture model = config.get(Settings.MODEL);
        Path data = config.get(Settings.DATA).orElse(null);
        Consumer<String> warn = w -> System.err.println("wgan: warning: " + w);
        if (config.get(Settings.DATASET).isToy()) {
            // A fixed sample, as the WGAN-GP authors' 25 Gaussians is: resumed runs draw it again from the seed.
            return TrainingImages.of(config.get(Settings.DATASET).toy().sample(TOY_POINTS,
                    WganTrainer.RandomStream.TOY_POINTS.of(config.get(Settings.SEED))));
        }
        if (config.get(Settings.DATASET) == TrainConfig.Dataset.FOLDER) {
            if (data == null) throw new IOException("training on an image folder needs --data DIR (the folder of .jpg/.png files)");
            if (model.height() != model.width()) throw new IOException("model " + model.id() + " is not square; image folders give square images");
            ImageFolder.Color color = model.channels() == 3 ? ImageFolder.Color.RGB : ImageFolder.Color.GRAY;
            // Bytes, not floats: 63,565 64x64 RGB images are 780 MB so, 3.1 GB as floats.
            return TrainingImages.of(ImageFolder.loadBytes(data, model.height(), color, warn));
        }
        if (model.channels() != 1) {
            throw new IOException("model " + model.id() + " makes colour images; " + idxFiles(config).title()
                    + " is grayscale (train it on a folder of colour images with --dataset folder --data DIR)");
        }
        return TrainingImages.of(idxImages(config, DatasetFiles.Split.TRAIN));
    }

    private static DatasetFiles idxFiles(TrainConfig config) {
        return config.get(Settings.DATASET) == TrainConfig.Dataset.MNIST ? DatasetFiles.MNIST : DatasetFiles.FASHION_MNIST;
    }

    /**
     * The images of the configured class in one split of the configured IDX dataset (MNIST or
     * Fashion-MNIST), at the model's size, scaled to [-1, 1].
     */
    static Tensor idxImages(TrainConfig config, DatasetFiles.Split split) throws IOException {
        Architecture model = config.get(Settings.MODEL);
        DatasetFiles files = idxFiles(config);
        Tensor images = files.load(config.get(Settings.DATA).orElse(null), split, DataHome.standard(), w -> System.err.println("wgan: warning: " + w))
                .images(config.get(Settings.CLASS).orElse(LabeledImages.ALL));
        if (images.dim(0) == 0) {
            throw new IOException("the " + files.title() + " " + (split == DatasetFiles.Split.TRAIN ? "training" : "test") + " files hold no image of class "
                    + config.get(Settings.CLASS).getAsInt());
        }
        if (images.dim(1) != model.height() || images.dim(2) != model.width()) {
            // E2/E3 train at 32x32: tf.image.resize's bilinear, as their reference does.
            images = Resize.bilinear(images, model.height(), model.width());
        }
        return images;
    }

    /** The loaded images can feed the configured batches; otherwise an error saying what to change. */
    private static TrainingImages checked(TrainingImages images, TrainConfig config) throws IOException {
        // An autoencoder takes whole batches; a GAN's critic its own.
        boolean autoencoder = config.get(Settings.MODEL).autoencoder();
        int needed = autoencoder ? config.get(Settings.BATCH) : config.criticBatch();
        if (images.count() < needed) {
            throw new IOException("the data has " + images.count() + " images, fewer than one " + (autoencoder ? "" : "critic ") + "batch of " + needed
                    + "; give a smaller --batch or more images");
        }
        return images;
    }

    private static Path newRunFolder(Path outBase, TrainConfig config) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String data = switch (config.get(Settings.DATASET)) {
            case MNIST -> config.get(Settings.CLASS).isEmpty() ? "mnist" : "digit" + config.get(Settings.CLASS).getAsInt();
            case FASHION_MNIST -> config.get(Settings.CLASS).isEmpty() ? "fashion" : "fashion" + config.get(Settings.CLASS).getAsInt();
            case TOY_8GAUSSIANS, TOY_25GAUSSIANS, TOY_SWISSROLL -> Ids.id(config.get(Settings.DATASET)).substring("toy-".length());
            case FOLDER -> {
                Path name = config.get(Settings.DATA).orElseThrow().toAbsolutePath().normalize().getFileName();
                yield name == null ? "images" : name.toString().replaceAll("[^A-Za-z0-9_.-]", "_");
            }
        };
        String base = Ids.id(config.get(Settings.PRESET)) + "-" + data + "-" + stamp;
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

    /**
     * config.json: the recipe under "config", where and how it runs under "run", and how many
     * training images the data had, which a resumed run must have again.
     */
    private static void writeConfig(Path dir, TrainConfig config, int images, int resumedFrom) throws IOException {
        JsonObject root = new JsonObject();
        root.add("config", Settings.toJson(config));
        root.add("run", GSON.toJsonTree(RunInfo.current()));
        root.addProperty(TRAINING_IMAGES, images);
        if (resumedFrom > 0) root.addProperty("resumedFromIteration", resumedFrom);
        AtomicFiles.write(dir.resolve("config.json"), GSON.toJson(root).getBytes(StandardCharsets.UTF_8));
    }

    /** What a run's config.json holds: its settings, and its count of training images (not in the first format). */
    record RunConfig(TrainConfig config, OptionalInt images) {}

    /** The settings of a run's config.json, checked as the flags are; errors name the file. */
    public static TrainConfig settingsOf(Path file) throws IOException {
        return readConfig(file).config();
    }

    /** Reads a run's config.json, checking every setting as the flags are checked; errors name the file. */
    static RunConfig readConfig(Path file) throws IOException {
        String text = Settings.readText(file);
        TrainConfig config = Settings.fromFile(Settings.readJson(text, file), file);
        if (config.get(Settings.ITERATIONS).isEmpty()) throw new FileFormatException(file, "has no iterations: it is not a run's configuration");
        JsonElement images = JsonParser.parseString(text).getAsJsonObject().get(TRAINING_IMAGES);
        try {
            return new RunConfig(config, images == null ? OptionalInt.empty() : OptionalInt.of(images.getAsInt()));
        } catch (RuntimeException e) {
            throw new FileFormatException(file, "\"" + TRAINING_IMAGES + "\" is not a count of images: " + images, e);
        }
    }
}
