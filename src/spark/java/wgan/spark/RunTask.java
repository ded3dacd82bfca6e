package wgan.spark;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;

/**
 * One Spark task: trains one run of the sweep as {@code wgan sweep FILE --run NAME} in a JVM of its
 * own, with {@code --threads} set to the task's cores and the Vector API module, its output appended
 * to {@code logs/NAME.txt} in the sweep's folder. A JVM per run keeps runs apart (wgan's kernel
 * threads and signal handling are per process), lets the executors run on any JDK Spark supports
 * without the Vector API flag, and means a run that dies takes only its own JVM: the task fails,
 * Spark runs it again, and {@code --run} resumes the run from its last checkpoint.
 */
final class RunTask implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Exit codes that running the run again would repeat: done, bad input, a non-finite loss. */
    private static final List<Integer> FINAL = List.of(0, 2, 3);
    /** How long a run stopped by Spark gets to write its checkpoint before it is killed. */
    private static final long STOP_GRACE_SECONDS = 60;

    private final String file;
    private final String out;
    private final String folder;
    private final boolean offline;

    RunTask(String file, String out, String folder, boolean offline) {
        this.file = file;
        this.out = out;
        this.folder = folder;
        this.offline = offline;
    }

    /** Trains the run {@code name}; returns its exit code, or throws for one that Spark should retry. */
    int run(String name) throws IOException, InterruptedException {
        TaskContext task = TaskContext.get();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", wganClassPath(), "wgan.cli.Main",
                "sweep", file, "--out", out, "--run", name, "--threads", Integer.toString(task.cpus()), "--verbose"));
        if (offline) command.add("--offline");
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("wgan needs Java 21 or newer on the Spark executors; " + InetAddress.getLocalHost().getHostName()
                    + " runs " + Runtime.version());
        }
        Path log = Path.of(folder, "logs", name + ".txt");
        Files.createDirectories(log.getParent());
        Files.writeString(log, String.format("== %s: attempt %d of Spark task %d on %s%n", Instant.now(), task.attemptNumber() + 1,
                task.partitionId(), InetAddress.getLocalHost().getHostName()), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        int code;
        try {
            code = process.waitFor();
        } finally {
            // Spark stopped the task (the job was cancelled): SIGTERM lets the run write a checkpoint first.
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) process.destroyForcibly();
            }
        }
        if (FINAL.contains(code)) return code;
        throw new IllegalStateException("run " + name + " ended with exit code " + code + " (its output: " + log
                + "); Spark runs it again, from its last checkpoint");
    }

    /**
     * Where wgan's classes are: the shaded wgan.jar that holds them with their libraries, or, in a
     * build tree (the tests), this JVM's class path.
     */
    private static String wganClassPath() {
        try {
            Path where = Path.of(wgan.cli.Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return where.toString().endsWith(".jar") ? where.toString() : System.getProperty("java.class.path");
        } catch (URISyntaxException e) {
            return System.getProperty("java.class.path");
        }
    }
}
