package wgan.optim;

import java.util.List;
import wgan.nn.Parameter;

/**
 * RMSprop without momentum, as Keras implements it (keras.optimizers.RMSprop, centered=False):
 * <pre>
 *   v = rho * v + (1 - rho) * g^2
 *   w = w - lr * g / (sqrt(v) + eps)
 * </pre>
 * Keras defaults rho 0.9, eps 1e-7 ({@link #keras}). PyTorch's torch.optim.RMSprop (momentum 0,
 * centered False) is the same formula, eps also added after the square root, with alpha = rho
 * 0.99 and eps 1e-8: {@code new RMSprop(params, lr, 0.99f, 1e-8f)}.
 */
public final class RMSprop extends Optimizer {
    private final float rho;
    private final float eps;

    public RMSprop(List<Parameter> params, float lr, float rho, float eps) {
        super(params, lr, "v");
        this.rho = rho;
        this.eps = eps;
    }

    /** Keras defaults: rho 0.9, eps 1e-7 (the WGAN reference, docs/experiments.md, E1, uses lr 5e-5). */
    public static RMSprop keras(List<Parameter> params, float lr) {
        return new RMSprop(params, lr, 0.9f, 1e-7f);
    }

    @Override
    protected void update(float[] w, float[] g, float[][] state, long t) {
        float lr = learningRate();
        float[] v = state[0];
        for (int i = 0; i < w.length; i++) {
            v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
            w[i] -= lr * g[i] / ((float) Math.sqrt(v[i]) + eps);
        }
    }
}
