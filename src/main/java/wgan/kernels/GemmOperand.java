package wgan.kernels;

/**
 * One operand of {@link Gemm#multiply} seen as a matrix X[r][p]: r runs along m for A and along
 * n for B, p along the reduction k (so X is op(A), or op(B) transposed). The GEMM never reads X
 * directly: it asks for slivers in the layout its micro-kernel reads, which lets an operand that
 * is never stored (an im2col matrix, say) be generated straight into that layout.
 */
@FunctionalInterface
interface GemmOperand {
    /**
     * Writes X[r0 + w][p0 + p] to dst[off + p*width + w] for p &lt; depth and w &lt; valid, and
     * zeros for w in [valid, width): depth rows of width floats.
     */
    void pack(int r0, int valid, int p0, int depth, int width, float[] dst, int off);

    /** Rows first, first+1, ... of this operand as rows 0, 1, ...: a GEMM over a range of its rows. */
    default GemmOperand fromRow(int first) {
        return (r0, valid, p0, depth, width, dst, off) -> pack(first + r0, valid, p0, depth, width, dst, off);
    }

    /** op(A) of a stored A, times alpha. */
    static GemmOperand a(boolean transA, float[] a, int aOff, int lda, float alpha) {
        return strided(a, aOff, transA ? 1 : lda, transA ? lda : 1, alpha);
    }

    /** op(B) of a stored B, seen with n along r. */
    static GemmOperand b(boolean transB, float[] b, int bOff, int ldb) {
        return strided(b, bOff, transB ? ldb : 1, transB ? 1 : ldb, 1f);
    }

    /**
     * Slivers of width rows of X, r0 .. r0+count, one after another as {@link #pack} lays out
     * each: sliver s at dst[off + s*width*depth]. One sliver at a time, unless the operand has a
     * better order.
     */
    default void packSlivers(int r0, int count, int p0, int depth, int width, float[] dst, int off) {
        for (int s = 0; s * width < count; s++) {
            pack(r0 + s * width, Math.min(width, count - s * width), p0, depth, width, dst, off + s * width * depth);
        }
    }

    /** X[r][p] = scale * x[off + r*rStride + p*pStride], stored with one of the two strides 1. */
    static GemmOperand strided(float[] x, int off, int rStride, int pStride, float scale) {
        if (rStride != 1 && pStride != 1) throw new IllegalArgumentException("no unit stride: " + rStride + ", " + pStride);
        return new Strided(x, off, rStride, pStride, scale);
    }

    /** See {@link #strided}. */
    record Strided(float[] x, int off, int rStride, int pStride, float scale) implements GemmOperand {
        @Override
        public void pack(int r0, int valid, int p0, int depth, int width, float[] dst, int dstOff) {
            if (rStride == 1) {
                // One sliver of the row-by-row order below.
                packSlivers(r0, valid, p0, depth, width, dst, dstOff);
                return;
            }
            TransposingPack.rows(x, off + r0 * rStride + p0 * pStride, rStride, valid, scale, depth, width, dst, dstOff);
        }

        /**
         * When rows of X run along the unit stride, a sliver is a narrow column of the stored
         * matrix: packing one at a time would read a cache line from each of depth rows, sliver
         * after sliver, a pattern prefetchers do not follow (rows are pages apart). So every
         * source row p is read once, across all slivers (docs/performance.md#rows-along-the-unit-stride).
         */
        @Override
        public void packSlivers(int r0, int count, int p0, int depth, int width, float[] dst, int dstOff) {
            if (rStride != 1) {
                GemmOperand.super.packSlivers(r0, count, p0, depth, width, dst, dstOff);
                return;
            }
            if (width >= LINE_FLOATS) {
                // A wide sliver row (B's) fills whole lines: one row of every sliver in turn (the
                // blocked order below measured slower here).
                for (int p = 0; p < depth; p++) {
                    for (int s = 0; s * width < count; s++) {
                        packRow(r0, count, p0 + p, s, p, depth, width, dst, dstOff);
                    }
                }
                return;
            }
            // A narrow sliver (A's, MR wide) holds several rows p per cache line, and those are
            // written together: one row of every sliver in turn left partly written lines, 4 KiB
            // apart, to be evicted and read back. So each sliver takes a run of NARROW_RUN rows at
            // a time, whose source lines stay in L1 for the next sliver; whole MR-wide slivers as
            // one vector copy per row, with no per-row checks, which measured faster than a call
            // per row or shorter runs (docs/performance.md#rows-along-the-unit-stride).
            int whole = Simd.AVAILABLE && width == MicroTile.MR ? count / width : 0;
            for (int pl = 0; pl < depth; pl += NARROW_RUN) {
                int pEnd = Math.min(depth, pl + NARROW_RUN);
                for (int s = 0; s < whole; s++) {
                    VectorPacking.copyNarrowSliver(x, off + r0 + s * width + (p0 + pl) * pStride, pStride, scale,
                            pEnd - pl, dst, dstOff + (s * depth + pl) * width);
                }
                for (int s = whole; s * width < count; s++) {
                    for (int p = pl; p < pEnd; p++) {
                        packRow(r0, count, p0 + p, s, p, depth, width, dst, dstOff);
                    }
                }
            }
        }

        /**
         * Row p (column pAt of X) of sliver s of {@link #packSlivers}: dst[.. + w] = X[r + w][pAt]
         * for the sliver's valid rows r + w, 0 up to width, with rStride 1.
         */
        private void packRow(int r0, int count, int pAt, int s, int p, int depth, int width, float[] dst, int dstOff) {
            int valid = Math.min(width, count - s * width);
            int from = off + r0 + s * width + pAt * pStride, to = dstOff + (s * depth + p) * width;
            // Whole MR-wide slivers never come here: packSlivers copies them with VectorPacking.copyNarrowSliver.
            if (Simd.AVAILABLE && valid == width && width == MicroTile.NR) {
                VectorPacking.copySliverRow(x, from, scale, width, dst, to);
            } else {
                for (int w = 0; w < valid; w++) dst[to + w] = scale * x[from + w];
            }
            for (int w = valid; w < width; w++) dst[to + w] = 0f;
        }

        /** Floats per 64-byte cache line. */
        private static final int LINE_FLOATS = 16;
        /** Rows of a narrow sliver packed in one run: 1 KiB of an MR-wide sliver, 64 source lines. */
        private static final int NARROW_RUN = 64;
    }

    /** Zeros columns [valid, width) of depth rows of width floats at dst[off ..]. */
    static void zeroColumns(int valid, int depth, int width, float[] dst, int off) {
        for (int w = valid; w < width; w++) {
            for (int p = 0; p < depth; p++) dst[off + p * width + w] = 0f;
        }
    }
}
