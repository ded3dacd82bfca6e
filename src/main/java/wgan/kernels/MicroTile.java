package wgan.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * The SIMD GEMM's register tile, MR x NR floats of C, and so the widths of the slivers its
 * operands are packed into: A in MR-tall slivers, B in NR-wide ones (see {@link VectorGemm}).
 * A class of its own because the packers ({@link GemmOperand}, {@link TransposingPack},
 * {@link Im2col}) lay out slivers of these widths without running the GEMM. NR is read off the
 * Vector API, so this class loads only where {@link Simd#AVAILABLE}; MR, a compile-time
 * constant, may be read anywhere.
 */
final class MicroTile {
    /** Rows of the tile; {@link VectorGemm}'s micro-kernel is written out for exactly 4. */
    static final int MR = 4;
    /** Columns of the tile: two vectors. */
    static final int NR = 2 * FloatVector.SPECIES_PREFERRED.length();

    private MicroTile() {}
}
