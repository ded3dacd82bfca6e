package wgan.opencl;

import org.junit.jupiter.api.BeforeAll;
import wgan.kernels.Device;
import wgan.kernels.DeviceContract;
import wgan.kernels.DeviceUnavailableException;
import wgan.kernels.Devices;

/** The OpenCL device (the first one OpenCL finds: PoCL in CI) against the references and the CPU. */
class OpenClDeviceTest extends DeviceContract {
    private static Device device;

    @BeforeAll
    static void open() throws DeviceUnavailableException {
        device = Devices.open("opencl");
    }

    @Override
    protected Device device() {
        return device;
    }
}
