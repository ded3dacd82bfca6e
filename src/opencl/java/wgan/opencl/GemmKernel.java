package wgan.opencl;

import com.aparapi.Kernel;
import wgan.kernels.ConvGeometry;

/**
 * The one OpenCL kernel (Aparapi translates {@link #run} to OpenCL C): C (m x n) = A B, tiled
 * through local memory, where A and B are read through the layout the call names, so that a
 * convolution's im2col matrix (or, for its input gradient, the matrix of output-gradient taps)
 * is never stored: each tile load computes its address from the tensor, as the CPU's GEMM packs
 * its panels from it.
 *
 * <p>A kernel serves one family of products: a layer's forward product and its two backward
 * products, which share three matrices (its input x, its weights w and its output's gradient dy;
 * the forward product writes y in dy's slot, the input gradient dx in x's, the weight gradient dw
 * in w's). Each product reads two slots and writes the third. A slot has an operand field,
 * pointed at the caller's array, and an output array of the kernel's own, so that an operand put
 * for one product of the family is there for the next (see OpenClDevice).
 *
 * <p>Each work-item computes one element of C, over k in increasing order, a tile of
 * {@value #TILE} at a time; so the order of every sum depends on the shapes alone, and a device
 * gives the same bits on every run. A work-group of {@value #TILE} x {@value #TILE} items loads a
 * tile of A and one of B into local memory once for all of them: each operand is read from
 * global memory {@value #TILE} times less often than by items reading their own.
 *
 * <p>Arrays and settings are fields (Aparapi's way to pass kernel arguments); {@link OpenClDevice}
 * sets them and moves the arrays explicitly.
 */
final class GemmKernel extends Kernel {
    static final int TILE = 16;

    /** How A or B is read. */
    static final int DENSE = 0, TRANSPOSED = 1, IM2COL = 2, OUTPUT_TAPS = 3, WEIGHT_TAPS = 4;

    /** The slots (numbers, not an enum: a nested class would make Aparapi's class reader warn at every run). */
    static final int SLOTS = 3;

    /** The operand fields, one per slot, which OpenClDevice points at the caller's arrays. */
    float[] in0 = NONE, in1 = NONE, in2 = NONE;
    /** The outputs, one per slot, in arrays of the kernel's own that no call replaces (see OpenClDevice). */
    final float[] out0, out1, out2;
    /** Which slot A and B are read from and C is written to. */
    int leftSlot, rightSlot, outSlot;
    int m, n, k, leftLayout, rightLayout;
    /** The convolution's geometry, for the IM2COL, OUTPUT_TAPS and WEIGHT_TAPS layouts. */
    int inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, padTop, padLeft;

    @Local final float[] tileA = new float[TILE * TILE];
    @Local final float[] tileB = new float[TILE * TILE];

    /** What an operand field holds before its first product: one float, which Aparapi copies at the first launch. */
    private static final float[] NONE = new float[1];

    /** In which pass each operand field's array was last sent to the device (not read by the kernel). */
    private final long[] sentInPass = new long[SLOTS];
    private boolean launched;

    /** A kernel whose slots' outputs have these lengths. */
    GemmKernel(int[] outputLengths) {
        out0 = new float[outputLengths[0]];
        out1 = new float[outputLengths[1]];
        out2 = new float[outputLengths[2]];
    }

    float[] operand(int slot) {
        return slot == 0 ? in0 : slot == 1 ? in1 : in2;
    }

    float[] output(int slot) {
        return slot == 0 ? out0 : slot == 1 ? out1 : out2;
    }

    /** Points the slot's operand field at {@code array}; returns whether it pointed elsewhere (Aparapi then makes its buffer anew). */
    boolean pointTo(int slot, float[] array) {
        boolean repointed = operand(slot) != array;
        if (slot == 0) in0 = array;
        else if (slot == 1) in1 = array;
        else in2 = array;
        return repointed;
    }

    /**
     * What Aparapi copies at the first launch besides the operands pointed at: every output, and
     * the placeholder in each operand field the first product leaves alone.
     */
    long firstLaunchFloats() {
        long floats = (long) out0.length + out1.length + out2.length;
        for (int slot = 0; slot < SLOTS; slot++) if (operand(slot) == NONE) floats++;
        return floats;
    }

    boolean launched() {
        return launched;
    }

    void markLaunched() {
        launched = true;
    }

    long sentInPass(int slot) {
        return sentInPass[slot];
    }

    void sent(int slot, long pass) {
        sentInPass[slot] = pass;
    }

    void setGeometry(ConvGeometry g) {
        inH = g.inH();
        inW = g.inW();
        inC = g.inC();
        outH = g.outH();
        outW = g.outW();
        outC = g.outC();
        kH = g.kH();
        kW = g.kW();
        strideH = g.strideH();
        strideW = g.strideW();
        padTop = g.padTop();
        padLeft = g.padLeft();
    }

    @Override
    public void run() {
        int j = getGlobalId(0), i = getGlobalId(1), lj = getLocalId(0), li = getLocalId(1);
        float sum = 0f;
        for (int p0 = 0; p0 < k; p0 += TILE) {
            float a = 0f, b = 0f;
            if (i < m && p0 + lj < k) a = leftAt(i, p0 + lj);
            if (p0 + li < k && j < n) b = rightAt(p0 + li, j);
            tileA[li * TILE + lj] = a;
            tileB[li * TILE + lj] = b;
            localBarrier();
            for (int q = 0; q < TILE; q++) sum += tileA[li * TILE + q] * tileB[q * TILE + lj];
            localBarrier();
        }
        if (i < m && j < n) write(i * n + j, sum);
    }

    private void write(int at, float value) {
        if (outSlot == 0) out0[at] = value;
        else if (outSlot == 1) out1[at] = value;
        else out2[at] = value;
    }

    private float read(int slot, int at) {
        float v = 0f;
        if (slot == 0) v = in0[at];
        else if (slot == 1) v = in1[at];
        else v = in2[at];
        return v;
    }

    /**
     * A[row][col]: DENSE (m x k), TRANSPOSED (stored k x m), IM2COL (pixel x tap of x) or
     * OUTPUT_TAPS (input pixel x tap of dy).
     */
    private float leftAt(int row, int col) {
        float v = 0f;
        if (leftLayout == DENSE) {
            v = read(leftSlot, row * k + col);
        } else if (leftLayout == TRANSPOSED) {
            v = read(leftSlot, col * m + row);
        } else if (leftLayout == IM2COL) {
            int at = im2colIndex(row, col);
            if (at >= 0) v = read(leftSlot, at);
        } else {
            int at = outputTapIndex(row, col);
            if (at >= 0) v = read(leftSlot, at);
        }
        return v;
    }

    /** B[row][col]: DENSE (k x n), TRANSPOSED (stored n x k), IM2COL (pixel x tap of x) or WEIGHT_TAPS (tap x input channel of w). */
    private float rightAt(int row, int col) {
        float v = 0f;
        if (rightLayout == DENSE) {
            v = read(rightSlot, row * n + col);
        } else if (rightLayout == TRANSPOSED) {
            v = read(rightSlot, col * k + row);
        } else if (rightLayout == IM2COL) {
            int at = im2colIndex(row, col);
            if (at >= 0) v = read(rightSlot, at);
        } else {
            v = read(rightSlot, weightTapIndex(row, col));
        }
        return v;
    }

    /** Where x[n, oy*s-pt+ky, ox*s-pl+kx, i] is for output pixel (n, oy, ox) and tap (ky, kx, i); -1 outside the input. */
    private int im2colIndex(int pixel, int tap) {
        int ox = pixel % outW, rest = pixel / outW, oy = rest % outH, image = rest / outH;
        int i = tap % inC, taps = tap / inC, kx = taps % kW, ky = taps / kW;
        int iy = oy * strideH - padTop + ky, ix = ox * strideW - padLeft + kx;
        int at = -1;
        if (iy >= 0 && iy < inH && ix >= 0 && ix < inW) at = ((image * inH + iy) * inW + ix) * inC + i;
        return at;
    }

    /**
     * For the input gradient dx[n, iy, ix, i] = sum over (ky, kx, o) of dy[n, oy, ox, o] w[o, ky, kx, i]
     * with iy = oy*s-pt+ky: where dy[n, oy, ox, o] is for input pixel (n, iy, ix) and tap (ky, kx, o),
     * or -1 where no output pixel reads (iy, ix) through that tap.
     */
    private int outputTapIndex(int pixel, int tap) {
        int ix = pixel % inW, rest = pixel / inW, iy = rest % inH, image = rest / inH;
        int o = tap % outC, taps = tap / outC, kx = taps % kW, ky = taps / kW;
        int ty = iy + padTop - ky, tx = ix + padLeft - kx;
        int at = -1;
        if (ty >= 0 && tx >= 0 && ty % strideH == 0 && tx % strideW == 0) {
            int oy = ty / strideH, ox = tx / strideW;
            if (oy < outH && ox < outW) at = ((image * outH + oy) * outW + ox) * outC + o;
        }
        return at;
    }

    /** Where w[o, ky, kx, i] is for tap (ky, kx, o) and input channel i. */
    private int weightTapIndex(int tap, int i) {
        int o = tap % outC, taps = tap / outC, kx = taps % kW, ky = taps / kW;
        return ((o * kH + ky) * kW + kx) * inC + i;
    }
}
