package wgan.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import wgan.data.DatasetFiles.FileSpec;
import wgan.io.AtomicFiles;

/**
 * Downloads a dataset's .gz files, checks each one's SHA-256 and writes it atomically, so an
 * interrupted or corrupted download never leaves a file that looks complete. Files already present
 * with the right checksum are kept; each missing file is tried on each mirror in turn.
 */
public final class Download {

    private final HttpClient client;
    private final Consumer<String> log;

    /** @param log receives one line per step (a file found, downloaded, or failed) */
    public Download(Consumer<String> log) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build(), log);
    }

    public Download(HttpClient client, Consumer<String> log) {
        this.client = client;
        this.log = log;
    }

    /** A download that failed on every mirror; the message lists each attempt and the manual steps. */
    public static class DownloadException extends IOException {
        public DownloadException(String message) {
            super(message);
        }
    }

    /**
     * Makes sure every file of {@code dataset} is in {@code dir} as a .gz with the published
     * SHA-256, fetching the missing ones from {@code mirrors} (base URLs, tried in order).
     */
    public void fetch(DatasetFiles dataset, Path dir, List<URI> mirrors) throws IOException {
        if (mirrors.isEmpty()) throw new IllegalArgumentException("no mirror to download " + dataset.title() + " from");
        Files.createDirectories(dir);
        for (FileSpec f : dataset.files()) {
            Path target = dir.resolve(f.gzName());
            if (Files.isRegularFile(target)) {
                String sha = Sha256.of(target);
                if (sha.equals(f.gzSha256())) {
                    log.accept(f.gzName() + ": already present, SHA-256 ok");
                    continue;
                }
                log.accept(f.gzName() + ": present but its SHA-256 is " + sha + ", not " + f.gzSha256() + "; downloading it again");
            }
            StringBuilder failures = new StringBuilder();
            boolean done = false;
            for (URI mirror : mirrors) {
                URI url = withSlash(mirror).resolve(f.gzName());
                log.accept(f.gzName() + ": downloading " + url);
                try {
                    long bytes = downloadTo(url, target, f.gzSha256());
                    log.accept(f.gzName() + ": " + bytes + " bytes, SHA-256 ok");
                    done = true;
                    break;
                } catch (IOException e) {
                    failures.append("  ").append(url).append(": ").append(describe(e)).append('\n');
                    log.accept(f.gzName() + ": failed: " + describe(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("download of " + url + " interrupted");
                }
            }
            if (!done) {
                throw new DownloadException("Could not download " + dataset.title() + " file " + f.gzName() + ":\n" + failures
                        + "If this machine has no network access, fetch them on one that has, and " + dataset.manualSteps(dir));
            }
        }
    }

    /** Streams {@code url} into {@code target}; the target is replaced only if the whole body arrived with the expected SHA-256. */
    private long downloadTo(URI url, Path target, String expectedSha256) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long[] bytes = new long[1];
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) throw new IOException("HTTP status " + response.statusCode());
            AtomicFiles.write(target, out -> {
                MessageDigest digest = Sha256.newDigest();
                bytes[0] = body.transferTo(new DigestOutputStream(out, digest));
                String sha = Sha256.hex(digest);
                if (!sha.equals(expectedSha256)) {
                    throw new IOException("SHA-256 mismatch: got " + sha + " (" + bytes[0] + " bytes), expected " + expectedSha256
                            + "; the file was not saved");
                }
            });
        }
        return bytes[0];
    }

    /** URI.resolve replaces the last path segment unless the base ends with '/'. */
    private static URI withSlash(URI base) {
        String s = base.toString();
        return s.endsWith("/") ? base : URI.create(s + "/");
    }

    /** An exception and its causes in one line: connection errors often wrap each other with no message of their own. */
    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder();
        String previous = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String part = t instanceof UnresolvedAddressException ? "the host name could not be resolved (no network or DNS?)"
                    : t instanceof ConnectException && t.getMessage() == null ? "could not connect (refused, or no route to the host)"
                    : t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
            if (part.equals(previous)) continue;
            if (previous != null) s.append(" <- ");
            s.append(part);
            previous = part;
        }
        return s.toString();
    }
}
