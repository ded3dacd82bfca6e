package wgan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.autodiff.Grad;
import wgan.autodiff.Var;
import wgan.nn.GradientPenalty;
import wgan.nn.Losses;
import wgan.nn.Parameter;
import wgan.nn.Sequential;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * The four model pairs of docs/experiments.md against their layer lists: every layer's PyTorch equivalent
 * and output shape, the parameter counts Keras would report, outputs and gradients (double
 * backprop included) at full size on a few images, state-dict round trips, and E1 bit for bit
 * as it was built before the other models joined it.
 */
class ModelsTest {

    static Stream<Arguments> critics() {
        return Arrays.stream(Architecture.values()).filter(a -> !a.autoencoder())
                .flatMap(a -> Arrays.stream(CriticNorm.values()).map(n -> Arguments.of(a, n)));
    }

    // ---- layer lists ----

    /** Each layer as "its PyTorch modules -> its per-sample output shape", one a line. */
    private static String layers(Sequential m) {
        return m.layers().stream()
                .map(l -> line(String.join(" + ", l.torchModules()), shape(l.outputShape())))
                .collect(Collectors.joining());
    }

    private static String shape(int[] s) {
        return Arrays.stream(s).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    private static final String LEAKY = "nn.LeakyReLU(0.2)", RELU = "nn.ReLU()", TANH = "nn.Tanh()";
    private static final String UP = "nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)";

    /** The spec's critic lists, in blocks of a conv, {@code norm} where the spec has BatchNorm, LeakyReLU(0.2). */
    private static String specCritic(Architecture a, CriticNorm norm) {
        String pad = "nn.ZeroPad2d((1, 2, 1, 2)) + "; // "same" 5x5 s2 pads 3 in all: 1 before, 2 after
        String bias = a == Architecture.E3 ? ", bias=False" : "";
        CriticNorm none = CriticNorm.NONE;
        return switch (a) {
            case E1 -> block("nn.Conv2d(1, 64, 4, stride=2, padding=1)", "14x14x64", norm, LEAKY)
                    + block("nn.Conv2d(64, 64, 4, stride=2, padding=1)", "7x7x64", norm, LEAKY)
                    + line("nn.Flatten()", "3136") + line("nn.Linear(3136, 1)", "1");
            case E2, E3 -> block(pad + "nn.Conv2d(1, 128, 5, stride=2, padding=0" + bias + ")", "16x16x128", none, LEAKY)
                    + block(pad + "nn.Conv2d(128, 256, 5, stride=2, padding=0" + bias + ")", "8x8x256", norm, LEAKY)
                    + block(pad + "nn.Conv2d(256, 512, 5, stride=2, padding=0" + bias + ")", "4x4x512", norm, LEAKY)
                    + line("nn.Flatten()", "8192") + line("nn.Linear(8192, 1)", "1");
            case E4 -> block("nn.Conv2d(3, 64, 5, stride=3, padding=0)", "20x20x64", none, LEAKY)
                    + block("nn.Conv2d(64, 128, 5, stride=3, padding=0)", "6x6x128", norm, LEAKY)
                    + block("nn.Conv2d(128, 256, 5, stride=3, padding=0)", "1x1x256", norm, LEAKY)
                    + line("nn.Flatten()", "256") + line("nn.Linear(256, 1)", "1");
            // No normalisation whatever the setting says: the toy critic has none to replace.
            case TOY -> line("nn.Flatten()", "2") + toyHidden(2) + line("nn.Linear(128, 1)", "1");
            case AE, VAE -> throw new AssertionError(a + " has no critic");
        };
    }

    /** The spec's generator lists; batch norm where the spec has it. */
    private static String specGenerator(Architecture a) {
        CriticNorm bn = CriticNorm.BATCH;
        int f = a == Architecture.E3 ? 256 : 128; // the second upsampling block's filters
        return switch (a) {
            case E1 -> line("nn.Linear(50, 6272)", "6272") + line(LEAKY, "6272")
                    + line("nn.Unflatten(1, (128, 7, 7))", "7x7x128")
                    + block("nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1)", "14x14x128", bn, LEAKY)
                    + block("nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1)", "28x28x128", bn, LEAKY)
                    + line("nn.Conv2d(128, 1, 7, stride=1, padding=3)", "28x28x1") + line(TANH, "28x28x1");
            case E2, E3 -> line("nn.Linear(128, 8192)", "8192")
                    + line("nn.BatchNorm1d(8192, eps=0.001, momentum=0.01)", "8192") + line(RELU, "8192")
                    + line("nn.Unflatten(1, (512, 4, 4))", "4x4x512")
                    + line(UP, "8x8x512") + block("nn.Conv2d(512, 256, 5, stride=1, padding=2)", "8x8x256", bn, RELU)
                    + line(UP, "16x16x256")
                    + block("nn.Conv2d(256, " + f + ", 5, stride=1, padding=2)", "16x16x" + f, bn, RELU)
                    + line(UP, "32x32x" + f)
                    + line("nn.Conv2d(" + f + ", 1, 5, stride=1, padding=2)", "32x32x1") + line(TANH, "32x32x1");
            // Keras's "valid" transposed output (in-1)*s + k: 2*3+3 = 9, 8*2+5 = 21, 20*3+4 = 64.
            case E4 -> line("nn.Linear(100, 4608)", "4608")
                    + line("nn.Unflatten(1, (512, 3, 3))", "3x3x512") + line(LEAKY, "3x3x512")
                    + block("nn.ConvTranspose2d(512, 256, 3, stride=3, padding=0)", "9x9x256", bn, LEAKY)
                    + block("nn.ConvTranspose2d(256, 128, 5, stride=2, padding=0)", "21x21x128", bn, LEAKY)
                    + line("nn.ConvTranspose2d(128, 3, 4, stride=3, padding=0)", "64x64x3") + line(TANH, "64x64x3");
            case TOY -> toyHidden(2) + line("nn.Linear(128, 2)", "2") + line("nn.Unflatten(1, (2, 1, 1))", "1x1x2");
            // The course's decoders (docs/vae.md): logits, then each pixel's Bernoulli mean.
            case AE -> line("nn.Linear(20, 128)", "128") + line(RELU, "128") + line("nn.Linear(128, 256)", "256") + line(RELU, "256")
                    + line("nn.Linear(256, 784)", "784") + line("nn.Unflatten(1, (1, 28, 28))", "28x28x1") + line("nn.Sigmoid()", "28x28x1");
            case VAE -> line("nn.Linear(10, 128)", "128") + line(RELU, "128")
                    + line("nn.Linear(128, 784)", "784") + line("nn.Unflatten(1, (1, 28, 28))", "28x28x1") + line("nn.Sigmoid()", "28x28x1");
        };
    }

    /** The toy networks' three hidden layers after an input of {@code in} features. */
    private static String toyHidden(int in) {
        return line("nn.Linear(" + in + ", 128)", "128") + line(RELU, "128")
                + line("nn.Linear(128, 128)", "128") + line(RELU, "128")
                + line("nn.Linear(128, 128)", "128") + line(RELU, "128");
    }

    /** A layer's line of {@link #layers}. */
    private static String line(String modules, String shape) {
        return modules + " -> " + shape + "\n";
    }

    /** A conv with an HxWxC output, then {@code norm} and {@code activation} at that shape. */
    private static String block(String conv, String hwc, CriticNorm norm, String activation) {
        int[] s = Arrays.stream(hwc.split("x")).mapToInt(Integer::parseInt).toArray();
        String normLine = switch (norm) {
            case BATCH -> line("nn.BatchNorm2d(" + s[2] + ", eps=0.001, momentum=0.01)", hwc);
            case LAYER -> line("nn.LayerNorm([" + s[2] + ", " + s[0] + ", " + s[1] + "], eps=1.0E-5)", hwc);
            case NONE -> "";
        };
        return line(conv, hwc) + normLine + line(activation, hwc);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("critics")
    void criticLayersAreTheSpecs(Architecture a, CriticNorm norm) {
        Sequential critic = Models.critic(a, norm, new Rng(1));
        assertArrayEquals(new int[] {a.height(), a.width(), a.channels()}, critic.inputShape());
        assertEquals(specCritic(a, norm), layers(critic));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void generatorLayersAreTheSpecs(Architecture a) {
        Sequential generator = Models.generator(a, new Rng(2), a.defaultLatent());
        assertArrayEquals(new int[] {a.defaultLatent()}, generator.inputShape());
        assertEquals(specGenerator(a), layers(generator));
    }

    // ---- parameter counts: Keras's "Trainable params", by hand from the layer lists ----

    /** Trainable parameters of the normalisation at a HxWxC activation: BN's gamma and beta per channel, LN's per element. */
    private static int norm(CriticNorm n, int h, int w, int c) {
        return switch (n) {
            case BATCH -> 2 * c;
            case LAYER -> 2 * h * w * c;
            case NONE -> 0;
        };
    }

    private static int trainable(Sequential m) {
        return m.parameters().stream().mapToInt(p -> p.var().value().size()).sum();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("critics")
    void criticParameterCounts(Architecture a, CriticNorm n) {
        int expected = switch (a) {
            case E1 -> 4 * 4 * 1 * 64 + 64 + norm(n, 14, 14, 64) + 4 * 4 * 64 * 64 + 64 + norm(n, 7, 7, 64) + 7 * 7 * 64 + 1;
            case E2 -> 5 * 5 * 1 * 128 + 128 + 5 * 5 * 128 * 256 + 256 + norm(n, 8, 8, 256)
                    + 5 * 5 * 256 * 512 + 512 + norm(n, 4, 4, 512) + 4 * 4 * 512 + 1;
            case E3 -> 5 * 5 * 1 * 128 + 5 * 5 * 128 * 256 + norm(n, 8, 8, 256)
                    + 5 * 5 * 256 * 512 + norm(n, 4, 4, 512) + 4 * 4 * 512 + 1;
            case E4 -> 5 * 5 * 3 * 64 + 64 + 5 * 5 * 64 * 128 + 128 + norm(n, 6, 6, 128)
                    + 5 * 5 * 128 * 256 + 256 + norm(n, 1, 1, 256) + 256 + 1;
            case TOY -> 2 * 128 + 128 + 2 * (128 * 128 + 128) + 128 + 1;
            case AE, VAE -> throw new AssertionError(a + " has no critic");
        };
        assertEquals(expected, trainable(Models.critic(a, n, new Rng(3))));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void generatorParameterCounts(Architecture a) {
        int expected = switch (a) {
            case E1 -> 50 * 6272 + 6272 + 4 * 4 * 128 * 128 + 128 + 2 * 128 + 4 * 4 * 128 * 128 + 128 + 2 * 128 + 7 * 7 * 128 * 1 + 1;
            case E2 -> 128 * 8192 + 8192 + 2 * 8192 + 5 * 5 * 512 * 256 + 256 + 2 * 256
                    + 5 * 5 * 256 * 128 + 128 + 2 * 128 + 5 * 5 * 128 * 1 + 1;
            case E3 -> 128 * 8192 + 8192 + 2 * 8192 + 5 * 5 * 512 * 256 + 256 + 2 * 256
                    + 5 * 5 * 256 * 256 + 256 + 2 * 256 + 5 * 5 * 256 * 1 + 1;
            case E4 -> 100 * 4608 + 4608 + 3 * 3 * 512 * 256 + 256 + 2 * 256
                    + 5 * 5 * 256 * 128 + 128 + 2 * 128 + 4 * 4 * 128 * 3 + 3;
            case TOY -> 2 * 128 + 128 + 2 * (128 * 128 + 128) + 128 * 2 + 2;
            case AE -> 20 * 128 + 128 + 128 * 256 + 256 + 256 * 784 + 784;
            case VAE -> 10 * 128 + 128 + 128 * 784 + 784;
        };
        assertEquals(expected, trainable(Models.generator(a, new Rng(4), a.defaultLatent())));
    }

    /** The course's encoders (docs/vae.md): 784 -> 256 -> 128 -> 20, and 784 -> 128 -> (10, 10). */
    @Test
    void encoderParameterCounts() {
        assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 20 + 20,
                Models.encoder(Architecture.AE, new Rng(4), 20).parameters().stream().mapToInt(p -> p.var().value().size()).sum());
        assertEquals(784 * 128 + 128 + 2 * (128 * 10 + 10),
                Models.encoder(Architecture.VAE, new Rng(4), 10).parameters().stream().mapToInt(p -> p.var().value().size()).sum());
        assertThrows(IllegalArgumentException.class, () -> Models.encoder(Architecture.E1, new Rng(4), 50));
        assertThrows(IllegalArgumentException.class, () -> Models.critic(Architecture.VAE, CriticNorm.NONE, new Rng(4)));
    }

    // ---- outputs and gradients at full size ----

    private static Tensor images(Rng rng, Architecture a, int n) {
        Tensor t = Tensor.zeros(n, a.height(), a.width(), a.channels());
        rng.fillUniform(t.data(), -1f, 1f);
        return t;
    }

    private static void assertFinite(Tensor t, String what) {
        assertNotNull(t, what + " has no gradient");
        for (float v : t.data()) assertTrue(Float.isFinite(v), what + " has " + v);
    }

    private static boolean anyNonZero(Tensor t) {
        for (float v : t.data()) if (v != 0) return true;
        return false;
    }

    private static List<Var> vars(List<Parameter> ps) {
        return ps.stream().map(Parameter::var).toList();
    }

    private static boolean isKernel(Parameter p) {
        return p.kind() == Parameter.Kind.CONV_KERNEL || p.kind() == Parameter.Kind.DENSE_KERNEL;
    }

    /** One score per image; the Wasserstein loss has finite gradients for the input and every parameter. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("critics")
    void criticScoresAndGradientsAreFinite(Architecture a, CriticNorm norm) {
        Rng rng = new Rng(5);
        Sequential critic = Models.critic(a, norm, rng.fork(1));
        Var x = Var.param(images(rng, a, 3));
        Var scores = critic.forward(x, true);
        assertArrayEquals(new int[] {3, 1}, scores.shape());
        assertFinite(scores.value(), "scores");
        Grad.backward(Losses.wasserstein(scores, -1f));
        assertFinite(x.grad(), "input");
        assertTrue(anyNonZero(x.grad()), "input gradient is zero");
        for (Parameter p : critic.parameters()) {
            assertFinite(p.var().grad(), p.name());
            if (isKernel(p)) assertTrue(anyNonZero(p.var().grad()), p.name() + " gradient is zero");
        }
    }

    /**
     * The WGAN-GP penalty differentiates the critic's input gradient again: every kernel gets a
     * finite, non-zero gradient through that second path (biases and beta need not: the input
     * gradient does not depend on them where the activations do not change side).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("critics")
    void criticSupportsTheGradientPenalty(Architecture a, CriticNorm norm) {
        Rng rng = new Rng(6);
        Sequential critic = Models.critic(a, norm, rng.fork(1));
        Var penalty = GradientPenalty.penalty(x -> critic.forward(x, true), images(rng, a, 3), images(rng, a, 3), 10f,
                GradientPenalty.Side.TWO_SIDED, rng);
        assertTrue(Float.isFinite(penalty.value().item()), "penalty " + penalty);
        Grad.backward(penalty, vars(critic.parameters()));
        for (Parameter p : critic.parameters()) {
            if (!isKernel(p)) continue;
            assertFinite(p.var().grad(), p.name());
            assertTrue(anyNonZero(p.var().grad()), p.name() + " gets no gradient from the penalty");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void generatorsMakeImagesInTheirShapeWithinMinusOneToOne(Architecture a) {
        Rng rng = new Rng(7);
        Sequential generator = Models.generator(a, rng.fork(1), a.defaultLatent());
        Tensor z = Tensor.zeros(2, a.defaultLatent());
        rng.fillGaussian(z.data(), 0f, 1f);
        for (boolean training : new boolean[] {true, false}) {
            Tensor images = generator.forward(Var.constant(z), training).value();
            assertArrayEquals(new int[] {2, a.height(), a.width(), a.channels()}, images.shape());
            // The toy generator's points may lie anywhere in the plane: its last layer is linear.
            if (a == Architecture.TOY) continue;
            for (float v : images.data()) assertTrue(v >= -1 && v <= 1, "pixel " + v + " (training=" + training + ")");
        }
    }

    // ---- state dicts and PyTorch source ----

    static Stream<Arguments> allModels() {
        Stream<Arguments> critics = critics().map(args -> {
            Architecture a = (Architecture) args.get()[0];
            CriticNorm n = (CriticNorm) args.get()[1];
            return Arguments.of(a.id() + " critic " + n.id(), (Function<Rng, Sequential>) rng -> Models.critic(a, n, rng));
        });
        Stream<Arguments> generators = Arrays.stream(Architecture.values()).map(a -> Arguments.of(a.id() + " generator",
                (Function<Rng, Sequential>) rng -> Models.generator(a, rng, a.defaultLatent())));
        return Stream.concat(critics, generators);
    }

    /**
     * A model whose every entry differs from a fresh one's (biases and norms moved, running
     * statistics updated by a training pass) loads into that fresh one, which then has the same
     * state and gives the same outputs; its PyTorch source is produced.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allModels")
    void stateDictsRoundTripAndTorchSourceIsProduced(String name, Function<Rng, Sequential> make) {
        Rng rng = new Rng(8);
        Sequential source = make.apply(rng.fork(1));
        Sequential target = make.apply(rng.fork(2));
        for (Parameter p : source.parameters()) {
            if (!isKernel(p)) rng.fillGaussian(p.var().value().data(), 0f, 0.1f);
        }
        int[] in = source.inputShape();
        Tensor x = Tensor.zeros(IntStream.concat(IntStream.of(2), Arrays.stream(in)).toArray());
        rng.fillUniform(x.data(), -1f, 1f);
        source.forward(Var.constant(x), true);
        Map<String, Tensor> saved = source.stateDict();
        assertNotEquals(digest(saved), digest(target.stateDict()));
        target.loadStateDict(saved, true);
        assertEquals(digest(saved), digest(target.stateDict()));
        assertArrayEquals(source.forward(Var.constant(x), false).value().data(),
                target.forward(Var.constant(x), false).value().data());
        String torch = source.torchSource();
        assertTrue(torch.startsWith("nn.Sequential(\n") && torch.endsWith(")"), torch);
    }

    // ---- E1 as before ----

    /** SHA-256 of the names, shapes and float bits of a state dict, in order. */
    private static String digest(Map<String, Tensor> sd) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            sd.forEach((name, t) -> {
                md.update(name.getBytes(StandardCharsets.UTF_8));
                for (int d : t.shape()) md.update(ByteBuffer.allocate(4).putInt(d).array());
                ByteBuffer bits = ByteBuffer.allocate(4 * t.size());
                bits.asFloatBuffer().put(t.data());
                md.update(bits);
            });
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The digests of Models.e1Critic(new Rng(7)), e1Generator(new Rng(8), 50) and
     * e1Generator(new Rng(9), 100) as built at commit ef65192, before E2-E4 were added: the same
     * layers with the same weights, drawn from the Rng in the same order.
     */
    @Test
    void e1IsBuiltBitForBitAsBefore() {
        assertEquals("9040fce2f1fe2cab0a27288081300443616d51239c31bb6c9bc8e188f29a0631",
                digest(Models.critic(Architecture.E1, CriticNorm.BATCH, new Rng(7)).stateDict()));
        assertEquals("d6e5f363dd768adf3f0bbe9df94104e24c93f1f37aa628e97a5d985dc46acf53",
                digest(Models.generator(Architecture.E1, new Rng(8), 50).stateDict()));
        assertEquals("97b385868459137ff817079bd5c64b013c39ae81df1505fe9e0969e96fefddc8",
                digest(Models.generator(Architecture.E1, new Rng(9), 100).stateDict()));
    }

    // ---- names ----

    @Test
    void namesRoundTripAndUnknownOnesListTheValidOnes() {
        for (Architecture a : Architecture.values()) assertEquals(a, Ids.parse(Architecture.class, a.id()));
        for (CriticNorm n : CriticNorm.values()) assertEquals(n, Ids.parse(CriticNorm.class, n.id()));
        assertEquals(List.of("e1", "e2", "e3", "e4", "ae", "vae", "toy"), Arrays.stream(Architecture.values()).map(Architecture::id).toList());
        assertEquals(Architecture.E2, Ids.parse(Architecture.class, "E2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ids.parse(Architecture.class, "e5"));
        assertEquals("'e5' is not one of e1, e2, e3, e4, ae, vae, toy", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ids.parse(CriticNorm.class, "instance"));
        assertEquals("'instance' is not one of batch, layer, none", e.getMessage());
        assertEquals(TrainConfig.Lipschitz.GP_ONE_SIDED, Ids.parse(TrainConfig.Lipschitz.class, "gp-one-sided"));
    }

    @Test
    void defaultsAreTheSpecs() {
        assertEquals(List.of(50, 128, 128, 100, 20, 10, 2), Arrays.stream(Architecture.values()).map(Architecture::defaultLatent).toList());
        assertEquals(List.of(CriticNorm.BATCH, CriticNorm.BATCH, CriticNorm.NONE, CriticNorm.BATCH, CriticNorm.NONE, CriticNorm.NONE, CriticNorm.NONE),
                Arrays.stream(Architecture.values()).map(Architecture::defaultCriticNorm).toList());
    }
}
