package wgan.optim;

import java.util.List;
import wgan.nn.Parameter;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1) in the form Keras implements (keras.optimizers.Adam):
 * <pre>
 *   m = m + (1 - beta1) * (g - m)
 *   v = v + (1 - beta2) * (g^2 - v)
 *   alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
 *   w = w - alpha * m / (sqrt(v) + eps)
 * </pre>
 * Here eps is added to the root of the uncorrected v (the paper's "epsilon hat", end of its
 * section 2). PyTorch's torch.optim.Adam adds eps to the root of the bias-corrected v,
 * {@code w -= lr/(1-beta1^t) * m / (sqrt(v)/sqrt(1-beta2^t) + eps)}, which equals this form with
 * eps replaced by eps*sqrt(1-beta2^t); the two differ only while sqrt(v) is near eps. This class
 * implements the Keras form; Keras's default eps is 1e-7, PyTorch's 1e-8.
 */
public final class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float eps;

    public Adam(List<Parameter> params, float lr, float beta1, float beta2, float eps) {
        super(params, lr, "m", "v");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** Keras default eps 1e-7 (WGAN-GP, docs/experiments.md, E3: lr 1e-4, beta1 0.5, beta2 0.9). */
    public static Adam keras(List<Parameter> params, float lr, float beta1, float beta2) {
        return new Adam(params, lr, beta1, beta2, 1e-7f);
    }

    @Override
    protected void update(float[] w, float[] g, float[][] state, long t) {
        float lr = learningRate();
        float[] m = state[0];
        float[] v = state[1];
        float alpha = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        for (int i = 0; i < w.length; i++) {
            m[i] += (1 - beta1) * (g[i] - m[i]);
            v[i] += (1 - beta2) * (g[i] * g[i] - v[i]);
            w[i] -= alpha * m[i] / ((float) Math.sqrt(v[i]) + eps);
        }
    }
}
