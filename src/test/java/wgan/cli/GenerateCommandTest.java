package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import wgan.io.Npy;
import wgan.io.Safetensors;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;
import wgan.train.SmallMnist;

class GenerateCommandTest {
    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void train() throws IOException {
        run = SmallMnist.trainedRun(tmp, 2);
    }

    private static int wgan(String... args) {
        return Main.commandLine().execute(args);
    }

    /** Runs wgan with its error stream in {@code err}. */
    private static int wgan(StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** The trained generator's tensors with {@code name} (a name, or the first ending so) replaced by {@code entry}, in {@code file}. */
    private static Path generatorWith(String file, String name, Safetensors.Entry entry) throws IOException {
        Safetensors.Contents good = Safetensors.read(run.resolve("checkpoints/iter-000002/generator.safetensors"));
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>(good.tensors());
        String key = tensors.keySet().stream().filter(k -> k.equals(name) || k.endsWith(name)).findFirst().orElseThrow();
        tensors.put(key, entry);
        Path path = tmp.resolve(file);
        Safetensors.write(path, tensors, good.metadata());
        return path;
    }

    /** The audit's cases: both were stack traces (exit 1). */
    @Test
    void aGeneratorWithTheWrongDtypeIsAnErrorNamingFileAndTensor() throws IOException {
        Path int64Weight = generatorWith("int64-weight.safetensors", "0.weight", new Safetensors.I64(new long[] {1, 2}, new int[] {1, 2}));
        StringWriter err = new StringWriter();
        assertEquals(2, wgan(err, "generate", "--checkpoint", int64Weight.toString(), "--out", tmp.resolve("i.npy").toString()));
        assertEquals("wgan: " + int64Weight + ": tensor '0.weight' is I64 where F32 belongs", err.toString().strip());

        Path emptyCounter = generatorWith("empty-counter.safetensors", ".num_batches_tracked", new Safetensors.I64(new long[0], new int[] {0}));
        err = new StringWriter();
        assertEquals(2, wgan(err, "generate", "--checkpoint", emptyCounter.toString(), "--out", tmp.resolve("e.npy").toString()));
        assertTrue(err.toString().startsWith("wgan: " + emptyCounter + ": tensor '") && err.toString().contains("num_batches_tracked' of shape [0] holds 0 values"),
                err.toString());
    }

    @Test
    void npyHasPyTorchShapeAndTanhRangeAndIsReproducible() throws IOException {
        Path a = tmp.resolve("a.npy"), b = tmp.resolve("b.npy");
        assertEquals(0, wgan("generate", "--checkpoint", run.toString(), "--count", "7", "--seed", "5", "--out", a.toString()));
        assertEquals(0, wgan("generate", "--checkpoint", run.resolve("checkpoints/iter-000002").toString(),
                "--count", "7", "--seed", "5", "--out", b.toString()));
        Tensor samples = Npy.read(a);
        assertArrayEquals(new int[] {7, 1, 28, 28}, samples.shape());
        for (float v : samples.data()) assertTrue(v >= -1f && v <= 1f, "tanh output " + v);
        assertArrayEquals(samples.data(), Npy.read(b).data(), "same checkpoint and seed, same images");
    }

    @Test
    void latentFileGivesTheSameImagesAsTheSameRandomPoints() throws IOException {
        Tensor z = Tensor.zeros(3, 50);
        new Rng(9).fillGaussian(z.data(), 0f, 1f);
        Path zFile = tmp.resolve("z.npy");
        Npy.write(zFile, z);
        Path fromFile = tmp.resolve("from-file.npy"), fromSeed = tmp.resolve("from-seed.npy");
        assertEquals(0, wgan("generate", "--checkpoint", run.toString(), "--latent", zFile.toString(), "--out", fromFile.toString()));
        assertEquals(0, wgan("generate", "--checkpoint", run.toString(), "--seed", "9", "--count", "3", "--out", fromSeed.toString()));
        assertArrayEquals(Npy.read(fromSeed).data(), Npy.read(fromFile).data());
    }

    @Test
    void gridAndFolderOutputs() throws IOException {
        Path grid = tmp.resolve("grid.png"), dir = tmp.resolve("pngs");
        assertEquals(0, wgan("generate", "--checkpoint", run.toString(), "--count", "10", "--out", grid.toString()));
        assertEquals(2 + 4 * 30, ImageIO.read(grid.toFile()).getWidth(), "10 images in 4 columns of 28 px + 2 px borders");
        assertEquals(0, wgan("generate", "--checkpoint", run.toString(), "--count", "4", "--out", dir.toString()));
        try (var files = Files.list(dir)) {
            assertEquals(4, files.filter(f -> f.toString().endsWith(".png")).count());
        }
    }

    @Test
    void badInputIsAnErrorNamingIt() throws IOException {
        Tensor wrong = Tensor.zeros(2, 7);
        Path zFile = tmp.resolve("wrong.npy");
        Npy.write(zFile, wrong);
        assertEquals(2, wgan("generate", "--checkpoint", run.toString(), "--latent", zFile.toString(), "--out", tmp.resolve("x.npy").toString()));
        assertEquals(2, wgan("generate", "--checkpoint", tmp.resolve("missing").toString(), "--out", tmp.resolve("y.npy").toString()));
        assertEquals(2, wgan("generate", "--checkpoint", run.toString(), "--count", "0", "--out", tmp.resolve("z.npy").toString()));
    }
}
