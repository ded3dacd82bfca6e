package wgan.kernels;

import static wgan.kernels.MicroTile.MR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API copies that lay out the GEMM's slivers ({@link MicroTile}), for the packers
 * ({@link GemmOperand}, {@link TransposingPack}, {@link Im2col}), which keep the scalar loops
 * for what these do not cover. Loaded only where {@link Simd#AVAILABLE}.
 */
final class VectorPacking {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private VectorPacking() {}

    /** The 4 x 8 block transpose below works on 8 floats per row: 256 bits, native wherever SPECIES_PREFERRED is at least that wide. */
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;
    static final boolean TRANSPOSES = S.vectorBitSize() >= S8.vectorBitSize();
    /** Lanes 0..7 of the first vector and 8..15 of the second: rows a, b interleaved, first half / second half. */
    private static final VectorShuffle<Float> PAIRS_LO = VectorShuffle.fromValues(S8, 0, 8, 1, 9, 2, 10, 3, 11);
    private static final VectorShuffle<Float> PAIRS_HI = VectorShuffle.fromValues(S8, 4, 12, 5, 13, 6, 14, 7, 15);
    /** Pairs (a,b) and (c,d) interleaved: two columns of four rows each, first half / second half. */
    private static final VectorShuffle<Float> QUADS_LO = VectorShuffle.fromValues(S8, 0, 1, 8, 9, 2, 3, 10, 11);
    private static final VectorShuffle<Float> QUADS_HI = VectorShuffle.fromValues(S8, 4, 5, 12, 13, 6, 7, 14, 15);

    /**
     * dst[off + t*4 + w] = scale * src[from + w*rowStride + t] for t &lt; len: four rows of A packed
     * as an MR-tall sliver. Eight columns at a time go through registers, a 4 x 8 block
     * transposed in two rounds of interleaving (rows a,b and c,d into pairs, pairs into
     * columns), so each float costs a quarter of a load and a store instead of one each.
     */
    static void transpose4(float[] src, int from, int rowStride, float scale, int len, float[] dst, int off) {
        int t = 0;
        for (; t <= len - 8; t += 8) {
            int at = from + t;
            FloatVector a = FloatVector.fromArray(S8, src, at).mul(scale);
            FloatVector b = FloatVector.fromArray(S8, src, at + rowStride).mul(scale);
            FloatVector c = FloatVector.fromArray(S8, src, at + 2 * rowStride).mul(scale);
            FloatVector d = FloatVector.fromArray(S8, src, at + 3 * rowStride).mul(scale);
            FloatVector abLo = a.rearrange(PAIRS_LO, b), abHi = a.rearrange(PAIRS_HI, b);
            FloatVector cdLo = c.rearrange(PAIRS_LO, d), cdHi = c.rearrange(PAIRS_HI, d);
            int to = off + t * MR;
            abLo.rearrange(QUADS_LO, cdLo).intoArray(dst, to);
            abLo.rearrange(QUADS_HI, cdLo).intoArray(dst, to + 8);
            abHi.rearrange(QUADS_LO, cdHi).intoArray(dst, to + 16);
            abHi.rearrange(QUADS_HI, cdHi).intoArray(dst, to + 24);
        }
        for (; t < len; t++) {
            for (int w = 0; w < MR; w++) dst[off + t * MR + w] = scale * src[from + w * rowStride + t];
        }
    }

    /** MR floats: one row of an A sliver. */
    private static final VectorSpecies<Float> S_MR = FloatVector.SPECIES_128;

    /**
     * dst[to + t*MR + w] = scale * src[from + t*stride + w] for t &lt; rows and w &lt; MR: rows of
     * an A sliver whose rows lie along the source's unit stride. A loop of its own because one
     * call per 4 floats spent more time on the call than on the copy
     * (docs/performance.md#rows-along-the-unit-stride).
     */
    static void copyNarrowSliver(float[] src, int from, int stride, float scale, int rows, float[] dst, int to) {
        for (int t = 0; t < rows; t++) {
            FloatVector.fromArray(S_MR, src, from + t * stride).mul(scale).intoArray(dst, to + t * MR);
        }
    }

    /**
     * dst[to + w] = scale * src[from + w] for w &lt; width, NR or MR: one row of a sliver whose
     * rows lie along the source's unit stride, as vectors: a scalar loop measured several
     * times slower (docs/performance.md#rows-along-the-unit-stride).
     */
    static void copySliverRow(float[] src, int from, float scale, int width, float[] dst, int to) {
        if (width == MR) {
            FloatVector.fromArray(S_MR, src, from).mul(scale).intoArray(dst, to);
            return;
        }
        FloatVector.fromArray(S, src, from).mul(scale).intoArray(dst, to);
        FloatVector.fromArray(S, src, from + VL).mul(scale).intoArray(dst, to + VL);
    }
}
