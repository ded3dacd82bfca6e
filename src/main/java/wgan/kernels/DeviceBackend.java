package wgan.kernels;

/**
 * A provider of devices other than the CPU, found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/wgan.kernels.DeviceBackend} entry), so that the default jar carries
 * no backend's code or dependencies and a second jar adds one.
 */
public interface DeviceBackend {
    /** The name {@code --device} gives, e.g. "opencl". */
    String name();

    /**
     * Opens the device {@code which} names (after the colon in {@code --device opencl:1}; empty for
     * the backend's first), or fails with a message saying what is missing: never a fallback to the CPU.
     */
    Device open(String which) throws DeviceUnavailableException;

    /** The platforms and devices this backend finds, one per line, for {@code wgan devices}. */
    String list() throws DeviceUnavailableException;
}
