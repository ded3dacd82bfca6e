package wgan.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import wgan.data.DatasetFiles.FileSpec;

/**
 * Downloads a dataset's .gz files so that no file with a wrong SHA-256 is ever used: each arrives
 * in a {@code .NAME.part} file beside its target and is renamed into place only once its whole
 * content has the published checksum. An interrupted transfer resumes where it stopped (an HTTP
 * range request for the rest of the .part file), in the same run or the next one. Files already
 * present with the right checksum are kept; each missing file is tried on each mirror in turn.
 */
public final class Download {

    /** Shows how far one file has come. */
    public interface Progress {
        /** A transfer of {@code file} starts with {@code done} bytes already there, of {@code total} (-1 if unknown). */
        void start(String file, long done, long total);

        void advance(long bytes);

        void end();

        Progress NONE = new Progress() {
            @Override
            public void start(String file, long done, long total) {}

            @Override
            public void advance(long bytes) {}

            @Override
            public void end() {}
        };
    }

    /** Transfers that make progress and then break are resumed this many times per mirror before trying the next. */
    private static final int RESUMES_PER_MIRROR = 3;

    private final HttpClient client;
    private final Consumer<String> log;
    private final Progress progress;

    /** @param log receives one line per step (a file found, downloaded, or failed); a terminal also gets a progress bar */
    public Download(Consumer<String> log) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build(),
                log, DownloadBar.onTerminal());
    }

    public Download(HttpClient client, Consumer<String> log, Progress progress) {
        this.client = client;
        this.log = log;
        this.progress = progress;
    }

    /** A download that failed on every mirror; {@link #failures} lists each attempt, the message adds the manual steps. */
    public static class DownloadException extends IOException {
        private final String failures;

        public DownloadException(String message, String failures) {
            super(message);
            this.failures = failures;
        }

        /** One line per attempt: the URL and what went wrong. */
        public String failures() {
            return failures;
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
                if (fetchFrom(url, target, f.gzSha256(), failures)) {
                    done = true;
                    break;
                }
            }
            if (!done) {
                throw new DownloadException("Could not download " + dataset.title() + " file " + f.gzName() + ":\n" + failures
                        + "If this machine has no network access, fetch them on one that has, and " + dataset.manualSteps(dir),
                        failures.toString());
            }
        }
    }

    /** Tries one mirror, resuming a transfer that breaks after making progress; false (with the reason in {@code failures}) if it gave up. */
    private boolean fetchFrom(URI url, Path target, String sha256, StringBuilder failures) throws IOException {
        Path part = partFile(target);
        for (int attempt = 0; attempt <= RESUMES_PER_MIRROR; attempt++) {
            long before = Files.isRegularFile(part) ? Files.size(part) : 0;
            log.accept(target.getFileName() + ": downloading " + url + (before > 0 ? " from byte " + before : ""));
            try {
                transfer(url, part, before);
                String sha = Sha256.of(part);
                if (sha.equals(sha256)) {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    log.accept(target.getFileName() + ": " + Files.size(target) + " bytes, SHA-256 ok");
                    return true;
                }
                long size = Files.size(part);
                Files.delete(part);
                String problem = "SHA-256 mismatch: got " + sha + " (" + size + " bytes), expected " + sha256 + "; the file was not saved";
                log.accept(target.getFileName() + ": " + problem);
                // A resumed file may have joined pieces of two different files: one clean try more.
                if (before == 0) {
                    failures.append("  ").append(url).append(": ").append(problem).append('\n');
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("download of " + url + " interrupted; " + part + " keeps what arrived");
            } catch (IOException e) {
                long after = Files.isRegularFile(part) ? Files.size(part) : 0;
                log.accept(target.getFileName() + ": failed: " + describe(e) + (after > 0 ? " (" + after + " bytes kept in " + part + ")" : ""));
                if (after <= before) {
                    failures.append("  ").append(url).append(": ").append(describe(e)).append('\n');
                    return false;
                }
            }
        }
        failures.append("  ").append(url).append(": broke off ").append(RESUMES_PER_MIRROR + 1).append(" times\n");
        return false;
    }

    /** Where the bytes of {@code target} gather until they are complete and checked. */
    static Path partFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".part");
    }

    /**
     * Appends the body of {@code url} to {@code part}, asking only for the bytes after the
     * {@code have} it already holds; a server that ignores the range sends the whole file, which
     * then replaces the part.
     */
    private void transfer(URI url, Path part, long have) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).GET();
        if (have > 0) request.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            // 416: the part already holds the whole file (a previous run stopped just before the check).
            if (status == 416 && have > 0) return;
            if (status != 200 && status != 206) throw new IOException("HTTP status " + status);
            boolean append = status == 206;
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            long start = append ? have : 0;
            StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
            progress.start(part.getFileName().toString(), start, length.isPresent() ? start + length.getAsLong() : -1);
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
                 OutputStream out = Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = body.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    progress.advance(n);
                }
                channel.force(true);
            } finally {
                progress.end();
            }
        }
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
