package wgan.kernels;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The device the layers' kernels run on ({@link #current()}), and the backends on the class path. */
public final class Devices {
    /** The name of the CPU device, always there. */
    public static final String CPU = "cpu";

    /** The name of the OpenCL backend, which {@link #OPENCL_JAR} adds. */
    public static final String OPENCL = "opencl";

    /** The second jar, which carries the OpenCL backend; named in the error when it is asked for without it. */
    public static final String OPENCL_JAR = "wgan-opencl.jar";

    private static volatile Device current = CpuDevice.INSTANCE;

    private Devices() {}

    public static Device current() {
        return current;
    }

    /** Whether the layers' kernels run on another device than the CPU (which a run then says). */
    public static boolean offloading() {
        return current != CpuDevice.INSTANCE;
    }

    /** Prints "Device: ..." (the device and which kernels run on it) when they run off the CPU; nothing on it. */
    public static void announce(PrintStream out) {
        if (offloading()) out.println("Device: " + current.describe());
    }

    /** Makes {@code device} the one the layers' kernels run on from now. */
    public static void use(Device device) {
        current = device;
    }

    /** The device named {@code name}: "cpu", or a backend's name, optionally with ":" and which of its devices. */
    public static Device open(String name) throws DeviceUnavailableException {
        if (name.equals(CPU)) return CpuDevice.INSTANCE;
        int colon = name.indexOf(':');
        return colon < 0 ? backend(name).open("") : backend(name.substring(0, colon)).open(name.substring(colon + 1));
    }

    /** The backend named {@code name}; an error naming the jar that carries it when it is not on the class path. */
    public static DeviceBackend backend(String name) throws DeviceUnavailableException {
        for (DeviceBackend b : backends()) {
            if (b.name().equals(name)) return b;
        }
        if (!name.equals(OPENCL)) {
            throw new DeviceUnavailableException("--device " + name + ": no such device; this jar has " + String.join(", ", names()));
        }
        throw new DeviceUnavailableException("--device " + name + ": this jar has no OpenCL backend; it is in " + OPENCL_JAR
                + " (build it with: mvn -P opencl -DskipTests package, then run java -jar target/opencl/" + OPENCL_JAR + " ...)");
    }

    /** "cpu" and the names of the backends found. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(List.of(CPU));
        try {
            for (DeviceBackend b : backends()) names.add(b.name());
        } catch (DeviceUnavailableException e) {
            // The error is reported when the broken backend is asked for.
        }
        return names;
    }

    private static List<DeviceBackend> backends() throws DeviceUnavailableException {
        List<DeviceBackend> found = new ArrayList<>();
        try {
            for (DeviceBackend b : ServiceLoader.load(DeviceBackend.class)) found.add(b);
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new DeviceUnavailableException("a device backend on the class path does not load (" + e + "): use a "
                    + OPENCL_JAR + " built from the same sources as this wgan", e);
        }
        return found;
    }
}
