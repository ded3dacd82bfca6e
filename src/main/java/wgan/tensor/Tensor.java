package wgan.tensor;

import java.util.Arrays;

/**
 * A dense float32 array with an explicit row-major shape.
 *
 * <p>Images are stored NHWC (batch, height, width, channels). Channels-last makes a convolution
 * one GEMM over the whole batch (rows = every output pixel of every image, columns = channels),
 * keeps each pixel's channels contiguous for SIMD loads, and lets batch norm's per-channel sums
 * run as column sums. PyTorch's NCHW layout is produced only at the checkpoint boundary.
 *
 * <p>The shape is fixed; the data array may be written by kernels that own the tensor.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    private Tensor(float[] data, int[] shape) {
        if (data.length != sizeOf(shape)) {
            throw new IllegalArgumentException("data has " + data.length + " values but shape "
                    + Arrays.toString(shape) + " needs " + sizeOf(shape));
        }
        this.shape = shape.clone();
        this.data = data;
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(Workspace.zeros(sizeOf(shape)), shape);
    }

    /**
     * A tensor whose values are unspecified until its maker writes every one of them: a kernel's
     * output that the kernel overwrites. Only a {@link Workspace} makes a difference to zeros.
     */
    public static Tensor uninitialised(int... shape) {
        return new Tensor(Workspace.uninitialised(sizeOf(shape)), shape);
    }

    /** Wraps (does not copy) {@code data}. */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, shape);
    }

    public static Tensor scalar(float v) {
        return new Tensor(new float[] {v}, new int[0]);
    }

    public static int sizeOf(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
        return (int) n;
    }

    public float[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int size() {
        return data.length;
    }

    /** A view with another shape of the same size, sharing the data. */
    public Tensor reshape(int... newShape) {
        return new Tensor(data, newShape);
    }

    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    public boolean sameShape(Tensor o) {
        return Arrays.equals(shape, o.shape);
    }

    /** The value of a rank-0 or single-element tensor. */
    public float item() {
        if (data.length != 1) throw new IllegalStateException("item() of a tensor of shape " + Arrays.toString(shape));
        return data[0];
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
