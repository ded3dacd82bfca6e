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

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
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
        assertEquals(4, ds.load(to, Split.TRAIN, DatasetFilesTest.NO_WARNINGS).count(), "what was downloaded loads");

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

    /** {@code wgan download mnist --to DIR --mirror URL} against a server holding the real files. */
    @Test
    void commandDownloadsRealMnistFromAMirror() throws IOException {
        Path shared = DatasetFilesTest.shared("mnist");
        for (FileSpec f : DatasetFiles.MNIST.files()) served.put("/mnist/" + f.gzName(), Files.readAllBytes(shared.resolve(f.gzName())));
        Path to = dir.resolve("mnist");
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main()).setOut(new PrintWriter(out, true));
        int code = cli.execute("download", "mnist", "--to", to.toString(), "--mirror", url("/mnist/").toString());
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("MNIST is in " + to.toAbsolutePath()), out.toString());
        assertEquals(10_000, DatasetFiles.MNIST.load(to, Split.TEST, DatasetFilesTest.NO_WARNINGS).count());
    }

    @Test
    void commandReportsFailuresAndUnknownDatasets() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main()).setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()));
        assertEquals(1, cli.execute("download", "fashion-mnist", "--to", dir.toString(), "--mirror", url("/nothing/").toString()));
        assertTrue(err.toString().contains("Could not download Fashion-MNIST file train-images-idx3-ubyte.gz")
                && err.toString().contains("HTTP status 404") && err.toString().contains("copy these four files into " + dir), err.toString());
        assertEquals(2, cli.execute("download", "cifar"));
        assertTrue(err.toString().contains("unknown dataset 'cifar'"), err.toString());
    }
}
