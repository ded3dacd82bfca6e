package wgan.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import wgan.autodiff.Grad;
import wgan.autodiff.Var;
import wgan.kernels.ConvGeometry.Padding;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * Writes the E1 models' (and one model of every other layer kind's) state dicts, inputs and
 * outputs as NPY files under target/pytorch-fixtures, and, where /usr/bin/python3 has torch, runs
 * scripts/check_pytorch.py on them: the PyTorch models of docs/pytorch.md, loaded with
 * load_state_dict(strict=True), must reproduce our outputs (inference and training mode) and
 * our running-statistics update to 1e-4. Skipped (after writing the files) without torch.
 */
class PyTorchFixturesTest {
    private static final Path DIR = Path.of("target", "pytorch-fixtures");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void e1ModelsMatchPyTorch() throws Exception {
        Rng rng = new Rng(2024);
        Sequential critic = SpecModels.e1Critic(rng.fork(1));
        write("critic", critic, GradCheck.gaussian(rng, 4, 28, 28, 1), rng);
        writePenalty("critic", critic, rng);
        write("generator", SpecModels.e1Generator(rng.fork(2)), GradCheck.gaussian(rng, 4, 50), rng);
        Sequential mixed = mixed(rng.fork(3));
        write("mixed", mixed, GradCheck.gaussian(rng, 3, 8, 8, 2), rng);
        writePenalty("mixed", mixed, rng);

        assumeTrue(Files.isExecutable(PYTHON) && run(PYTHON.toString(), "-c", "import torch") == 0, "no PyTorch here");
        assertEquals(0, run(PYTHON.toString(), "scripts/check_pytorch.py", DIR.toString()), "scripts/check_pytorch.py failed");
    }

    /**
     * Every other layer kind: odd "same" padding (a ZeroPad2d that shifts the indices),
     * LayerNorm, both upsamplings, a "valid" transposed conv, BatchNorm1d after a Dense.
     */
    private static Sequential mixed(Rng rng) {
        Initializer init = Initializer.glorotUniform();
        return Sequential.builder(rng, 8, 8, 2)
                .conv2dNoBias(4, 5, 2, Padding.SAME, init).layerNorm().leakyRelu(0.2f)
                .upSampling(2, UpSampling2D.Interpolation.BILINEAR).conv2d(3, 3, 1, Padding.SAME, init).batchNorm().relu()
                .upSampling(2, UpSampling2D.Interpolation.NEAREST).conv2dTranspose(2, 2, 2, Padding.VALID, init).sigmoid()
                .flatten().dense(5, init).batchNorm().tanh()
                .build();
    }

    /**
     * Gives biases and BatchNorm non-trivial values, with running statistics of the scale of the
     * activations (pre-BN variances are about 16 * 64 * 0.02^2 = 0.4 or less), then saves the state dict
     * ("before"), the output in inference mode, the output in training mode, and the state dict
     * after that training-mode pass ("after": running statistics moved once).
     */
    private static void write(String name, Sequential model, Tensor x, Rng rng) throws IOException {
        for (Parameter p : model.parameters()) {
            if (p.kind() == Parameter.Kind.BIAS || p.kind() == Parameter.Kind.NORM_BETA) {
                rng.fillGaussian(p.var().value().data(), 0f, 0.1f);
            } else if (p.kind() == Parameter.Kind.NORM_GAMMA) {
                rng.fillUniform(p.var().value().data(), 0.5f, 1.5f);
            }
        }
        Map<String, Tensor> sd = model.stateDict();
        sd.forEach((key, t) -> {
            if (key.endsWith("running_mean")) rng.fillGaussian(t.data(), 0f, 0.05f);
            if (key.endsWith("running_var")) rng.fillUniform(t.data(), 0.005f, 0.05f);
        });
        model.loadStateDict(sd, true);
        try (var s = Grad.noGrad()) {
            Path dir = Files.createDirectories(DIR.resolve(name));
            Files.writeString(dir.resolve("model.py"), "model = " + model.torchSource() + "\n");
            saveAll(dir.resolve("before"), model.stateDict());
            npy(dir.resolve("input.npy"), x);
            npy(dir.resolve("output_eval.npy"), model.forward(Var.constant(x), false).value());
            npy(dir.resolve("output_train.npy"), model.forward(Var.constant(x), true).value());
            saveAll(dir.resolve("after"), model.stateDict());
        }
    }

    /**
     * The gradient penalty (lambda 10, two-sided, BatchNorm in training mode) at interpolates of
     * two random batches, and its gradient with respect to every parameter, in PyTorch layout:
     * the double-backprop path, against torch.autograd.grad(create_graph=True).
     */
    private static void writePenalty(String name, Sequential model, Rng rng) throws IOException {
        int[] shape = model.inputShape();
        int[] batch = new int[shape.length + 1];
        batch[0] = 3;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        float[] eps = new float[3];
        rng.fillUniform(eps, 0f, 1f);
        Tensor xHat = GradientPenalty.interpolate(GradCheck.gaussian(rng, batch), GradCheck.gaussian(rng, batch), eps);
        Map<String, Tensor> state = model.stateDict();
        Var penalty = GradientPenalty.penalty(x -> model.forward(x, true), xHat, 10f, GradientPenalty.Side.TWO_SIDED);
        List<Parameter> params = model.parameters();
        List<Var> grads = Grad.grad(penalty, GradCheck.vars(params), false);
        // The state dict converts layouts: pass the gradients through it in place of the values.
        for (int i = 0; i < params.size(); i++) {
            float[] g = grads.get(i).value().data();
            System.arraycopy(g, 0, params.get(i).var().value().data(), 0, g.length);
        }
        Map<String, Tensor> gradients = model.stateDict();
        gradients.keySet().retainAll(params.stream().map(Parameter::name).toList());
        model.loadStateDict(state, true);
        Path dir = Files.createDirectories(DIR.resolve(name).resolve("penalty"));
        npy(dir.resolve("xhat.npy"), xHat);
        npy(dir.resolve("value.npy"), penalty.value());
        saveAll(dir.resolve("grads"), gradients);
    }

    private static void saveAll(Path dir, Map<String, Tensor> sd) throws IOException {
        Files.createDirectories(dir);
        for (var e : sd.entrySet()) npy(dir.resolve(e.getKey() + ".npy"), e.getValue(), StateDicts.isInt64(e.getKey()));
    }

    private static void npy(Path file, Tensor t) throws IOException {
        npy(file, t, false);
    }

    /** NPY format 1.0: magic, header length, a Python dict literal padded to 64 bytes, little-endian data. */
    private static void npy(Path file, Tensor t, boolean int64) throws IOException {
        StringBuilder shape = new StringBuilder("(");
        for (int d : t.shape()) shape.append(d).append(", ");
        String dict = "{'descr': '" + (int64 ? "<i8" : "<f4") + "', 'fortran_order': False, 'shape': " + shape + "), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        byte[] header = (dict + " ".repeat(pad % 64) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer data = ByteBuffer.allocate(t.size() * (int64 ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : t.data()) {
            if (int64) data.putLong((long) v); else data.putFloat(v);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length, (byte) (header.length >> 8)});
            out.write(header);
            out.write(data.array());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
