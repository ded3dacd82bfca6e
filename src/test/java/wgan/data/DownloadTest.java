package wgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import wgan.cli.Main;
import wgan.data.DatasetFiles.FileSpec;
import wgan.data.DatasetFiles.Split;

/** Downloads from a local HTTP server on the loopback address; nothing leaves the machine. */
class DownloadTest {

    @TempDir
    Path dir;

    private HttpServer server;
    /** Request path to body; a path not here answers 404. */
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = new ArrayList<>();
    /** Request path to the number of bytes its next answer sends before the connection breaks. */
    private final Map<String, Integer> breakAfter = new ConcurrentHashMap<>();
    /** The Range header of each request, "" where there was none. */
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(range == null ? "" : range);
            byte[] body = served.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                exchange.sendResponseHeaders(range == null ? 200 : 206, body.length - from);
                Integer cut = breakAfter.remove(path);
                OutputStream out = exchange.getResponseBody();
                if (cut != null) {
                    out.write(body, from, cut);
                    out.flush();
                    // A handler that throws makes the server drop the connection: the client sees it break.
                    throw new IOException("connection broken on purpose after " + cut + " bytes");
                }
                out.write(body, from, body.length - from);
                out.close();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Serves the fake dataset's .gz files under {@code base}. */
    private void serve(String base, Map<String, byte[]> content) {
        content.forEach((name, bytes) -> served.put(base + name + ".gz", IdxFiles.gzip(bytes)));
    }

    private List<Path> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void fetchesChecksAndThenSkipsFilesAlreadyPresent() throws IOException {
        serve("/data/", DatasetFilesTest.CONTENT);
        DatasetFiles ds = DatasetFilesTest.fake(DatasetFilesTest.CONTENT, List.of(), List.of());
        Path to = dir.resolve("fake");
        new Download(log::add).fetch(ds, to, List.of(url("/data")));
        assertEquals(4, requests.size());
        for (FileSpec f : ds.files()) assertArrayEquals(served.get("/data/" + f.gzName()), Files.readAllBytes(to.resolve(f.gzName())));
        assertEquals(4, ds.load(to, Split.TRAIN, DatasetFilesTest.offline(dir.resolve("cache")), DatasetFilesTest.NO_WARNINGS).count(), "what was downloaded loads");

        Files.write(to.resolve(ds.files().get(3).gzName()), new byte[] {1, 2, 3});
        log.clear();
        new Download(log::add).fetch(ds, to, List.of(url("/data/")));
        assertEquals(5, requests.size(), "only the damaged file is fetched again: " + requests);
        assertEquals(3, log.stream().filter(l -> l.contains("already present")).count(), String.join("\n", log));
        assertArrayEquals(served.get("/data/" + ds.files().get(3).gzName()), Files.readAllBytes(to.resolve(ds.files().get(3).gzName())));
    }

    @Test
    void triesTheNextMirrorWhenOneFails() throws IOException {
        serve("/second/", DatasetFilesTest.CONTENT);
        DatasetFiles ds = DatasetFilesTest.fake(DatasetFilesTest.CONTENT, List.of(), List.of());
        new Download(log::add).fetch(ds, dir, List.of(url("/first/"), url("/second/")));
        assertEquals(8, requests.size());
        assertTrue(log.stream().anyMatch(l -> l.contains("HTTP status 404")), String.join("\n", log));
        assertEquals(4, listing(dir).size());
    }

    @Test
    void aChecksumMismatchSavesNothing() throws IOException {
        Map<String, byte[]> other = new HashMap<>(DatasetFilesTest.CONTENT);
        other.put("t10k-labels-idx1-ubyte", IdxFiles.labels(new byte[] {9}));
        serve("/data/", other);
        DatasetFiles ds = DatasetFilesTest.fake(DatasetFilesTest.CONTENT, List.of(), List.of());
        Download.DownloadException e = assertThrows(Download.DownloadException.class,
                () -> new Download(log::add).fetch(ds, dir, List.of(url("/data/"))));
        String expectedSha = ds.labels(Split.TEST).gzSha256();
        assertTrue(e.getMessage().contains("SHA-256 mismatch") && e.getMessage().contains("expected " + expectedSha), e.getMessage());
        assertFalse(Files.exists(dir.resolve("t10k-labels-idx1-ubyte.gz")));
        assertEquals(3, listing(dir).size(), "the three good files and no temporary file: " + listing(dir));
    }

    @Test
    void withoutNetworkSaysHowToInstallByHand() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        DatasetFiles ds = DatasetFilesTest.fake(DatasetFilesTest.CONTENT, List.of(URI.create("https://example.invalid/fake/")), List.of());
        Download.DownloadException e = assertThrows(Download.DownloadException.class,
                () -> new Download(log::add).fetch(ds, dir, List.of(URI.create("http://127.0.0.1:" + closedPort + "/"))));
        String m = e.getMessage();
        assertTrue(m.contains("could not connect") && m.contains("no network access"), m);
        for (FileSpec f : ds.files()) assertTrue(m.contains(f.gzSha256() + "  " + f.gzName()), m);
        assertTrue(m.contains("no network access, fetch them on one that has, and copy these four files into " + dir), m);
    }

    /** A transfer that breaks halfway goes on from where it stopped, asking only for the rest. */
    @Test
    void anInterruptedDownloadResumes() throws IOException {
        serve("/data/", DatasetFilesTest.CONTENT);
        DatasetFiles ds = DatasetFilesTest.fake(DatasetFilesTest.CONTENT, List.of(), List.of());
        String images = "/data/" + ds.images(Split.TRAIN).gzName();
        int half = served.get(images).length / 2;
        breakAfter.put(images, half);
        new Download(log::add).fetch(ds, dir, List.of(url("/data/")));
        assertEquals(List.of("", "bytes=" + half + "-"), imagesRanges(images), String.join("\n", log));
        assertArrayEquals(served.get(images), Files.readAllBytes(dir.resolve(ds.images(Split.TRAIN).gzName())));
        assertEquals(4, listing(dir).size(), "no .part file is left: " + listing(dir));
    }

    /** A .part file left by a run that was killed is continued by the next run. */
    @Test
    void aPartLeftByAKilledRunIsContinued() throws IOException {
        serve("/data/", DatasetFilesTest.CONTENT);
        DatasetFiles ds = DatasetFilesTest.fake(DatasetFilesTest.CONTENT, List.of(), List.of());
        String images = "/data/" + ds.images(Split.TRAIN).gzName();
        byte[] whole = served.get(images);
        Path target = dir.resolve(ds.images(Split.TRAIN).gzName());
        Files.write(Download.partFile(target), java.util.Arrays.copyOf(whole, 7));
        new Download(log::add).fetch(ds, dir, List.of(url("/data/")));
        assertEquals(List.of("bytes=7-"), imagesRanges(images));
        assertArrayEquals(whole, Files.readAllBytes(target));
    }

    /** A part whose first bytes belong to some other file fails the checksum, is thrown away and fetched whole. */
    @Test
    void aPartOfAnotherFileIsNeverUsed() throws IOException {
        serve("/data/", DatasetFilesTest.CONTENT);
        DatasetFiles ds = DatasetFilesTest.fake(DatasetFilesTest.CONTENT, List.of(), List.of());
        String images = "/data/" + ds.images(Split.TRAIN).gzName();
        Path target = dir.resolve(ds.images(Split.TRAIN).gzName());
        Files.write(Download.partFile(target), new byte[] {1, 2, 3, 4, 5, 6, 7});
        new Download(log::add).fetch(ds, dir, List.of(url("/data/")));
        assertEquals(List.of("bytes=7-", ""), imagesRanges(images));
        assertTrue(log.stream().anyMatch(l -> l.contains("SHA-256 mismatch")), String.join("\n", log));
        assertArrayEquals(served.get(images), Files.readAllBytes(target));
    }

    private List<String> imagesRanges(String path) {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) if (requests.get(i).equals(path)) r.add(ranges.get(i));
        return r;
    }

    /** Training without --data, the files nowhere: they are downloaded into the cache once, then found there. */
    @Test
    void aMissingDatasetIsDownloadedIntoTheCacheOnFirstUse() throws IOException {
        serve("/data/", DatasetFilesTest.CONTENT);
        DatasetFiles ds = DatasetFilesTest.fake(DatasetFilesTest.CONTENT, List.of(url("/data/")), List.of());
        DataHome online = new DataHome(dir.resolve("cache"), false, new Download(log::add));
        assertEquals(4, ds.load(null, Split.TRAIN, online, DatasetFilesTest.NO_WARNINGS).count());
        assertEquals(4, listing(dir.resolve("cache/fake")).size());
        assertEquals(2, ds.load(null, Split.TEST, online, DatasetFilesTest.NO_WARNINGS).count());
        assertEquals(4, requests.size(), "the second load found the files in the cache");
    }

    /** No network: the error lists what failed and how to get the files by hand; no stack trace, no partial files. */
    @Test
    void aFailedDownloadSaysHowToGetTheFiles() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        DatasetFiles ds = DatasetFilesTest.fake(DatasetFilesTest.CONTENT, List.of(URI.create("http://127.0.0.1:" + closedPort + "/")), List.of());
        DataHome online = new DataHome(dir.resolve("cache"), false, new Download(log::add));
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> ds.load(null, Split.TRAIN, online, DatasetFilesTest.NO_WARNINGS));
        String m = e.getMessage();
        assertTrue(m.contains("Downloading them into " + dir.resolve("cache/fake").toAbsolutePath() + " failed")
                && m.contains("could not connect") && m.contains("--data DIR"), m);
        for (FileSpec f : ds.files()) assertTrue(m.contains(f.gzSha256() + "  " + f.gzName()), m);
        assertEquals(List.of(), listing(dir.resolve("cache/fake")));
    }

    /** {@code wgan download mnist --to DIR --mirror URL} against a server holding the real files. */
    @Test
    void commandDownloadsRealMnistFromAMirror() throws IOException {
        for (FileSpec f : DatasetFiles.MNIST.files()) {
            served.put("/mnist/" + f.gzName(), Files.readAllBytes(DatasetFilesTest.MNIST.resolve(f.gzName())));
        }
        Path to = dir.resolve("mnist");
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main()).setOut(new PrintWriter(out, true));
        int code = cli.execute("download", "mnist", "--to", to.toString(), "--mirror", url("/mnist/").toString());
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("MNIST is in " + to.toAbsolutePath()), out.toString());
        assertEquals(10_000, DatasetFiles.MNIST.load(to, Split.TEST, DatasetFilesTest.offline(dir.resolve("cache")), DatasetFilesTest.NO_WARNINGS).count());
    }

    @Test
    void commandReportsFailuresAndUnknownDatasets() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main()).setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute("download", "fashion-mnist", "--to", dir.toString(), "--mirror", url("/nothing/").toString()));
        assertTrue(err.toString().contains("Could not download Fashion-MNIST file train-images-idx3-ubyte.gz")
                && err.toString().contains("HTTP status 404") && err.toString().contains("copy these four files into " + dir), err.toString());
        assertEquals(2, cli.execute("download", "cifar"));
        assertTrue(err.toString().contains("unknown dataset 'cifar'"), err.toString());
    }
}
