package wgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.data.DatasetFiles.FileSpec;
import wgan.data.DatasetFiles.Split;
import wgan.io.FileFormatException;
import wgan.tensor.Tensor;

class DatasetFilesTest {
    /** Loads in these tests must not warn. */
    static final java.util.function.Consumer<String> NO_WARNINGS = w -> fail("unexpected warning: " + w);

    @TempDir
    Path dir;

    /** A cache of this test's own, offline: nothing here may reach a network. */
    DataHome home() {
        return offline(dir.resolve("cache"));
    }

    static DataHome offline(Path cache) {
        return new DataHome(cache, true, new Download(HttpClient.newHttpClient(), line -> {}, Download.Progress.NONE));
    }

    /** Four small IDX files: 4 training images of 2x3 with labels 3, 1, 3, 0; 2 test images. */
    static final Map<String, byte[]> CONTENT = Map.of(
            "train-images-idx3-ubyte", IdxFiles.images(4, 2, 3, bytes(0, 255, 127, 128, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)),
            "train-labels-idx1-ubyte", IdxFiles.labels(bytes(3, 1, 3, 0)),
            "t10k-images-idx3-ubyte", IdxFiles.images(2, 2, 3, new byte[12]),
            "t10k-labels-idx1-ubyte", IdxFiles.labels(bytes(5, 5)));

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    /** A dataset whose checksums are those of {@code content} (file name to uncompressed bytes), served from {@code mirrors}. */
    static DatasetFiles fake(Map<String, byte[]> content, List<URI> mirrors, List<Path> systemDirs) {
        List<FileSpec> specs = Stream.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
                .map(n -> new FileSpec(n, IdxTest.hex(IdxFiles.gzip(content.get(n))), IdxTest.hex(content.get(n)))).toList();
        return new DatasetFiles("fake", "Fake", mirrors, systemDirs, null, null, specs);
    }

    static void install(Path dir, Map<String, byte[]> content, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : content.entrySet()) {
            Files.write(dir.resolve(e.getKey() + (gzip ? ".gz" : "")), gzip ? IdxFiles.gzip(e.getValue()) : e.getValue());
        }
    }

    @Test
    void loadsASplitAndScalesOneClassToMinusOneOne() throws IOException {
        for (boolean gzip : new boolean[] {true, false}) {
            Path d = dir.resolve("gzip-" + gzip);
            install(d, CONTENT, gzip);
            LabeledImages train = fake(CONTENT, List.of(), List.of()).load(d, Split.TRAIN, home(), NO_WARNINGS);
            assertEquals(4, train.count());
            assertEquals(2, train.count(3));
            assertEquals(4, train.count(LabeledImages.ALL));
            Tensor threes = train.images(3);
            assertArrayEquals(new int[] {2, 2, 3, 1}, threes.shape());
            float[] v = threes.data();
            assertEquals(-1f, v[0]);
            assertEquals(1f, v[1]);
            assertEquals(-0.5f / 127.5f, v[2], 1e-7);
            assertEquals(0.5f / 127.5f, v[3], 1e-7);
            assertEquals((9 - 127.5f) / 127.5f, v[6], 1e-7, "second 3 is the third image");
            assertEquals(4, train.images(LabeledImages.ALL).dim(0));
            assertEquals(0, train.images(7).dim(0));
            assertEquals(2, fake(CONTENT, List.of(), List.of()).load(d, Split.TEST, home(), NO_WARNINGS).count(5));
        }
    }

    @Test
    void labelCountDifferentFromImageCountIsAnError() throws IOException {
        Map<String, byte[]> content = new HashMap<>(CONTENT);
        content.put("train-labels-idx1-ubyte", IdxFiles.labels(bytes(1, 2, 3)));
        install(dir, content, true);
        FileFormatException e = assertThrows(FileFormatException.class, () -> fake(content, List.of(), List.of()).load(dir, Split.TRAIN, home(), NO_WARNINGS));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz: has 3 labels but train-images-idx3-ubyte.gz has 4 images"), e.getMessage());
    }

    @Test
    void contentOtherThanTheOriginalIsAWarningGivingTheChecksums() throws IOException {
        install(dir, CONTENT, true);
        Map<String, byte[]> expected = new HashMap<>(CONTENT);
        expected.put("train-images-idx3-ubyte", IdxFiles.images(4, 2, 3, new byte[24]));
        DatasetFiles ds = fake(expected, List.of(), List.of());
        List<String> warnings = new ArrayList<>();
        assertEquals(4, ds.load(dir, Split.TRAIN, home(), warnings::add).count());
        assertEquals(1, warnings.size(), "only the images file differs: " + warnings);
        String w = warnings.get(0);
        String spec = ds.images(Split.TRAIN).contentSha256();
        assertTrue(w.contains("not that of the original") && w.contains(spec)
                && w.contains(IdxTest.hex(CONTENT.get("train-images-idx3-ubyte")))
                && w.contains("wgan.jar download fake --to " + dir), w);
    }

    @Test
    void missingFilesSayWhereItLookedAndWhatToDo() {
        Path empty = dir.resolve("empty");
        DatasetFiles ds = fake(CONTENT, List.of(URI.create("https://example.invalid/fake/")), List.of());
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> ds.load(empty, Split.TRAIN, home(), NO_WARNINGS));
        String m = e.getMessage();
        assertTrue(m.contains(empty.toAbsolutePath() + " (no such folder)"), m);
        assertTrue(m.contains("wgan.jar download fake --to " + empty), m);
        for (FileSpec f : ds.files()) assertTrue(m.contains(f.gzSha256() + "  " + f.gzName()), m);
    }

    /** --data naming a file (the images file itself, say) instead of its folder. */
    @Test
    void aFileGivenForTheFolderIsCalledAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("train-images-idx3-ubyte"), "not a folder");
        DatasetFiles ds = fake(CONTENT, List.of(URI.create("https://example.invalid/fake/")), List.of());
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> ds.load(file, Split.TRAIN, home(), NO_WARNINGS));
        assertTrue(e.getMessage().contains(file.toAbsolutePath() + " (a file, not a folder)"), e.getMessage());
    }

    @Test
    void anExplicitFolderIsNeverReplacedButOtherwiseSystemFoldersAreSearched() throws IOException {
        Path system = dir.resolve("system");
        install(system, CONTENT, true);
        DatasetFiles ds = fake(CONTENT, List.of(), List.of(system));
        assertEquals(system, ds.locate(null, Split.TRAIN, home()));
        assertThrows(DatasetNotFoundException.class, () -> ds.locate(dir.resolve("other"), Split.TRAIN, home()));
    }

    /** MNIST is packed with the program: found, and checked, with no folder anywhere holding it. */
    @Test
    void mnistComesWithTheProgram() throws IOException {
        DatasetFiles elsewhere = new DatasetFiles("mnist-nowhere", "MNIST", List.of(), List.of(), null,
                DatasetFiles.MNIST.bundled(), DatasetFiles.MNIST.files());
        Path bundled = elsewhere.bundledDir().orElseThrow();
        assertEquals(bundled, elsewhere.locate(null, Split.TRAIN, home()));
        assertEquals(bundled, elsewhere.searchPath(home()).get(elsewhere.searchPath(home()).size() - 1), "the last place looked in");
        LabeledImages train = elsewhere.load(null, Split.TRAIN, home(), NO_WARNINGS);
        assertEquals(6265, train.count(7));
        assertEquals(10_000, elsewhere.load(null, Split.TEST, home(), NO_WARNINGS).count());
        assertTrue(DatasetFiles.FASHION_MNIST.bundledDir().isEmpty(), "only MNIST is packed");
    }

    /** Without --data the order is: the working folder's datasets/, the cache, the system folders. */
    @Test
    void theCacheComesBeforeTheSystemFolders() throws IOException {
        Path system = dir.resolve("system");
        install(system, CONTENT, true);
        DatasetFiles ds = fake(CONTENT, List.of(), List.of(system));
        assertEquals(List.of(Path.of("datasets", "fake"), dir.resolve("cache/fake"), system), ds.searchPath(home()));
        install(dir.resolve("cache/fake"), CONTENT, false);
        assertEquals(dir.resolve("cache/fake"), ds.locate(null, Split.TRAIN, home()));
    }

    /** Offline and nowhere to be found: one message with the files, the places, --data and Debian's package. */
    @Test
    void offlineAndMissingSaysExactlyWhatToDo() {
        DatasetFiles ds = new DatasetFiles("fake", "Fake", List.of(URI.create("https://example.invalid/fake/")),
                List.of(dir.resolve("usr-share")), "dataset-fake", null, fake(CONTENT, List.of(), List.of()).files());
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> ds.load(null, Split.TRAIN, home(), NO_WARNINGS));
        String m = e.getMessage();
        assertTrue(m.contains("wgan is offline (--offline), so it did not download them"), m);
        assertTrue(m.contains(dir.resolve("cache/fake").toAbsolutePath() + " (no such folder)"), m);
        assertTrue(m.contains("copy these four files into " + dir.resolve("cache/fake").toAbsolutePath() + "/"), m);
        assertTrue(m.contains("--data DIR"), m);
        assertTrue(m.contains("sudo apt-get install dataset-fake   (installs them into " + dir.resolve("usr-share")), m);
        for (FileSpec f : ds.files()) assertTrue(m.contains(f.gzSha256() + "  " + f.gzName()), m);
        assertFalse(Files.exists(dir.resolve("cache")), "nothing was written");
    }

    @Test
    void knownDatasetsByName() {
        assertSame(DatasetFiles.MNIST, DatasetFiles.byName("MNIST"));
        assertSame(DatasetFiles.FASHION_MNIST, DatasetFiles.byName("fashion-mnist"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetFiles.byName("cifar"));
        assertTrue(e.getMessage().contains("mnist, fashion-mnist"), e.getMessage());
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), DatasetFiles.FASHION_MNIST.systemDirs().get(0));
    }

    /** MNIST as the repository holds it. */
    static final Path MNIST = Path.of("datasets", "mnist");

    /**
     * Fashion-MNIST where a user of this kind of machine gets it: Debian's package, which .ci/run
     * installs. Required in CI, skipped on a machine without it.
     */
    static Path fashionMnist() {
        Path debian = DatasetFiles.FASHION_MNIST.systemDirs().get(0);
        boolean present = Files.isRegularFile(debian.resolve("train-images-idx3-ubyte.gz"));
        if (System.getenv("CI") != null) assertTrue(present, "CI must install dataset-fashion-mnist into " + debian);
        assumeTrue(present, "no Fashion-MNIST in " + debian + " (apt-get install dataset-fashion-mnist)");
        return debian;
    }

    @Test
    void realMnist() throws IOException {
        Path d = MNIST;
        LabeledImages train = DatasetFiles.MNIST.load(d, Split.TRAIN, home(), NO_WARNINGS);
        assertEquals(60_000, train.count());
        assertEquals(5, train.labels()[0]);
        assertEquals(6265, train.count(7));
        Tensor sevens = train.images(7);
        assertArrayEquals(new int[] {6265, 28, 28, 1}, sevens.shape());
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float x : sevens.data()) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertEquals(-1f, min);
        assertEquals(1f, max);
        LabeledImages test = DatasetFiles.MNIST.load(d, Split.TEST, home(), NO_WARNINGS);
        assertEquals(10_000, test.count());
        assertEquals(1028, test.count(7));
    }

    @Test
    void realFashionMnist() throws IOException {
        LabeledImages train = DatasetFiles.FASHION_MNIST.load(fashionMnist(), Split.TRAIN, home(), NO_WARNINGS);
        for (int label = 0; label < 10; label++) assertEquals(6000, train.count(label), "class " + label);
    }
}
