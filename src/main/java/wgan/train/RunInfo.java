package wgan.train;

import wgan.kernels.Devices;
import wgan.kernels.Parallel;
import wgan.kernels.Simd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where and how a run ran, saved in config.json beside the settings so that a result can be
 * traced to its hardware, thread count and versions.
 */
public record RunInfo(String wgan, String java, String os, String cpu, int cores, int threads, String kernels,
                      long maxHeapMiB) {

    public static RunInfo current() {
        return new RunInfo(version(), System.getProperty("java.vm.vendor") + " " + Runtime.version(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                cpuModel(), Runtime.getRuntime().availableProcessors(), Parallel.threads(),
                Devices.offloading() ? Devices.current().describe() : Simd.describe(),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    static String version() {
        String v = RunInfo.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst().orElse("unknown");
            } catch (IOException | RuntimeException ignored) {
                // fall through: the model name is informative only
            }
        }
        return System.getProperty("os.arch");
    }
}
