package wgan.kernels;

/** The CPU device against the references (and so the contract's checks against themselves). */
class CpuDeviceTest extends DeviceContract {
    @Override
    protected Device device() {
        return CpuDevice.INSTANCE;
    }
}
