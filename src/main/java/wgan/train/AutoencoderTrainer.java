package wgan.train;

import wgan.autodiff.Grad;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.data.DatasetFiles;
import wgan.data.TrainingImages;
import wgan.io.AtomicFiles;
import wgan.io.LossPlot;
import wgan.io.SampleGrid;
import wgan.kernels.Devices;
import wgan.kernels.Elementwise;
import wgan.nn.Branched;
import wgan.nn.Losses;
import wgan.nn.Module;
import wgan.nn.Parameter;
import wgan.nn.Sequential;
import wgan.optim.Optimizer;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The training loop of the course's autoencoders (docs/vae.md): models {@code ae} and {@code vae}.
 * One iteration is one optimiser step on a batch of real images, whose pixels in [0, 1] are both
 * the encoder's input and the decoder's targets:
 * <ul>
 *   <li>AE: code = encoder(x), loss = the reconstruction term of decoder(code);</li>
 *   <li>VAE: (mean, logVar) = encoder(x), z = mean + e^(logVar / 2) eps with eps ~ N(0, I) from
 *       the run's noise stream (the reparameterisation trick), loss = the reconstruction term of
 *       decoder(z) + KL(q(z|x) || N(0, I)), the negative ELBO (Kingma and Welling 2014, eq. 10).</li>
 * </ul>
 * The reconstruction term is the Bernoulli cross-entropy of the decoder's logits, summed over an
 * image's pixels ({@link Losses#bernoulliReconstruction}); the KL its closed form ({@link Losses#gaussianKl}).
 * Both networks are stepped by one optimiser, as the course's single Keras model is.
 *
 * <p>At each sample step it writes the decoder's images of the run's fixed latent points, fixed
 * test images beside their reconstructions, the loss plot, and the test set's terms (test.csv).
 */
final class AutoencoderTrainer implements Trainer<AutoencoderTrainer.Row>, Checkpoint.Saved {
    private static final int GRID = 10;
    /** Test images shown with their reconstructions: five rows of ten, each above its reconstruction. */
    private static final int SHOWN = 50;
    private static final int TEST_SLICE = 1000;
    static final String TEST_LOG = "test.csv";

    /**
     * One iteration of log.csv: the reconstruction term, the KL term (0 for the AE, which has
     * none) and their sum, the loss minimised (for the VAE the negative ELBO), in nats per image.
     */
    record Row(int iteration, double reconstruction, double kl, double seconds) implements LossLog.Entry {
        static final String HEADER = "iteration,loss,reconstruction,kl,seconds";

        double loss() {
            return reconstruction + kl;
        }

        @Override
        public boolean finite() {
            return Double.isFinite(reconstruction) && Double.isFinite(kl);
        }

        @Override
        public String line() {
            return String.format(Locale.ROOT, ">%d, loss=%.3f, reconstruction=%.3f, kl=%.3f", iteration, loss(), reconstruction, kl);
        }

        @Override
        public String progress() {
            return String.format(Locale.ROOT, " loss=%.3f rec=%.3f kl=%.3f", loss(), reconstruction, kl);
        }

        @Override
        public String values() {
            return String.format(Locale.ROOT, "reconstruction=%s, kl=%s", reconstruction, kl);
        }

        @Override
        public String csv() {
            return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.4f", iteration, loss(), reconstruction, kl, seconds);
        }

        static Row parse(String line) {
            String[] f = line.split(",");
            if (f.length != 5) throw new IllegalArgumentException("not 5 fields: " + line);
            return new Row(Integer.parseInt(f[0]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]));
        }
    }

    static final LossLog.Columns<Row> COLUMNS = new LossLog.Columns<>(Row.HEADER, Row::parse);

    private final TrainConfig config;
    private final boolean variational;
    private final Branched encoder;
    /** The decoder with its sigmoid, which the checkpoint saves and the sample grids use. */
    private final Sequential decoder;
    /** The same layers without the sigmoid: the logits the reconstruction term takes. */
    private final Sequential decoderLogits;
    private final Sampler sampler;
    private final Optimizer optimizer;
    private final RealBatches realBatches;
    /** The reparameterisation's eps. */
    private final Rng noiseRng;
    /** The test images: those shown with their reconstructions come first; read in {@link #begin}. */
    private Tensor testImages;

    AutoencoderTrainer(TrainConfig config, TrainingImages real) {
        Architecture a = config.get(Settings.MODEL);
        if (!a.autoencoder()) throw new IllegalArgumentException("model " + a.id() + " is not an autoencoder");
        long seed = config.get(Settings.SEED);
        int latent = config.get(Settings.LATENT);
        this.config = config;
        this.variational = a == Architecture.VAE;
        // The decoder is what generates, so it takes the generator's stream; the encoder, which reads images, the critic's.
        this.decoder = Models.generator(a, WganTrainer.RandomStream.GENERATOR_INIT.of(seed), latent);
        this.encoder = Models.encoder(a, WganTrainer.RandomStream.CRITIC_INIT.of(seed), latent);
        this.decoderLogits = decoder.head(decoder.layers().size() - 1);
        this.sampler = new Sampler(decoder, latent, a);
        List<Parameter> params = new ArrayList<>(encoder.parameters());
        params.addAll(decoder.parameters());
        this.optimizer = WganTrainer.optimizer(config, params, config.get(Settings.LR));
        this.realBatches = new RealBatches(real, config.get(Settings.SAMPLING), seed);
        this.noiseRng = WganTrainer.RandomStream.NOISE.of(seed);
    }

    // ---- Checkpoint.Saved

    @Override
    public TrainConfig config() {
        return config;
    }

    @Override
    public Map<String, Module> models() {
        Map<String, Module> models = new LinkedHashMap<>();
        models.put(Checkpoint.ENCODER, encoder);
        models.put(Checkpoint.DECODER, decoder);
        return models;
    }

    @Override
    public Map<String, Optimizer> optimizers() {
        return Map.of(Checkpoint.OPTIMIZER, optimizer);
    }

    @Override
    public Checkpoint.Streams streams() {
        return new Checkpoint.Streams(realBatches, noiseRng, null);
    }

    @Override
    public void restoreSteps(int steps) {
        // the schedule does not depend on the steps taken
    }

    // ---- Trainer

    @Override
    public Checkpoint.Saved state() {
        return this;
    }

    @Override
    public LossLog.Columns<Row> columns() {
        return COLUMNS;
    }

    @Override
    public void begin(Path dir, int start, Schedule schedule, PrintStream out) throws IOException {
        out.printf(Locale.ROOT, "Preset %s: %s, model %s (latent %d), %s%n", Ids.id(config.get(Settings.PRESET)), config.dataTitle(),
                config.get(Settings.MODEL).id(), config.get(Settings.LATENT), config.optimizerTitle());
        out.printf(Locale.ROOT, "Data: %d images; %d iterations of batch %d (%d per epoch)%n",
                schedule.images(), schedule.iterations(), config.get(Settings.BATCH), schedule.batchesPerEpoch());
        testImages = TrainingRun.idxImages(config, DatasetFiles.Split.TEST);
        keepTestRowsUpTo(dir.resolve(TEST_LOG), start);
    }

    @Override
    public Row iteration(int i, long startNanos) {
        Tensor x = realBatches.next(config.get(Settings.BATCH));
        Tensor pixels = pixels(x);
        optimizer.setLearningRate((float) (config.get(Settings.LR) * config.learningRateFactor(i - 1)));
        optimizer.zeroGrad();
        Terms terms;
        try (var pass = Devices.current().pass()) {
            terms = terms(pixels, true);
            Grad.backward(terms.kl == null ? terms.reconstruction : Ops.add(terms.reconstruction, terms.kl));
        }
        optimizer.step();
        return new Row(i, terms.reconstruction.value().item(), terms.kl == null ? 0 : terms.kl.value().item(),
                (System.nanoTime() - startNanos) / 1e9);
    }

    /** The reconstruction term and (VAE) the KL term of a batch; null for the AE's KL. */
    private record Terms(Var reconstruction, Var kl) {}

    /**
     * The loss terms of a batch of images (pixels in [0, 1]). In training the VAE decodes a draw
     * z = mean + sigma eps; otherwise the mean itself, so that test figures and reconstructions
     * are the same every time.
     */
    private Terms terms(Tensor pixels, boolean training) {
        List<Var> code = encoder.forward(Var.constant(pixels), training);
        if (!variational) return new Terms(Losses.bernoulliReconstruction(decoderLogits.forward(code.get(0), training), pixels), null);
        Var mean = code.get(0), logVar = code.get(1);
        Var z = mean;
        if (training) {
            Tensor eps = Tensor.zeros(mean.shape());
            noiseRng.fillGaussian(eps.data(), 0f, 1f);
            z = Ops.reparameterise(mean, logVar, Var.constant(eps));
        }
        return new Terms(Losses.bernoulliReconstruction(decoderLogits.forward(z, training), pixels), Losses.gaussianKl(mean, logVar));
    }

    /** Images in [-1, 1] as pixels in [0, 1], the targets of the Bernoulli likelihood. */
    private static Tensor pixels(Tensor images) {
        Tensor p = Tensor.uninitialised(images.shape());
        Elementwise.scaleShift(images.data(), 0.5f, 0.5f, p.data());
        return p;
    }

    /** Images for latent points z, in [-1, 1]. */
    Tensor generate(Tensor z) {
        return sampler.generate(z);
    }

    /** The same {@code n} points from the prior N(0, I) for every sample grid of a run. */
    Tensor gridLatent(int n) {
        Tensor z = Tensor.zeros(n, config.get(Settings.LATENT));
        WganTrainer.RandomStream.SAMPLE_GRID.of(config.get(Settings.SEED)).fillGaussian(z.data(), 0f, 1f);
        return z;
    }

    /** The reconstructions of {@code images} (in [-1, 1]) from their codes (the VAE: their means), in [-1, 1]. */
    Tensor reconstruct(Tensor images) {
        try (var s = Grad.noGrad()) {
            return generate(encoder.forward(Var.constant(pixels(images)), false).get(0).value());
        }
    }

    /** The test set's reconstruction and KL terms, each per image averaged over every test image; z is the mean. */
    double[] testTerms() {
        double reconstruction = 0, kl = 0;
        int n = testImages.dim(0), size = testImages.size() / n;
        try (var s = Grad.noGrad()) {
            for (int from = 0; from < n; from += TEST_SLICE) {
                int m = Math.min(TEST_SLICE, n - from);
                int[] shape = testImages.shape().clone();
                shape[0] = m;
                Tensor slice = Tensor.of(Arrays.copyOfRange(testImages.data(), from * size, (from + m) * size), shape);
                Terms t = terms(pixels(slice), false);
                reconstruction += t.reconstruction.value().item() * m;
                if (t.kl != null) kl += t.kl.value().item() * m;
            }
        }
        return new double[] {reconstruction / n, kl / n};
    }

    @Override
    public void sampleStep(Path dir, int iteration, String gridName, List<Row> rows, Path lastCheckpoint, Consumer<String> note)
            throws IOException {
        SampleGrid.write(dir.resolve(gridName), generate(gridLatent(GRID * GRID)), GRID, GRID);
        SampleGrid.write(dir.resolve(gridName.replaceFirst("^samples", "reconstructions")), originalsAndReconstructions(), GRID, GRID);
        double[] it = new double[rows.size()], loss = new double[rows.size()], rec = new double[rows.size()], kl = new double[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            it[k] = rows.get(k).iteration();
            loss[k] = rows.get(k).loss();
            rec[k] = rows.get(k).reconstruction();
            kl[k] = rows.get(k).kl();
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        if (variational) series.put("loss = reconstruction + KL (negative ELBO)", loss);
        series.put("reconstruction (Bernoulli cross-entropy)", rec);
        if (variational) series.put("KL(q(z|x) || N(0, I))", kl);
        LossPlot.write(dir.resolve("losses.png"), Ids.id(config.get(Settings.PRESET)) + ": " + config.dataTitle(), "nats per image", it, series);
        double[] test = testTerms();
        note.accept(String.format(Locale.ROOT, "test @%d: reconstruction=%.3f kl=%.3f loss=%.3f (nats per image, %d test images, z = mean)",
                iteration, test[0], test[1], test[0] + test[1], testImages.dim(0)));
        appendTestRow(dir.resolve(TEST_LOG), String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f", iteration, test[0] + test[1], test[0], test[1]));
    }

    /** Rows of ten test images, each row followed by their reconstructions. */
    private Tensor originalsAndReconstructions() {
        int size = testImages.size() / testImages.dim(0);
        int[] shape = testImages.shape().clone();
        shape[0] = SHOWN;
        Tensor shown = Tensor.of(Arrays.copyOf(testImages.data(), SHOWN * size), shape);
        Tensor rebuilt = reconstruct(shown);
        shape[0] = 2 * SHOWN;
        Tensor grid = Tensor.zeros(shape);
        for (int row = 0; row < SHOWN / GRID; row++) {
            System.arraycopy(shown.data(), row * GRID * size, grid.data(), 2 * row * GRID * size, GRID * size);
            System.arraycopy(rebuilt.data(), row * GRID * size, grid.data(), (2 * row + 1) * GRID * size, GRID * size);
        }
        return grid;
    }

    private static final String TEST_HEADER = "iteration,loss,reconstruction,kl";

    /** test.csv without the rows after the checkpoint a run resumes from (they will be measured again). */
    private static void keepTestRowsUpTo(Path file, int start) throws IOException {
        StringBuilder kept = new StringBuilder(TEST_HEADER).append('\n');
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split(",");
                if (f.length == 4 && f[0].matches("[0-9]{1,9}") && Integer.parseInt(f[0]) <= start) kept.append(line).append('\n');
            }
        }
        AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void appendTestRow(Path file, String row) throws IOException {
        Files.writeString(file, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Autoencoder runs have no report.html yet: its page is made of a GAN's files. */
    @Override
    public void report(Path dir) {
        // nothing to write
    }
}
