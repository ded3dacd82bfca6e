package wgan.train;

import wgan.data.TrainingImages;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * Draws the critic's batches of real images, as the presets' references do:
 * <ul>
 *   <li>{@link TrainConfig.Sampling#REPLACEMENT}: each index uniformly at random (E1's randint);</li>
 *   <li>{@link TrainConfig.Sampling#SHUFFLE}: through a fresh permutation each epoch, dropping a
 *       last partial batch (tf.data's shuffle + batch(drop_remainder=True)).</li>
 * </ul>
 * Its state is the random stream's, plus (shuffling) the epoch and the position in it; the
 * permutation of an epoch is recomputed from the run's seed and the epoch number, so a resumed
 * run draws exactly the batches an uninterrupted one would.
 */
final class RealBatches {
    private final TrainingImages images;
    private final TrainConfig.Sampling sampling;
    final Rng rng;
    private final long seed;
    private int epoch = -1;
    private int position;
    private int[] permutation;

    /** Draws from the run's DATA stream ({@code seed} is the run's seed). */
    RealBatches(TrainingImages images, TrainConfig.Sampling sampling, long seed) {
        this.images = images;
        this.sampling = sampling;
        this.seed = seed;
        this.rng = WganTrainer.RandomStream.DATA.of(seed);
    }

    Tensor next(int n) {
        int[] indices = new int[n];
        if (sampling == TrainConfig.Sampling.REPLACEMENT) {
            for (int i = 0; i < n; i++) indices[i] = rng.nextInt(images.count());
        } else {
            if (n > images.count()) {
                throw new IllegalStateException("a batch of " + n + " needs at least as many images, the data has " + images.count());
            }
            if (permutation == null || position + n > permutation.length) startEpoch(epoch + 1);
            System.arraycopy(permutation, position, indices, 0, n);
            position += n;
        }
        return images.batch(indices);
    }

    private void startEpoch(int e) {
        epoch = e;
        position = 0;
        permutation = new int[images.count()];
        for (int i = 0; i < permutation.length; i++) permutation[i] = i;
        WganTrainer.RandomStream.DATA.of(seed).fork(e + 1).shuffle(permutation);
    }

    /** {epoch, position}: where a shuffled pass stands (unused with replacement). */
    int[] position() {
        return new int[] {epoch, position};
    }

    void restore(int[] state) {
        if (state[0] >= 0) {
            startEpoch(state[0]);
            position = state[1];
        }
    }
}
