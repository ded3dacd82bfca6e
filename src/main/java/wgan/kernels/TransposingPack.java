package wgan.kernels;

/**
 * Packs rows that lie along their source's unit stride into a sliver of the GEMM, transposed:
 * <pre>
 *   dst[off + t*width + w] = scale * src[from + w*rowStride + t]   for w &lt; valid, t &lt; len
 *                          = 0                                    for valid &lt;= w &lt; width
 * </pre>
 * This is how A is packed for a row-major op(A), and for an im2col matrix by pixel. Scalar,
 * every float costs a load and a store to a strided address. With the Vector API, four rows
 * (one MR-tall sliver) go through a register transpose 8 floats of each at a time: a quarter of
 * the memory operations, and measured several times faster
 * (docs/performance.md#rows-across-the-unit-stride).
 */
final class TransposingPack {
    private TransposingPack() {}

    static void rows(float[] src, int from, int rowStride, int valid, float scale, int len, int width,
                     float[] dst, int off) {
        // A run shorter than a vector has nothing to transpose in registers; a ragged sliver is one per block.
        if (Simd.AVAILABLE && VectorPacking.TRANSPOSES && width == MicroTile.MR && valid == width && len >= 8) {
            VectorPacking.transpose4(src, from, rowStride, scale, len, dst, off);
            return;
        }
        for (int w = 0; w < valid; w++) {
            int row = from + w * rowStride;
            for (int t = 0; t < len; t++) dst[off + t * width + w] = scale * src[row + t];
        }
        GemmOperand.zeroColumns(valid, len, width, dst, off);
    }
}
