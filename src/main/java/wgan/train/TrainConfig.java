package wgan.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Every setting of one training run. Immutable; saved as {@code config.json} in the run's folder
 * so that {@code --resume} continues with exactly the same recipe.
 *
 * @param digit         the MNIST class trained on (0-9)
 * @param iterations    generator updates in total
 * @param batch         images per generator update; each critic step uses batch/2 real and batch/2 fake
 * @param nCritic       critic updates per generator update
 * @param clip          critic conv kernels are clipped to [-clip, clip] after each critic step; 0 turns clipping off
 * @param lr            learning rate of both optimisers
 * @param optimizer     "rmsprop" (Keras semantics) or "adam"
 * @param latent        size of the latent vector z
 * @param seed          seed of every random stream of the run
 * @param checkpointEvery  iterations between checkpoints (every epoch's checkpoint is kept)
 * @param dataDir       folder with the MNIST IDX files, or null for the default places
 * @param kerasBnQuirk  also update the critic's batch-norm gamma/beta in the generator step, as the
 *                      reference's Keras combined model does (docs/e1.md, quirk 1); off in the spec's reading
 */
public record TrainConfig(int digit, int iterations, int batch, int nCritic, double clip, double lr,
                          String optimizer, int latent, long seed, int checkpointEvery, String dataDir,
                          boolean kerasBnQuirk) {

    /** E1: 10 epochs of floor(6265 / 64) = 97 batches. */
    public static final int EPOCHS_DEFAULT = 10;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    /** E1 exactly as the reference runs it (SPEC E1), reading the data from {@code dataDir} (null: default places). */
    public static TrainConfig e1(String dataDir) {
        return new TrainConfig(7, 970, 64, 5, 0.01, 5e-5, "rmsprop", 50, 1, 97, dataDir, false);
    }

    /** Batches in one pass over {@code images} images (the reference's bat_per_epo). */
    public int batchesPerEpoch(int images) {
        return Math.max(1, images / batch);
    }

    public int halfBatch() {
        return batch / 2;
    }

    public TrainConfig withIterations(int newIterations) {
        return new TrainConfig(digit, newIterations, batch, nCritic, clip, lr, optimizer, latent, seed,
                checkpointEvery, dataDir, kerasBnQuirk);
    }

    public TrainConfig withDataDir(String newDataDir) {
        return new TrainConfig(digit, iterations, batch, nCritic, clip, lr, optimizer, latent, seed,
                checkpointEvery, newDataDir, kerasBnQuirk);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    /** Parses what {@link #toJson()} wrote; {@code source} names the file in errors. */
    public static TrainConfig fromJson(String json, Path source) throws IOException {
        try {
            TrainConfig c = GSON.fromJson(json, TrainConfig.class);
            if (c == null || c.optimizer == null || c.iterations < 1 || c.batch < 2) {
                throw new IOException(source + " holds no complete training configuration");
            }
            return c;
        } catch (JsonParseException e) {
            throw new IOException(source + " is not a valid configuration: " + e.getMessage(), e);
        }
    }
}
