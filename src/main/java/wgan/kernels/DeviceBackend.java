package wgan.kernels;

/**
 * A provider of devices other than the CPU, found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/wgan.kernels.DeviceBackend} entry), so that the default jar carries
 * no backend's code or dependencies and a second jar adds one.
 */
public interface DeviceBackend {
    /** The name {@code --device} gives, e.g. "opencl". */
    String name();

    /** Opens the backend's device; fails with a message saying what is missing rather than falling back to the CPU. */
    Device open() throws DeviceUnavailableException;

    /** The platforms and devices this backend finds, one per line, for {@code wgan devices}. */
    String list() throws DeviceUnavailableException;
}
