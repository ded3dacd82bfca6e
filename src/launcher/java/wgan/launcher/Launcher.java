package wgan.launcher;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
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
 */
public final class Launcher {
    private static final String MAIN = "wgan.cli.Main";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final int MIN_JAVA = 21;

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        boolean noRelaunch = System.getenv("WGAN_NO_RELAUNCH") != null;
        int feature = Runtime.version().feature();
        boolean hasVector = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
        if (feature >= MIN_JAVA && (hasVector || noRelaunch)) {
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

    /** Runs the program in a child JVM that shares our terminal, and passes on termination. */
    private static int relaunch(Path javaBin, String[] args) throws IOException, InterruptedException, URISyntaxException {
        String jar = new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin.toString());
        cmd.add("--add-modules=" + VECTOR_MODULE);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String opts = System.getenv("WGAN_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) cmd.addAll(Arrays.asList(opts.trim().split("\\s+")));
        cmd.add("-cp");
        cmd.add(jar);
        cmd.add(MAIN);
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("WGAN_NO_RELAUNCH", "1");
        Process child = pb.start();
        // SIGTERM sent to us alone must still let the child write its checkpoint.
        Thread forward = new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
                try {
                    child.waitFor();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(forward);
        int rc = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(forward);
        } catch (IllegalStateException shuttingDown) {
            // we were signalled: the hook has already waited for the child
        }
        return rc;
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
