package wgan.launcher;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Entry point of {@code java -jar wgan.jar}. Compiled for Java 11 so that it loads on any JVM
 * users are likely to have as their default {@code java}.
 *
 * <p>wgan needs Java 21+ and the incubating Vector API module, which an executable jar cannot
 * enable from its manifest. So this class decides how to start the real program:
 * <ol>
 *   <li>Java 21+ with {@code jdk.incubator.vector} loaded: run {@code wgan.cli.Main} here.</li>
 *   <li>Java 21+ without it: relaunch the same JVM with {@code --add-modules jdk.incubator.vector}.</li>
 *   <li>Older Java: find a JDK 21+ ({@code WGAN_JAVA_HOME}, {@code JAVA_HOME}, the usual install
 *       folders) and relaunch with it, or explain what to install.</li>
 * </ol>
 * Setting {@code WGAN_NO_RELAUNCH=1} keeps the current JVM; without the module wgan then says
 * that it runs its scalar path.
 *
 * <p>A relaunched program is tied to its launcher: SIGTERM or SIGINT to the launcher is passed
 * on and the launcher exits with the program's status; if the launcher is killed outright, the
 * program notices within a second and stops as on SIGTERM (a training run writes its checkpoint).
 */
public final class Launcher {
    private static final String MAIN = "wgan.cli.Main";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final int MIN_JAVA = 21;
    /** System property by which the launcher tells the JVM it starts its own pid. */
    private static final String LAUNCHER_PID = "wgan.launcher.pid";
    /** A JVM's exit status on SIGTERM, which a child whose launcher is gone stops with too. */
    private static final int EXIT_TERMINATED = 143;
    private static final long WATCH_MILLIS = 1000;

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        boolean noRelaunch = System.getenv("WGAN_NO_RELAUNCH") != null;
        int feature = Runtime.version().feature();
        boolean hasVector = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
        if (feature >= MIN_JAVA && (hasVector || noRelaunch)) {
            String launcherPid = System.getProperty(LAUNCHER_PID);
            if (launcherPid != null) watchLauncher(Long.parseLong(launcherPid));
            runHere(args);
            return;
        }
        Path javaBin;
        if (feature >= MIN_JAVA) {
            javaBin = Paths.get(System.getProperty("java.home"), "bin", "java");
        } else {
            Optional<Path> found = findJdk();
            if (found.isEmpty()) {
                System.err.println("wgan needs Java " + MIN_JAVA + " or newer; this is Java " + feature
                        + " (" + System.getProperty("java.home") + ").\n"
                        + "Install a JDK 21+ (for example: apt-get install openjdk-21-jdk, or a Temurin build)\n"
                        + "and run again, or point WGAN_JAVA_HOME at it.");
                System.exit(2);
                return;
            }
            javaBin = found.get();
        }
        System.exit(relaunch(javaBin, args));
    }

    private static void runHere(String[] args) throws Exception {
        try {
            Class.forName(MAIN).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    /**
     * Runs the program in a child JVM that shares our terminal, passes on termination, and
     * returns the child's exit status. The child runs this class again, told our pid, so that it
     * can stop when we are killed in a way we cannot pass on (SIGKILL).
     */
    private static int relaunch(Path javaBin, String[] args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin.toString());
        cmd.add("--add-modules=" + VECTOR_MODULE);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-D" + LAUNCHER_PID + "=" + ProcessHandle.current().pid());
        String opts = System.getenv("WGAN_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) cmd.addAll(Arrays.asList(opts.trim().split("\\s+")));
        // Our own class path: the jar when run as java -jar, the build's folders when run from them.
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Launcher.class.getName());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("WGAN_NO_RELAUNCH", "1");
        Process child = pb.start();
        // SIGTERM or SIGINT sent to us must still let the child write its checkpoint, and our exit
        // status must then be the child's (a stopped run: 130 after SIGINT, 143 after SIGTERM), not ours for the signal.
        Thread forward = new Thread(() -> {
            child.destroy();
            try {
                Runtime.getRuntime().halt(child.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wgan-forward-signal");
        Runtime.getRuntime().addShutdownHook(forward);
        int rc = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(forward);
        } catch (IllegalStateException shuttingDown) {
            // we were signalled: the hook waits for the child and exits with its status
        }
        return rc;
    }

    /**
     * In the child: once the launcher is gone, exits as on SIGTERM, which makes a training run
     * write its checkpoint and stop instead of running on unseen. Polled, since no JDK API
     * notifies a process of its parent's death.
     */
    private static void watchLauncher(long launcherPid) {
        Optional<ProcessHandle> launcher = ProcessHandle.of(launcherPid);
        Thread watch = new Thread(() -> {
            try {
                while (isAlive(launcher, launcherPid)) Thread.sleep(WATCH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("wgan: the launcher (pid " + launcherPid + ") is gone; stopping");
            System.exit(EXIT_TERMINATED);
        }, "wgan-launcher-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /**
     * Whether the launcher still runs and is still our parent. A killed launcher that its own
     * parent has not yet reaped still counts as alive, but on Unix its children are adopted by
     * another process at once.
     */
    private static boolean isAlive(Optional<ProcessHandle> launcher, long launcherPid) {
        return launcher.map(ProcessHandle::isAlive).orElse(false)
                && ProcessHandle.current().parent().map(parent -> parent.pid() == launcherPid).orElse(false);
    }

    /** The newest JDK of version 21+ in the usual places, as the path of its java binary. */
    static Optional<Path> findJdk() {
        List<Path> homes = new ArrayList<>();
        for (String env : new String[] {"WGAN_JAVA_HOME", "JAVA_HOME"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) homes.add(Paths.get(v));
        }
        String userHome = System.getProperty("user.home");
        for (String dir : new String[] {"/usr/lib/jvm", "/usr/java", "/opt/java", "/opt",
                userHome + "/.sdkman/candidates/java", userHome + "/.jdks",
                "/Library/Java/JavaVirtualMachines"}) {
            Path d = Paths.get(dir);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.sorted().forEach(p -> {
                    homes.add(p);
                    homes.add(p.resolve("Contents/Home"));
                });
            } catch (IOException ignored) {
                // an unreadable folder holds no JDK we could use
            }
        }
        Path best = null;
        int bestVersion = 0;
        for (Path home : homes) {
            Path java = home.resolve("bin/java");
            if (!Files.isExecutable(java)) continue;
            int v = releaseVersion(home);
            if (v >= MIN_JAVA && v > bestVersion) {
                best = java;
                bestVersion = v;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The feature version from a JDK's {@code release} file, or 0 if it has none. */
    private static int releaseVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) return 0;
        try {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String first = v.split("[.+-]")[0];
                    if (first.equals("1")) return 8;
                    return Integer.parseInt(first);
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // a broken release file: not a JDK we can vouch for
        }
        return 0;
    }
}
