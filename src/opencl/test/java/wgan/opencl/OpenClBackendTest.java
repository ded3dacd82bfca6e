package wgan.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aparapi.Kernel;
import com.aparapi.device.OpenCLDevice;
import org.junit.jupiter.api.Test;
import wgan.kernels.Device;
import wgan.kernels.DeviceUnavailableException;
import wgan.kernels.Devices;

class OpenClBackendTest {
    /** Allocates in the kernel, which Aparapi cannot translate to OpenCL: it runs it in Java threads. */
    static final class Untranslatable extends Kernel {
        final float[] out = new float[4];

        @Override
        public void run() {
            float[] local = new float[1];
            out[getGlobalId()] = local.length;
        }
    }

    @Test
    void aKernelAparapiRunsInJavaThreadsIsAnError() {
        OpenCLDevice device = OpenCLDevice.listDevices(null).get(0);
        Untranslatable kernel = new Untranslatable();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OpenClDevice.run(device, kernel, device.createRange(4, 1)));
        assertTrue(e.getMessage().contains("did not run on " + OpenClDevice.name(device)), e.getMessage());
    }

    @Test
    void aDeviceNumberOutOfRangeNamesTheDevicesThereAre() {
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> Devices.open("opencl:99"));
        assertTrue(e.getMessage().startsWith("--device opencl:99: the device must be a number 0-"), e.getMessage());
        assertTrue(e.getMessage().contains("opencl:0 "), e.getMessage());
    }

    /**
     * A GPU gets buffers of its own (Aparapi would wrap the Java arrays); a CPU device keeps
     * reading them in place; and the device says which. Fresh Aparapi device objects, since the
     * listed ones are shared with the other tests.
     */
    @Test
    void aGpuGetsItsOwnMemoryAndACpuDeviceSharesTheHosts() {
        OpenCLDevice pocl = OpenCLDevice.listDevices(null).get(0);
        OpenCLDevice gpu = new OpenCLDevice(pocl.getOpenCLPlatform(), 0, com.aparapi.device.Device.TYPE.GPU);
        OpenCLDevice cpu = new OpenCLDevice(pocl.getOpenCLPlatform(), 0, com.aparapi.device.Device.TYPE.CPU);
        assertTrue(gpu.isSharedMemory() && cpu.isSharedMemory(), "Aparapi's default");
        OpenClDevice.useOwnMemoryIfGpu(gpu);
        OpenClDevice.useOwnMemoryIfGpu(cpu);
        assertFalse(gpu.isSharedMemory());
        assertTrue(cpu.isSharedMemory());
        String described = new OpenClDevice(pocl).describe();
        assertTrue(described.contains(pocl.isSharedMemory() ? "arrays read in place, in memory shared with the host"
                : "arrays copied to its own memory"), described);
    }

    @Test
    void theDeviceSaysWhereEachKernelRuns() throws DeviceUnavailableException {
        String described = Devices.open("opencl:0").describe();
        assertTrue(described.startsWith("opencl: ") && described.contains("on it: matmul, conv forward"), described);
    }

    @Test
    void aProductPutsItsOperandsAndGetsItsOutputAndTheDeviceCountsTheBytes() throws DeviceUnavailableException {
        Device device = Devices.open("opencl:0");
        Device.Transfers before = device.transfers();
        device.matmul(false, false, 2, 3, 4, new float[2 * 4], new float[4 * 3], new float[2 * 3]);
        // The first product of its family: Aparapi copies its kernel's three outputs (one per matrix
        // of the family: 3 x 4, 2 x 4, 2 x 3) and the placeholder in the unused operand field once.
        assertEquals(new Device.Transfers(Float.BYTES * (2 * 4 + 4 * 3 + (3 * 4 + 2 * 4 + 2 * 3) + 1), Float.BYTES * 2 * 3),
                device.transfers().since(before));
        before = device.transfers();
        device.matmul(false, false, 2, 3, 4, new float[2 * 4], new float[4 * 3], new float[2 * 3]);
        assertEquals(new Device.Transfers(Float.BYTES * (2 * 4 + 4 * 3), Float.BYTES * 2 * 3), device.transfers().since(before));
    }
}
