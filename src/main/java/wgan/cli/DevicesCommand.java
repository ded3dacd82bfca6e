package wgan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import wgan.kernels.CpuDevice;
import wgan.kernels.DeviceUnavailableException;
import wgan.kernels.Devices;

/** {@code wgan devices}: the devices {@code --device} can name. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the devices --device can name: the CPU, and the OpenCL platforms and devices found (with "
                + Devices.OPENCL_JAR + ").")
final class DevicesCommand implements Callable<Integer> {
    @Override
    public Integer call() throws DeviceUnavailableException {
        System.out.println(CpuDevice.INSTANCE.describe());
        System.out.print(Devices.backend(Devices.OPENCL).list());
        return 0;
    }
}
