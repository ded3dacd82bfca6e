package wgan.nn;

import java.util.List;
import java.util.function.UnaryOperator;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;

/** An element-wise activation; shape-preserving and without parameters. */
public final class Activation implements Layer {
    private final int[] shape;
    private final UnaryOperator<Var> f;
    private final String torch;

    private Activation(int[] in, UnaryOperator<Var> f, String torch) {
        this.shape = in.clone();
        this.f = f;
        this.torch = torch;
    }

    /** max(x, alpha*x) (Keras LeakyReLU; the WGAN references use alpha 0.2). */
    public static Activation leakyRelu(int[] in, float alpha) {
        return new Activation(in, x -> Ops.leakyRelu(x, alpha), "nn.LeakyReLU(" + alpha + ")");
    }

    public static Activation relu(int[] in) {
        return new Activation(in, Ops::relu, "nn.ReLU()");
    }

    public static Activation tanh(int[] in) {
        return new Activation(in, Ops::tanh, "nn.Tanh()");
    }

    public static Activation sigmoid(int[] in) {
        return new Activation(in, Ops::sigmoid, "nn.Sigmoid()");
    }

    @Override
    public Var forward(Var x, boolean training) {
        return f.apply(x);
    }

    @Override
    public int[] outputShape() {
        return shape.clone();
    }

    @Override
    public List<String> torchModules() {
        return List.of(torch);
    }
}
