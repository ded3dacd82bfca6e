package wgan.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.autodiff.Grad;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.data.TrainingImages;
import wgan.nn.GradientPenalty;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * What the gradient penalty is for: after a short E3 run (full-size E3 models, small batches) the
 * critic's gradient norm on interpolates between real and fake images is near 1, where it started
 * far from it.
 *
 * <p>The data is one the young generator can match within a few steps (faintly noisy grey). That
 * matters: for a critic that is linear along the interpolation lines with slope n, the critic loss
 * is -n W + lambda (n - 1)^2 at best, smallest at n = 1 + W / (2 lambda), where W is the distance the
 * critic estimates. Norm 1 is the optimum only once W is small next to 2 lambda = 20, as it is in a
 * real E3 run after its first iterations (and not on, say, 7s against a generator's first blurs,
 * where W is about 25 and the norm settles near 2).
 */
class PenaltyTrainingTest {
    @TempDir
    Path tmp;

    /** Mean over samples of ||grad_x D(x)||_2 at interpolates of a real and a fake batch. */
    private static double meanGradientNorm(WganTrainer t, TrainingImages real, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i % real.count();
        Tensor z = Tensor.zeros(n, t.config.get(Settings.LATENT));
        new Rng(99).fillGaussian(z.data(), 0f, 1f);
        float[] eps = new float[n];
        new Rng(98).fillUniform(eps, 0f, 1f);
        Var x = Var.param(GradientPenalty.interpolate(real.batch(idx), t.generate(z), eps));
        Tensor g = Grad.grad(Ops.sum(t.critic.forward(x, true)), List.of(x), false).get(0).value();
        int per = g.size() / n;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int k = 0; k < per; k++) sq += (double) g.data()[i * per + k] * g.data()[i * per + k];
            sum += Math.sqrt(sq);
        }
        return sum / n;
    }

    /** 32 mid-grey 28x28 images with faint noise: data a young generator can match within a few steps. */
    private static Path grayImages(Path dir) throws IOException {
        int n = 32;
        byte[] pixels = new byte[n * 28 * 28];
        Rng rng = new Rng(4);
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (126 + rng.nextInt(5));
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve("train-images-idx3-ubyte"), wgan.data.IdxFiles.images(n, 28, 28, pixels));
        java.nio.file.Files.write(dir.resolve("train-labels-idx1-ubyte"), wgan.data.IdxFiles.labels(new byte[n]));
        return dir;
    }

    @Test
    void aShortE3RunBringsTheCriticsGradientNormNearOne() throws IOException {
        TrainConfig config = TrainConfig.Preset.E3.config().toBuilder()
                .set(Settings.DATA, java.util.Optional.of(grayImages(tmp.resolve("idx"))))
                .set(Settings.BATCH, 4)
                .build();
        TrainingImages real = TrainingRun.loadImages(config);
        WganTrainer t = new WganTrainer(config, real);
        double before = meanGradientNorm(t, real, 16);
        // The norm climbs to 1 within about 25 critic updates, then wavers around it as the two
        // networks move: average it over the next five iterations.
        for (int i = 0; i < 5; i++) t.iteration();
        double after = 0;
        for (int i = 0; i < 5; i++) {
            t.iteration();
            after += meanGradientNorm(t, real, 16) / 5;
        }
        assertTrue(before < 0.2, "the critic starts far from norm 1: " + before);
        assertTrue(Math.abs(after - 1) < 0.25, "after training the norm is near 1: " + after + " (from " + before + ")");
    }
}
