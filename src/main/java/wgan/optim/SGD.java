package wgan.optim;

import java.util.List;
import wgan.nn.Parameter;

/**
 * Stochastic gradient descent with (heavy-ball) momentum, as Keras implements it
 * (keras.optimizers.SGD, nesterov=False):
 * <pre>
 *   u = momentum * u - lr * g
 *   w = w + u
 * </pre>
 * PyTorch's torch.optim.SGD keeps b = momentum * b + g and sets w -= lr * b; with a constant
 * learning rate u = -lr * b, so the two give the same weights.
 */
public final class SGD extends Optimizer {
    private final float momentum;

    public SGD(List<Parameter> params, float lr, float momentum) {
        super(params, lr, "momentum");
        this.momentum = momentum;
    }

    @Override
    protected void update(float[] w, float[] g, float[][] state, long t) {
        float lr = learningRate();
        float[] u = state[0];
        for (int i = 0; i < w.length; i++) {
            u[i] = momentum * u[i] - lr * g[i];
            w[i] += u[i];
        }
    }
}
