package wgan.train;

import wgan.kernels.ConvGeometry;
import wgan.kernels.CpuDevice;
import wgan.kernels.Device;

/** A device for the trainers' tests: the CPU's products, each shown to {@link #read} first with its two operands. */
abstract class WatchedCpu implements Device {
    /** Called before every product, with the arrays it reads. */
    abstract void read(float[] left, float[] right);

    @Override
    public String describe() {
        return "watched cpu";
    }

    @Override
    public void matmul(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c) {
        read(a, b);
        CpuDevice.INSTANCE.matmul(transA, transB, m, n, k, a, b, c);
    }

    @Override
    public void convForward(ConvGeometry g, float[] x, float[] w, float[] y) {
        read(x, w);
        CpuDevice.INSTANCE.convForward(g, x, w, y);
    }

    @Override
    public void convInputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        read(dy, w);
        CpuDevice.INSTANCE.convInputGrad(g, dy, w, dx);
    }

    @Override
    public void convWeightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        read(x, dy);
        CpuDevice.INSTANCE.convWeightGrad(g, x, dy, dw);
    }
}
