package wgan.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import wgan.autodiff.Var;
import wgan.kernels.ConvGeometry.Padding;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/** Names, PyTorch layouts and round trips of state dicts; the equivalent PyTorch source. */
class SequentialTest {

    /** One line "name shape" per entry, in order. */
    private static String shapes(Map<String, Tensor> sd) {
        StringBuilder sb = new StringBuilder();
        sd.forEach((k, t) -> sb.append(k).append(' ').append(Arrays.toString(t.shape())).append('\n'));
        return sb.toString();
    }

    /** docs/pytorch.md gives the model's PyTorch Sequential (which scripts/check_pytorch.py runs). */
    private static void assertDocumented(String name, Sequential model) throws IOException {
        String doc = Files.readString(Path.of("docs", "pytorch.md"));
        String source = name + " = " + model.torchSource();
        assertTrue(doc.contains(source), "docs/pytorch.md lacks\n" + source);
    }

    @Test
    void e1CriticNamesShapesAndSource() throws IOException {
        Sequential critic = SpecModels.e1Critic(new Rng(1));
        // Names, PyTorch shapes and PyTorch's order, as torch's e1_critic.state_dict() lists them.
        assertEquals("""
                0.weight [64, 1, 4, 4]
                0.bias [64]
                1.weight [64]
                1.bias [64]
                1.running_mean [64]
                1.running_var [64]
                1.num_batches_tracked []
                3.weight [64, 64, 4, 4]
                3.bias [64]
                4.weight [64]
                4.bias [64]
                4.running_mean [64]
                4.running_var [64]
                4.num_batches_tracked []
                7.weight [1, 3136]
                7.bias [1]
                """, shapes(critic.stateDict()));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias", "4.weight", "4.bias", "7.weight", "7.bias"),
                critic.parameters().stream().map(Parameter::name).toList());
        assertDocumented("e1_critic", critic);
        assertArrayEquals(new int[] {1}, critic.outputShape());
    }

    @Test
    void e1GeneratorSource() throws IOException {
        Sequential generator = SpecModels.e1Generator(new Rng(2));
        assertDocumented("e1_generator", generator);
        assertArrayEquals(new int[] {28, 28, 1}, generator.outputShape());
        assertEquals("[128, 128, 4, 4]", Arrays.toString(generator.stateDict().get("3.weight").shape()));
        assertEquals("[1, 128, 7, 7]", Arrays.toString(generator.stateDict().get("9.weight").shape()));
    }

    /** An odd total padding needs a ZeroPad2d, which takes an index of its own. */
    @Test
    void asymmetricPaddingShiftsIndices() {
        Sequential m = Sequential.builder(new Rng(3), 8, 8, 2)
                .conv2dNoBias(3, 5, 2, Padding.SAME, Initializer.glorotUniform()).leakyRelu(0.2f)
                .flatten().dense(1, Initializer.glorotUniform()).build();
        assertEquals("""
                nn.Sequential(
                    nn.ZeroPad2d((1, 2, 1, 2)),  # 0
                    nn.Conv2d(2, 3, 5, stride=2, padding=0, bias=False),  # 1
                    nn.LeakyReLU(0.2),  # 2
                    nn.Flatten(),  # 3
                    nn.Linear(48, 1),  # 4
                )""", m.torchSource());
        assertEquals(List.of("1.weight", "4.weight", "4.bias"), List.copyOf(m.stateDict().keySet()));
    }

    /** "same" with k - s odd crops unevenly, which no single ConvTranspose2d does; state dicts still work. */
    @Test
    void unevenTransposedPaddingHasNoTorchSourceButAStateDict() {
        Sequential m = Sequential.builder(new Rng(5), 3, 3, 2)
                .conv2dTranspose(4, 5, 2, Padding.SAME, Initializer.glorotUniform()).tanh().build();
        assertArrayEquals(new int[] {6, 6, 4}, m.outputShape());
        assertThrows(UnsupportedOperationException.class, m::torchSource);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(m.stateDict().keySet()));
    }

    @Test
    void kernelsAreExportedInPyTorchLayouts() {
        Sequential m = Sequential.builder(new Rng(4), 4, 4, 2)
                .conv2d(3, 2, 1, Padding.VALID, Initializer.glorotUniform())
                .conv2dTranspose(5, 3, 2, Padding.SAME, Initializer.glorotUniform()).build();
        Map<String, Tensor> sd = m.stateDict();
        float[] conv = m.parameters().get(0).var().value().data(); // [o][ky][kx][i], 3x2x2x2
        float[] convT = m.parameters().get(2).var().value().data(); // [i][ky][kx][o], 3x3x3x5
        float[] torchConv = sd.get("0.weight").data(); // [o][i][ky][kx]
        float[] torchConvT = sd.get("1.weight").data(); // [i][o][ky][kx]
        for (int o = 0; o < 3; o++)
            for (int i = 0; i < 2; i++)
                for (int ky = 0; ky < 2; ky++)
                    for (int kx = 0; kx < 2; kx++)
                        assertEquals(conv[((o * 2 + ky) * 2 + kx) * 2 + i], torchConv[((o * 2 + i) * 2 + ky) * 2 + kx]);
        for (int i = 0; i < 3; i++)
            for (int o = 0; o < 5; o++)
                for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++)
                        assertEquals(convT[((i * 3 + ky) * 3 + kx) * 5 + o], torchConvT[((i * 5 + o) * 3 + ky) * 3 + kx]);
    }

    /** Save, load into a differently initialised model, and get identical outputs in both modes. */
    /**
     * Inference with no graph fuses each kernel layer, batch norm and (leaky) ReLU into one pass;
     * recording a graph runs the layers one by one. Both give the same bits, for E1's generator
     * (transposed convs with a bias; a dense layer without a norm), E3's critic with batch norm
     * (convs without a bias) and with layer norm (not fused), after a training step has moved
     * the running statistics away from 0 and 1.
     */
    @Test
    void fusedInferenceGivesTheLayersOutputsBitForBit() {
        Rng rng = new Rng(8);
        List<Sequential> models = List.of(SpecModels.e1Generator(rng.fork(1)),
                wgan.train.Models.critic(wgan.train.Architecture.E3, wgan.train.CriticNorm.BATCH, rng.fork(2)),
                SpecModels.e3Critic(rng.fork(3), 8, 4, true));
        for (Sequential model : models) {
            int[] in = model.inputShape();
            int[] shape = new int[in.length + 1];
            shape[0] = 3;
            System.arraycopy(in, 0, shape, 1, in.length);
            Tensor x = GradCheck.gaussian(rng, shape);
            for (Parameter p : model.parameters()) rng.fillGaussian(p.var().value().data(), 0f, 0.3f);
            model.forward(Var.constant(x), true);
            float[] layerByLayer = model.forward(Var.constant(x), false).value().data();
            float[] fused;
            try (var s = wgan.autodiff.Grad.noGrad()) {
                fused = model.forward(Var.constant(x), false).value().data();
            }
            assertArrayEquals(layerByLayer, fused);
        }
    }

    @Test
    void stateDictRoundTripGivesIdenticalOutputs() {
        Rng rng = new Rng(6);
        Tensor x = GradCheck.gaussian(rng, 3, 8, 8, 1);
        List<Function<Rng, Sequential>> models = List.of(
                r -> SpecModels.e3Critic(r, 8, 4, true), r -> SpecModels.e1Critic(r, 8, 4, Initializer.glorotUniform()));
        for (Function<Rng, Sequential> make : models) {
            Sequential source = make.apply(rng.fork(1));
            Sequential target = make.apply(rng.fork(2));
            for (Parameter p : source.parameters()) rng.fillGaussian(p.var().value().data(), 0f, 0.3f);
            source.forward(Var.constant(x), true); // moves BatchNorm's running statistics
            assertNotEquals(Arrays.toString(source.forward(Var.constant(x), false).value().data()),
                    Arrays.toString(target.forward(Var.constant(x), false).value().data()));
            target.loadStateDict(source.stateDict(), true);
            for (boolean training : new boolean[] {false, true}) {
                assertArrayEquals(source.forward(Var.constant(x), training).value().data(),
                        target.forward(Var.constant(x), training).value().data());
            }
            Map<String, Tensor> s1 = source.stateDict(), s2 = target.stateDict();
            s1.forEach((k, t) -> assertArrayEquals(t.data(), s2.get(k).data(), k));
        }
    }

    @Test
    void loadingChecksNamesAndShapes() {
        Sequential m = SpecModels.e1Critic(new Rng(7), 8, 4, Initializer.glorotUniform());
        Map<String, Tensor> sd = new HashMap<>(m.stateDict());
        sd.put("0.weight", Tensor.zeros(4, 1, 3, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd, false));
        assertTrue(e.getMessage().contains("0.weight has shape [4, 1, 3, 3], the model's is [4, 1, 4, 4]"), e.getMessage());

        Map<String, Tensor> partial = new HashMap<>(m.stateDict());
        partial.remove("1.running_var");
        partial.put("9.weight", Tensor.zeros(1));
        e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(partial, true));
        assertTrue(e.getMessage().contains("missing keys [1.running_var]") && e.getMessage().contains("unexpected keys [9.weight]"),
                e.getMessage());
        m.loadStateDict(partial, false); // non-strict: both tolerated
    }

    @Test
    void int64EntriesAreNamedByConvention() {
        assertTrue(StateDicts.isInt64("4.num_batches_tracked"));
        assertFalse(StateDicts.isInt64("4.running_var"));
    }
}
