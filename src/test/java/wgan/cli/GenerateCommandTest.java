package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import wgan.io.Npy;
import wgan.io.Safetensors;
import wgan.nn.Layouts;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;
import wgan.train.Sampler;
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

    /** The model's name comes from the file's metadata, so the message quotes at most 100 characters of it. */
    @Test
    void anUnknownModelIsNamedShortly() throws IOException {
        Safetensors.Contents good = Safetensors.read(run.resolve("checkpoints/iter-000002/generator.safetensors"));
        Map<String, String> metadata = new LinkedHashMap<>(good.metadata());
        metadata.put("model", "x".repeat(100_000));
        Path file = tmp.resolve("unknown-model.safetensors");
        Safetensors.write(file, good.tensors(), metadata);
        StringWriter err = new StringWriter();
        assertEquals(2, wgan(err, "generate", "--checkpoint", file.toString(), "--out", tmp.resolve("u.npy").toString()), err::toString);
        assertEquals("wgan: " + file + " names the model '" + "x".repeat(100) + "...'; wgan's are e1, e2, e3, e4, ae, vae, toy", err.toString().strip());
    }

    /** A first layer of another shape is an error before a model is made for it: [1, 400000] asked for 6272 x 400000 floats, over 2^31. */
    @Test
    void aGeneratorWhoseFirstLayerDoesNotFitIsAnErrorBeforeAnyModelIsMade() throws IOException {
        Path file = generatorWith("wide.safetensors", "0.weight", new Safetensors.F32(Tensor.zeros(1, 400_000)));
        StringWriter err = new StringWriter();
        assertEquals(2, wgan(err, "generate", "--checkpoint", file.toString(), "--out", tmp.resolve("w.npy").toString()), err::toString);
        assertEquals("wgan: " + file + ": tensor \"0.weight\" has shape [1, 400000]; model e1's generator needs [6272, latent] with latent >= 1",
                err.toString().strip());
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

    /** Over one chunk, the images of the whole set generated at once as generate did before it wrote in chunks, bit for bit. */
    @Test
    void manyImagesAreWrittenInChunksWithTheSameBits() throws IOException {
        int n = GenerateCommand.CHUNK + 76;
        Path npy = tmp.resolve("many.npy");
        assertEquals(0, wgan("generate", "--checkpoint", run.toString(), "--count", Integer.toString(n), "--seed", "3", "--out", npy.toString()));
        Sampler generator = Sampler.load(run);
        Tensor z = Tensor.zeros(n, generator.latent());
        new Rng(3).fillGaussian(z.data(), 0f, 1f);
        Tensor expected = Layouts.toChannelsFirst(generator.generate(z));
        Tensor written = Npy.read(npy);
        assertArrayEquals(expected.shape(), written.shape());
        assertArrayEquals(expected.data(), written.data());
    }

    /** The audit's cases, each a stack trace before; and what else --out and --latent may name that cannot be written or read. */
    @Test
    void hostileOutputsAndLatentsAreErrorsNamingThem() throws IOException {
        Path empty = tmp.resolve("empty.npy");
        Npy.write(empty, Tensor.zeros(0, 50));
        assertError("has 0 latent points; generate takes 1-1000000", "--latent", empty.toString(), "--out", tmp.resolve("empty.png").toString());
        assertError("--out / names no file or folder", "--out", "/");

        // 12,000,000 rows of 50 floats, sparse: the header and the length are those of a 2.4 GB file.
        Path huge = tmp.resolve("huge.npy");
        Npy.write(huge, Tensor.zeros(1, 50));
        byte[] header = Files.readAllBytes(huge);
        String text = new String(header, java.nio.charset.StandardCharsets.ISO_8859_1).replaceFirst("\\(1, 50\\), } {7}", "(12000000, 50), }");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.write(Arrays.copyOf(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), header.length - 200));
            f.setLength(header.length - 200 + 2_400_000_000L);
        }
        assertError(huge + " has 12000000 latent points; generate takes 1-1000000", "--latent", huge.toString(), "--out", tmp.resolve("h.npy").toString());
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(header.length);
        }
        assertError("truncated: shape (12000000, 50) needs 2400000000 bytes of data but the file holds 200",
                "--latent", huge.toString(), "--out", tmp.resolve("h.npy").toString());

        assertError("--count 4097 is more than the 4096 images a grid PNG holds", "--count", "4097", "--out", tmp.resolve("big.png").toString());
        assertError("is a folder; a .npy file is written there", "--out", Files.createDirectories(tmp.resolve("dir.npy")).toString());
        assertError("is a file; a folder of PNGs is written there", "--out", huge.toString().replace(".npy", ""),
                "--latent", Files.write(Path.of(huge.toString().replace(".npy", "")), new byte[1]).toString());
    }

    /** Runs generate with the trained run's checkpoint and {@code args}; it must exit 2 with {@code expected} in its error. */
    private static void assertError(String expected, String... args) {
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "generate";
        all[1] = "--checkpoint";
        all[2] = run.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        assertEquals(2, wgan(err, all), err::toString);
        assertTrue(err.toString().contains(expected), err::toString);
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
