package wgan.opencl;

import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLLoader;
import com.aparapi.internal.opencl.OpenCLPlatform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import wgan.kernels.CpuDevice;
import wgan.kernels.Device;
import wgan.kernels.DeviceBackend;
import wgan.kernels.DeviceUnavailableException;

/** The OpenCL backend, through Aparapi: {@code --device opencl} (the first device) or {@code opencl:N}. */
public final class OpenClBackend implements DeviceBackend {
    private static final String INSTALL = "install the OpenCL driver of your GPU, or PoCL to run OpenCL on the CPU "
            + "(Debian, Ubuntu: apt-get install ocl-icd-libopencl1 pocl-opencl-icd; clinfo -l lists what OpenCL finds)";

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public Device open(String which) throws DeviceUnavailableException {
        List<OpenCLDevice> devices = devices();
        int index;
        try {
            index = which.isEmpty() ? 0 : Integer.parseInt(which);
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 0 || index >= devices.size()) {
            throw new DeviceUnavailableException("--device opencl:" + which + ": the device must be a number 0-"
                    + (devices.size() - 1) + ", one of:\n" + list());
        }
        OpenClDevice device = new OpenClDevice(devices.get(index));
        check(device);
        return device;
    }

    /**
     * Compiles and runs the kernel once, on a product of small integers that every device must
     * get exactly, so that a device that cannot run it fails here, before a run starts.
     */
    private static void check(OpenClDevice device) throws DeviceUnavailableException {
        int m = 5, n = 3, k = 37;
        float[] a = new float[m * k], b = new float[k * n], got = new float[m * n], want = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = i % 7 - 3;
        for (int i = 0; i < b.length; i++) b[i] = i % 5 - 2;
        try {
            device.matmul(false, false, m, n, k, a, b, got);
        } catch (RuntimeException e) {
            throw new DeviceUnavailableException("--device opencl: " + e.getMessage(), e);
        }
        CpuDevice.INSTANCE.matmul(false, false, m, n, k, a, b, want);
        if (!Arrays.equals(got, want)) {
            throw new DeviceUnavailableException("--device opencl: " + device.describe() + " computed a test product wrongly: "
                    + Arrays.toString(got) + " instead of " + Arrays.toString(want));
        }
    }

    @Override
    public String list() throws DeviceUnavailableException {
        StringBuilder text = new StringBuilder();
        int index = 0;
        for (OpenCLPlatform p : platforms()) {
            text.append("platform ").append(p.getName().trim()).append(" (").append(p.getVendor().trim()).append(", ")
                    .append(p.getVersion().trim()).append(")\n");
            for (OpenCLDevice d : p.getOpenCLDevices()) {
                text.append(String.format("  opencl:%d  %s, %s, %d compute units, %d MiB%n", index++, d.getName().trim(),
                        d.getType(), d.getMaxComputeUnits(), d.getGlobalMemSize() >> 20));
            }
        }
        return text.toString();
    }

    /** Every device of every platform, in the order {@link #list} numbers them. */
    private static List<OpenCLDevice> devices() throws DeviceUnavailableException {
        List<OpenCLDevice> devices = new ArrayList<>();
        for (OpenCLPlatform p : platforms()) devices.addAll(p.getOpenCLDevices());
        if (devices.isEmpty()) throw new DeviceUnavailableException("--device opencl: OpenCL finds no device: " + INSTALL);
        return devices;
    }

    private static List<OpenCLPlatform> platforms() throws DeviceUnavailableException {
        List<OpenCLPlatform> platforms;
        try {
            if (!OpenCLLoader.isOpenCLAvailable()) {
                throw new DeviceUnavailableException("--device opencl: no OpenCL library (libOpenCL) could be loaded: " + INSTALL);
            }
            platforms = new OpenCLPlatform().getOpenCLPlatforms();
        } catch (LinkageError e) {
            throw new DeviceUnavailableException("--device opencl: Aparapi's native library does not load here (" + e.getMessage()
                    + "): " + INSTALL, e);
        }
        if (platforms.isEmpty()) throw new DeviceUnavailableException("--device opencl: OpenCL finds no platform: " + INSTALL);
        return platforms;
    }
}
