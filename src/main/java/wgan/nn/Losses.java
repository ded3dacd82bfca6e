package wgan.nn;

import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.tensor.Tensor;

/** Losses on a batch of critic/discriminator outputs, each a scalar Var. */
public final class Losses {
    private Losses() {}

    /**
     * The Wasserstein loss mean(y * D(x)) with one label per sample (the WGAN reference: y = -1
     * for real and +1 for fake, so that minimising it maximises E[D(real)] - E[D(fake)],
     * Arjovsky et al. 2017, eq. 3). {@code scores} is [N, 1] or [N], {@code labels} has N values.
     */
    public static Var wasserstein(Var scores, Tensor labels) {
        return Ops.mean(Ops.mul(scores, Var.constant(labels.reshape(scores.shape()))));
    }

    /** {@link #wasserstein(Var, Tensor)} with every label y. */
    public static Var wasserstein(Var scores, float y) {
        return Ops.scale(Ops.mean(scores), y);
    }

    /**
     * Binary cross-entropy of sigmoid(z) against targets t, from the logits z:
     * -t log s(z) - (1-t) log(1 - s(z)) = softplus(z) - t z, which stays finite for any z
     * (the form of tf.nn.sigmoid_cross_entropy_with_logits and torch BCEWithLogitsLoss); mean over
     * the batch.
     */
    public static Var bceWithLogits(Var logits, Tensor targets) {
        return Ops.mean(Ops.sigmoidCrossEntropy(logits, Var.constant(targets.reshape(logits.shape()))));
    }

    /** {@link #bceWithLogits(Var, Tensor)} with every target t. */
    public static Var bceWithLogits(Var logits, float t) {
        return Ops.mean(Ops.sub(Ops.softplus(logits), Ops.scale(logits, t)));
    }

    /**
     * The reconstruction term of an autoencoder whose decoder gives Bernoulli logits per pixel:
     * the cross-entropy of sigmoid(logits) against the images' pixels in [0, 1], summed over each
     * image's pixels and averaged over the batch; -log p(x|z) in nats per image (Kingma and
     * Welling 2014, appendix C.1, with the pixels' grey levels as targets, as the course's VAE has it).
     */
    public static Var bernoulliReconstruction(Var logits, Tensor pixels) {
        return perSampleMean(Ops.sigmoidCrossEntropy(logits, Var.constant(pixels.reshape(logits.shape()))));
    }

    /**
     * KL(q(z|x) || N(0, I)) for a diagonal Gaussian q with these means and log-variances [N, latent],
     * summed over the latent dimensions and averaged over the batch (Kingma and Welling 2014, eq. 10).
     */
    public static Var gaussianKl(Var mean, Var logVar) {
        return perSampleMean(Ops.gaussianKl(mean, logVar));
    }

    /** The sum of every element divided by the batch size: a per-sample total, averaged over the batch. */
    private static Var perSampleMean(Var terms) {
        return Ops.scale(Ops.sum(terms), 1f / terms.value().dim(0));
    }

    /**
     * Softmax cross-entropy of logits[N, K] against class labels (each 0..K-1): the mean over the
     * batch of -log softmax(logits_i)[label_i] (torch's cross_entropy, Keras's
     * sparse_categorical_crossentropy from logits). Its gradient is (softmax - one_hot) / N.
     */
    public static Var softmaxCrossEntropy(Var logits, int[] labels) {
        int n = logits.value().dim(0), k = logits.value().dim(-1);
        if (logits.value().rank() != 2 || labels.length != n) {
            throw new IllegalArgumentException(labels.length + " labels for logits " + logits);
        }
        Tensor oneHot = Tensor.zeros(n, k);
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) throw new IllegalArgumentException("label " + labels[i] + " is not in 0.." + (k - 1));
            oneHot.data()[i * k + labels[i]] = 1f;
        }
        return Ops.scale(Ops.sum(Ops.mul(Var.constant(oneHot), Ops.logSoftmax(logits))), -1f / n);
    }
}
