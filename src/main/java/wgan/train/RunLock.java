package wgan.train;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The lock that makes one process at a time train in a run folder: an OS lock on the file
 * {@code .lock} in it, held for the whole run. Two processes resuming one run would otherwise
 * both train and overwrite each other's checkpoints and log. The OS drops the lock when its
 * process ends, however it ends, so a killed run never blocks the next; the file's text (pid,
 * host, start) only says who holds it, and stays behind.
 */
final class RunLock implements AutoCloseable {
    static final String FILE = ".lock";

    private final FileChannel channel;

    private RunLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Takes the lock of {@code runDir}; an error naming the holder if another process (or this one) has it. */
    static RunLock acquire(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldByThisJvm) {
                lock = null;
            } catch (IOException unsupported) {
                // Some network file systems have no locks: train unguarded rather than not at all.
                System.err.println("wgan: warning: cannot lock " + file + " (" + unsupported.getMessage()
                        + "); make sure no other process trains in " + runDir);
                return new RunLock(channel);
            }
            if (lock == null) {
                throw new IOException(runDir + " is in use by another wgan process (" + holder(file)
                        + "); one run folder can be trained by one process at a time. Wait for it to finish or stop it, then resume");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(String.format("pid %d on host %s, started %s%n", ProcessHandle.current().pid(),
                    hostName(), Instant.now().truncatedTo(ChronoUnit.SECONDS)).getBytes(StandardCharsets.UTF_8)));
            return new RunLock(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Who holds the lock, as its holder wrote it. */
    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "it has not yet written its pid" : text;
        } catch (IOException e) {
            // Windows forbids reading a locked file.
            return "its pid cannot be read: " + e.getMessage();
        }
    }

    /** The host's name without a DNS lookup where the OS can tell it (Linux), since a lookup can hang. */
    private static String hostName() {
        try {
            Path linux = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(linux)) return Files.readString(linux, StandardCharsets.UTF_8).trim();
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Releases the lock (closing the channel does). */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
