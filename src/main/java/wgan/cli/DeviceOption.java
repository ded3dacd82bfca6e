package wgan.cli;

import picocli.CommandLine.Option;
import wgan.kernels.DeviceUnavailableException;
import wgan.kernels.Devices;

/** {@code --device}, as every command that trains or runs a model takes it (a picocli mixin). */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "NAME", order = 104,
            description = "Where the GEMMs and convolutions run: cpu, or opencl (the first OpenCL device; opencl:N the Nth "
                    + "that `wgan devices` lists), which needs " + Devices.OPENCL_JAR + " (default: ${DEFAULT-VALUE}).")
    String device = Devices.CPU;

    /** Opens the device and makes the kernels run on it; an error saying why if it cannot be had. */
    void apply() throws DeviceUnavailableException {
        Devices.use(Devices.open(device));
    }
}
