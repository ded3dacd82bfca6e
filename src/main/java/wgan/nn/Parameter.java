package wgan.nn;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import wgan.autodiff.Var;

/**
 * A trainable tensor with its name (PyTorch's, e.g. {@code "3.weight"}) and its kind, which lets
 * weight clipping pick a subset: the WGAN reference clips only conv kernels (docs/experiments.md, E1), the TF2
 * article every critic weight (docs/experiments.md, E2).
 */
public record Parameter(String name, Var var, Kind kind) {

    public enum Kind {
        /** Conv2D and Conv2DTranspose kernels. */
        CONV_KERNEL,
        /** Dense (Linear) kernels. */
        DENSE_KERNEL,
        BIAS,
        /** BatchNorm / LayerNorm scale (gamma, PyTorch "weight"). */
        NORM_GAMMA,
        /** BatchNorm / LayerNorm shift (beta, PyTorch "bias"). */
        NORM_BETA
    }

    public Parameter {
        if (!var.requiresGrad()) throw new IllegalArgumentException("parameter " + name + " is not a trainable Var");
    }

    /** The same Var under {@code prefix + "." + name}, as a container module names its children's parameters. */
    public Parameter prefixed(String prefix) {
        return new Parameter(prefix + "." + name, var, kind);
    }

    /** The parameters whose kind is one of {@code kinds}, in order. */
    public static List<Parameter> ofKind(List<Parameter> params, Kind first, Kind... rest) {
        Set<Kind> kinds = EnumSet.of(first, rest);
        return params.stream().filter(p -> kinds.contains(p.kind())).toList();
    }
}
