package wgan.kernels;

/** A device that was asked for and cannot be used; the message says why and what to do. */
public final class DeviceUnavailableException extends Exception {
    public DeviceUnavailableException(String message) {
        super(message);
    }

    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
