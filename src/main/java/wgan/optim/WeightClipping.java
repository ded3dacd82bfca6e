package wgan.optim;

import java.util.List;
import wgan.nn.Parameter;

/**
 * The WGAN critic's Lipschitz constraint (Arjovsky et al. 2017, Algorithm 1, line 7): after each
 * critic update, clamp weights to [-c, c]. Which weights is the caller's choice, e.g.
 * {@code Parameter.ofKind(params, CONV_KERNEL)} for the reference of docs/experiments.md, E1, all of them for E2.
 */
public final class WeightClipping {
    private WeightClipping() {}

    public static void clip(List<Parameter> params, float c) {
        if (!(c > 0)) throw new IllegalArgumentException("clip value must be positive: " + c);
        for (Parameter p : params) {
            float[] w = p.var().value().data();
            for (int i = 0; i < w.length; i++) w[i] = Math.max(-c, Math.min(c, w[i]));
        }
    }
}
