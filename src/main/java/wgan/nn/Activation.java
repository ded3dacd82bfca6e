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
    /** The negative slope of a (leaky) ReLU, NaN for other functions. */
    private final float slope;

    private Activation(int[] in, UnaryOperator<Var> f, String torch, float slope) {
        this.shape = in.clone();
        this.f = f;
        this.torch = torch;
        this.slope = slope;
    }

    /** max(x, alpha*x) (Keras LeakyReLU; the WGAN references use alpha 0.2). */
    public static Activation leakyRelu(int[] in, float alpha) {
        return new Activation(in, x -> Ops.leakyRelu(x, alpha), "nn.LeakyReLU(" + alpha + ")", alpha);
    }

    public static Activation relu(int[] in) {
        return new Activation(in, Ops::relu, "nn.ReLU()", 0f);
    }

    public static Activation tanh(int[] in) {
        return new Activation(in, Ops::tanh, "nn.Tanh()", Float.NaN);
    }

    public static Activation sigmoid(int[] in) {
        return new Activation(in, Ops::sigmoid, "nn.Sigmoid()", Float.NaN);
    }

    /** The negative slope if this is a ReLU (0) or leaky ReLU, NaN otherwise. */
    float rectifierSlope() {
        return slope;
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
