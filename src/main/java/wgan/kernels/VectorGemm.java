package wgan.kernels;

import static wgan.kernels.MicroTile.MR;
import static wgan.kernels.MicroTile.NR;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD GEMM path (Vector API), blocked the way BLIS/GotoBLAS are.
 *
 * <p><b>Blocking.</b> A multiply does ~k flops per element it loads, but only if the operands
 * are already in cache when the FMAs need them. So the work is cut in three nested levels, each
 * sized for one level of the memory hierarchy (here for one tile of C, one task's share):
 * <pre>
 *   for jc in n step NC:
 *     for pc in k step KC:
 *       pack the B panel  op(B)[pc.., jc..]  kc x nc   into NR-wide column slivers; lives in L3
 *       for ic in m step MC:
 *         pack the A block  op(A)[ic.., pc..]  mc x kc  into MR-tall row slivers; lives in L2
 *         for jr in nc step NR:        one B sliver, kc x NR, stays in L1
 *           for ir in mc step MR:      the micro-kernel: an MR x NR tile of C held in registers
 * </pre>
 * The micro-kernel ({@link MicroTile}) is 4 x 16 on AVX2, 4 x 32 on AVX-512 (two vectors): 8
 * accumulator registers, 2 for the B row and 1 for a broadcast A element. Each step loads two
 * vectors and broadcasts 4 scalars per 8 FMAs, and the 8 independent accumulators just cover the
 * FMA latency (2 per cycle x 4 cycles). It measured fastest of the shapes tried: 12 x 8 needs 13
 * loads per 12 FMAs and is bound by the load ports, and 5 x 16 or 6 x 16 make C2 spill an
 * accumulator when the trip count is not a constant (see docs/performance.md#micro-kernel-shape).
 * Packing lays out each sliver in exactly the order the micro-kernel reads it (unit stride) and
 * zero-pads ragged edges, so the micro-kernel always runs at full width; a tile that sticks out
 * of C is computed in a full-size scratch tile and only its valid part copied.
 *
 * <p><b>Threads.</b> The operand along C's short side is packed whole, once, and C's long side
 * is cut into a few tasks per thread (see {@link #blocked}), taken one at a time; each runs the
 * loops above over its tile and all of k, packing its own part of the other operand. Every
 * element of C is one chain of FMAs over p in order, starting from beta * C and carried through
 * C from one KC block to the next, computed by the one task that owns it. The exception is a
 * small C over a long k ({@link #depthPart}): it is summed in parts of k, a chain each, added
 * in order, and the parts are the tasks. Either way the order of every sum depends on the
 * shape alone: the thread count changes who computes a micro-tile, never how, so results are
 * bitwise identical for any thread count.
 *
 * <p>When m or n is 1 the problem is a matrix-vector product: packing would pad the 1 to MR or NR
 * and copy the whole matrix for a single pass over it, so {@link #matVec} streams it instead.
 * When k is 1 it is an outer product, one FMA per element of C, which {@link #outerProduct}
 * writes row by row. Both do a flop or two per float they move, so the speed of the caches
 * bounds them, not the FMA units.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /**
     * KC x NR floats of B (32 KiB at 512 x 16) fill the L1d while A slivers stream from L2. A
     * deeper KC means fewer passes over C, and measured faster. With AVX-512's NR of 32 the
     * sliver outgrows a 48 KiB L1d, yet a shallower KC measured no faster there
     * (docs/performance.md#depth-block-kc).
     */
    static final int KC = 512;
    /** MC x KC floats of A (288 KiB) fit the 512 KiB L2 with room for the B sliver's traffic. */
    static final int MC = 144;
    /** KC x NC floats of B (4 MiB) fit the shared 32 MiB L3 with room for A and C. */
    static final int NC = 2048;
    /** Below this many multiply-adds (~10 us of work) forking costs about as much as a second thread saves. */
    private static final long SERIAL_WORK = 1L << 17;
    /** Columns per task of the matrix-vector path: a 4 KiB accumulator stays in L1. */
    private static final int MATVEC_CHUNK = 1024;

    private static final Scratch PACKED_A = new Scratch();
    private static final Scratch PACKED_B = new Scratch();
    /** The operand that {@link #blocked} packs whole for all its tasks. */
    private static final Scratch SHARED = new Scratch();
    /** The parts of k after the first, in {@link #splitDepth}. */
    private static final Scratch PARTIALS = new Scratch();

    private VectorGemm() {}

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        int rsA = transA ? 1 : lda, csA = transA ? lda : 1, rsB = transB ? 1 : ldb, csB = transB ? ldb : 1;
        if (k == 0 || alpha == 0f) {
            ScalarGemm.scaleC(m, n, beta, c, cOff, ldc);
        } else if (n == 1) {
            matVec(m, k, a, aOff, rsA, csA, b, bOff, rsB, alpha, beta, c, cOff, ldc);
        } else if (m == 1) {
            matVec(n, k, b, bOff, csB, rsB, a, aOff, csA, alpha, beta, c, cOff, 1);
        } else if (k == 1) {
            outerProduct(m, n, a, aOff, rsA, b, bOff, csB, alpha, beta, c, cOff, ldc);
        } else {
            multiply(m, n, k, GemmOperand.a(transA, a, aOff, lda, alpha), GemmOperand.b(transB, b, bOff, ldb),
                    beta, c, cOff, ldc);
        }
    }

    /** C = A * B + beta * C for operands that pack themselves; see {@link Gemm#multiply}. */
    static void multiply(int m, int n, int k, GemmOperand a, GemmOperand b, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            ScalarGemm.scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        blocked(new Operands(m, n, k, a, b, beta, c, cOff, ldc));
    }

    private record Operands(int m, int n, int k, GemmOperand a, GemmOperand b,
                            float beta, float[] c, int cOff, int ldc) {}

    /**
     * op(B) (k x n) packed once, every panel of {@link #computeTile} in its layout (see
     * {@link #packWhole}): for many products with one B, each on one thread.
     */
    static float[] packB(int n, int k, GemmOperand b) {
        int kc = ceilDiv(k, ceilDiv(k, KC));
        return packWhole(b, n, k, kc, NC, NR, new float[k * roundUp(n, NR)]);
    }

    /**
     * All of an operand's blocks of {@code block} rows of A (or columns of B) by depth blocks of
     * kc, packed as {@link #computeTile} packs them one at a time: block (j, pc) at
     * j*k + pc*roundUp(extent of block j, width). Parallel over the blocks.
     */
    private static float[] packWhole(GemmOperand x, int extent, int k, int kc, int block, int width, float[] dst) {
        int depths = ceilDiv(k, kc);
        Parallel.forEach(ceilDiv(extent, block) * depths, t -> {
            int j = t / depths * block, pc = t % depths * kc, len = Math.min(block, extent - j);
            x.packSlivers(j, len, pc, Math.min(kc, k - pc), width, dst, j * k + pc * roundUp(len, width));
        });
        return dst;
    }

    /**
     * C = A * B + beta * C on the calling thread, with B from {@link #packB}: for many products
     * with one B, each too small to be worth packing B for. Every element of C is reduced as in
     * {@link #multiply}, so the results are bitwise the same.
     */
    static void multiplyPacked(int m, int n, int k, GemmOperand a, float[] packedB, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        Operands op = new Operands(m, n, k, a, null, beta, c, cOff, ldc);
        int kc = ceilDiv(k, ceilDiv(k, KC));
        if (depthPart(m, n, k) > 0) {
            splitDepth(op, kc, false, packedB);
            return;
        }
        computeTile(op, kc, 0, k, 0, m, 0, n, null, packedB);
    }

    // ---------------------------------------------------------------- depth split

    /** C at most this many floats (64 KiB) counts as small: see {@link #depthPart}. */
    private static final int SMALL_C = 1 << 14;
    /** KC blocks per part of k in {@link #splitDepth}. */
    private static final int BLOCKS_PER_PART = 2;

    /**
     * The length of the parts of k that {@link #splitDepth} computes C in, or 0 for one chain over
     * all of k. A small C over a long k is a weight gradient's shape (E1's 7 x 7 conv: 49 x 128
     * over 50176 pixels at batch 64; its first conv: 16 x 64): each operand's float is used
     * only m or n times, so packing it costs about as much as those FMAs, and with C cut along
     * its short sides, every task packs, or reads back from memory, most of both operands.
     */
    static int depthPart(int m, int n, int k) {
        int kc = ceilDiv(k, ceilDiv(k, KC));
        return (long) m * n <= SMALL_C && k >= 2 * BLOCKS_PER_PART * kc ? BLOCKS_PER_PART * kc : 0;
    }

    /**
     * C = A * B + beta * C as one GEMM per part of BLOCKS_PER_PART KC blocks of k: part 0 into C
     * (from beta * C), the others into buffers, which are then added to C in order of part. The
     * parts depend only on the shape, so the order of every sum does too, whatever the thread
     * count; parallel over the parts, each packing just its own stretch of both operands.
     */
    private static void splitDepth(Operands op, int kc, boolean parallel, float[] packedB) {
        int span = depthPart(op.m, op.n, op.k), parts = ceilDiv(op.k, span), size = op.m * op.n;
        // Each part overwrites its buffer (beta 0), so a reused one needs no zeroing.
        float[] partial = PARTIALS.take((parts - 1) * size);
        try {
            IntConsumer part = t -> {
                Operands into = t == 0 ? op : new Operands(op.m, op.n, op.k, op.a, op.b, 0f, partial, (t - 1) * size, op.n);
                computeTile(into, kc, t * span, Math.min(op.k, (t + 1) * span), 0, op.m, 0, op.n, null, packedB);
            };
            if (parallel) {
                Parallel.forEach(parts, part);
            } else {
                for (int t = 0; t < parts; t++) part.accept(t);
            }
            for (int t = 1; t < parts; t++) {
                for (int i = 0; i < op.m; i++) {
                    Elementwise.K.accumulate(partial, (t - 1) * size + i * op.n, op.c, op.cOff + i * op.ldc, op.n);
                }
            }
        } finally {
            PARTIALS.give(partial);
        }
    }

    // ---------------------------------------------------------------- blocked path

    /**
     * Tasks per thread. C is cut into more tasks than threads, taken one at a time, so that a
     * thread the machine slows down (a busy host, a cold cache) takes fewer of them instead of
     * holding up the others at the end: a static cut of one task per thread left each thread
     * waiting for the other at the end of E1's GEMMs (docs/performance.md#tasks).
     */
    private static final int TASKS_PER_THREAD = 4;
    /**
     * Rows or columns of C per task, at least (unless that leaves a thread without one). A task
     * packs its part of an operand for all of k; where that operand lies along C's side (x^T
     * as A, x as B), each of its k rows is read a run of this many floats (4 cache lines)
     * at a time; shorter runs measured slower (docs/performance.md#tasks).
     */
    private static final int MIN_TASK_SPAN = 64;

    /**
     * The operand along C's short side is packed once, whole, and shared; C's long side is cut
     * into tasks of whole micro-tiles, each of which packs only its own part of the other
     * operand. So every float of A and B is packed once, however many tasks there are.
     */
    private static void blocked(Operands op) {
        // Equal KC blocks (e.g. 288 = 144 + 144, not 256 + 32) so no pass over C is nearly empty.
        int kc = ceilDiv(op.k, ceilDiv(op.k, KC));
        boolean tiny = (long) op.m * op.n * op.k < SERIAL_WORK;
        int threads = tiny ? 1 : Parallel.threadsForNewLoop();
        boolean wide = op.n >= op.m;
        int slivers = wide ? ceilDiv(op.n, NR) : ceilDiv(op.m, MR);
        if (depthPart(op.m, op.n, op.k) > 0) {
            splitDepth(op, kc, threads > 1, null);
            return;
        }
        if (threads == 1 || slivers == 1) {
            computeTile(op, kc, 0, op.k, 0, op.m, 0, op.n, null, null);
            return;
        }
        int tasks = Math.max(Math.min(threads, slivers), Math.min(slivers * (wide ? NR : MR) / MIN_TASK_SPAN, TASKS_PER_THREAD * threads));
        float[] shared = SHARED.take(op.k * (wide ? roundUp(op.m, MR) : roundUp(op.n, NR)));
        try {
            if (wide) {
                packWhole(op.a, op.m, op.k, kc, MC, MR, shared);
                Parallel.forEach(tasks, t -> computeTile(op, kc, 0, op.k, 0, op.m,
                        t * slivers / tasks * NR, Math.min(op.n, (t + 1) * slivers / tasks * NR), shared, null));
            } else {
                packWhole(op.b, op.n, op.k, kc, NC, NR, shared);
                Parallel.forEach(tasks, t -> computeTile(op, kc, 0, op.k,
                        t * slivers / tasks * MR, Math.min(op.m, (t + 1) * slivers / tasks * MR), 0, op.n, null, shared));
            }
        } finally {
            SHARED.give(shared);
        }
    }

    /**
     * C[i0..i1][j0..j1], summed over p in [p0, p1) from beta * C (p0 and p1 on KC block
     * boundaries), in the loop order of the class comment: for each B panel, every A block
     * of the tile's rows runs against it while it is hot in cache. The blocks are packed here,
     * or taken from {@code packedAllA} (with i0 = 0, i1 = m) or {@code packedAllB} (j0 = 0,
     * j1 = n), laid out by {@link #packWhole}.
     */
    private static void computeTile(Operands op, int kc, int p0, int p1, int i0, int i1, int j0, int j1,
                                    float[] packedAllA, float[] packedAllB) {
        float[] packedA = packedAllA != null ? packedAllA : PACKED_A.take(kc * roundUp(Math.min(MC, i1 - i0), MR));
        float[] packedB = packedAllB != null ? packedAllB : PACKED_B.take(kc * roundUp(Math.min(NC, j1 - j0), NR));
        float[] edge = new float[MR * NR];
        try {
            for (int jc = j0; jc < j1; jc += NC) {
                int nc = Math.min(NC, j1 - jc);
                for (int pc = p0; pc < p1; pc += kc) {
                    int kcb = Math.min(kc, p1 - pc), bOff = 0;
                    if (packedAllB == null) {
                        packB(op, pc, kcb, jc, nc, packedB);
                    } else {
                        bOff = jc * op.k + pc * roundUp(nc, NR);
                    }
                    // The first K block starts from the caller's beta * C; later blocks carry on from what is in C.
                    float beta = pc == p0 ? op.beta : 1f;
                    for (int ic = i0; ic < i1; ic += MC) {
                        int mc = Math.min(MC, i1 - ic), aOff = 0;
                        if (packedAllA == null) {
                            packA(op, pc, kcb, ic, mc, packedA);
                        } else {
                            aOff = ic * op.k + pc * roundUp(mc, MR);
                        }
                        multiplyBlock(op, kcb, packedA, aOff, packedB, bOff, ic, mc, jc, nc, beta, edge);
                    }
                }
            }
        } finally {
            if (packedAllA == null) PACKED_A.give(packedA);
            if (packedAllB == null) PACKED_B.give(packedB);
        }
    }

    /** Packs op(A)[ic..ic+mc][pc..pc+kcb] as MR-tall slivers, each kcb columns of MR floats. */
    private static void packA(Operands op, int pc, int kcb, int ic, int mc, float[] packedA) {
        op.a.packSlivers(ic, mc, pc, kcb, MR, packedA, 0);
    }

    /** Packs op(B)[pc..pc+kcb][jc..jc+nc] as NR-wide slivers, each kcb rows of NR floats. */
    private static void packB(Operands op, int pc, int kcb, int jc, int nc, float[] packedB) {
        op.b.packSlivers(jc, nc, pc, kcb, NR, packedB, 0);
    }

    /** Every micro-tile of one packed A block against one packed B panel; B slivers outer so each stays in L1. */
    private static void multiplyBlock(Operands op, int kcb, float[] packedA, int aOff, float[] packedB, int bOff,
                                      int ic, int mc, int jc, int nc, float beta, float[] edge) {
        for (int t = 0; t * NR < nc; t++) {
            for (int s = 0; s * MR < mc; s++) {
                microTile(op, kcb, packedA, aOff + s * MR * kcb, packedB, bOff + t * NR * kcb, beta,
                        ic + s * MR, jc + t * NR, edge);
            }
        }
    }

    /** One MR x NR tile of C at (i0, j0): straight into C when whole, through {@code edge} when clipped. */
    private static void microTile(Operands op, int kcb, float[] ap, int ai, float[] bp, int bi, float beta,
                                  int i0, int j0, float[] edge) {
        int rows = Math.min(MR, op.m - i0);
        int cols = Math.min(NR, op.n - j0);
        if (rows == MR && cols == NR) {
            microKernel(kcb, ap, ai, bp, bi, beta, op.c, op.cOff + i0 * op.ldc + j0, op.ldc);
            return;
        }
        // A ragged tile runs in a full-size copy, so the kernel needs no masks or bounds.
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < NR; j++) {
                edge[r * NR + j] = beta != 0f && r < rows && j < cols ? op.c[op.cOff + (i0 + r) * op.ldc + j0 + j] : 0f;
            }
        }
        microKernel(kcb, ap, ai, bp, bi, beta, edge, 0, NR);
        for (int r = 0; r < rows; r++) System.arraycopy(edge, r * NR, op.c, op.cOff + (i0 + r) * op.ldc + j0, cols);
    }

    /**
     * The 4 x 16 register tile (two vectors wide): C[4][16] = beta * C + sum over p of A sliver
     * column p times B sliver row p. Written out by hand because the 8 accumulators must be
     * locals for C2 to keep them in registers.
     */
    private static void microKernel(int kcb, float[] ap, int ai, float[] bp, int bi, float beta,
                                    float[] c, int ci, int ldc) {
        FloatVector c00 = startRow(beta, c, ci), c01 = startRow(beta, c, ci + VL);
        FloatVector c10 = startRow(beta, c, ci + ldc), c11 = startRow(beta, c, ci + ldc + VL);
        FloatVector c20 = startRow(beta, c, ci + 2 * ldc), c21 = startRow(beta, c, ci + 2 * ldc + VL);
        FloatVector c30 = startRow(beta, c, ci + 3 * ldc), c31 = startRow(beta, c, ci + 3 * ldc + VL);
        for (int p = 0; p < kcb; p++) {
            // Indices as offset + p * stride, the form C2 hoists range checks out of the loop for.
            int pa = ai + p * MR, pb = bi + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, pb), b1 = FloatVector.fromArray(S, bp, pb + VL);
            FloatVector a = FloatVector.broadcast(S, ap[pa]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[pa + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[pa + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[pa + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + VL);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + VL);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + VL);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + VL);
    }

    /**
     * An accumulator's start: beta * C, or 0 without reading C when beta == 0 (it may hold NaN).
     * Loading C before the loop rather than after lets its cache misses overlap the FMAs; with
     * beta == 1 each element then is one chain of FMAs over all of k.
     */
    private static FloatVector startRow(float beta, float[] c, int ci) {
        return beta == 0f ? FloatVector.zero(S) : FloatVector.fromArray(S, c, ci).mul(beta);
    }

    // ---------------------------------------------------------------- outer product

    /**
     * C = alpha * a b^T + beta * C, a GEMM over k = 1 (E1's critic's input gradient, dY W^T):
     * every element of C is one product, so there is nothing to pack or block, only C to write
     * once. On the calling thread alone: C's writes are what it waits for, and rows handed out to
     * two threads measured slower (docs/performance.md#outer-product). Each element gets the
     * operations of the blocked path, (alpha * a[i]) * b[j] fused with beta * C, so its result
     * is the same.
     */
    private static void outerProduct(int m, int n, float[] a, int aOff, int rsA, float[] b, int bOff, int csB,
                                     float alpha, float beta, float[] c, int cOff, int ldc) {
        float[] row = csB == 1 ? b : gather(b, bOff, csB, n);
        int r0 = csB == 1 ? bOff : 0;
        for (int i = 0; i < m; i++) scaledRow(alpha * a[aOff + i * rsA], row, r0, n, beta, c, cOff + i * ldc);
    }

    /** c[ci + j] = s * v[v0 + j] + beta * c[ci + j] for j &lt; n, fused; from 0, not C, when beta is 0. */
    private static void scaledRow(float s, float[] v, int v0, int n, float beta, float[] c, int ci) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int j = 0;
        for (; j <= n - VL; j += VL) vs.fma(FloatVector.fromArray(S, v, v0 + j), startRow(beta, c, ci + j)).intoArray(c, ci + j);
        for (; j < n; j++) c[ci + j] = Math.fma(s, v[v0 + j], beta == 0f ? 0f : beta * c[ci + j]);
    }

    // ---------------------------------------------------------------- matrix-vector path

    /**
     * y = alpha * M v + beta * y, where M[i][p] = mat[mOff + i*rsM + p*csM] (len x k), v[p] =
     * vec[vOff + p*vs], and y[i] = c[cOff + i*ys] is C's i-th element along its only row or column.
     */
    private static void matVec(int len, int k, float[] mat, int mOff, int rsM, int csM,
                               float[] vec, int vOff, int vs, float alpha, float beta, float[] c, int cOff, int ys) {
        // The dot products read v with unit stride: a strided v is gathered first.
        boolean gathered = csM == 1 && vs != 1;
        float[] v = gathered ? gather(vec, vOff, vs, k) : vec;
        int v0 = gathered ? 0 : vOff, vStride = gathered ? 1 : vs;
        int chunks = roundUp(ceilDiv(len, MATVEC_CHUNK), Parallel.threadsForNewLoop());
        int chunk = roundUp(ceilDiv(len, chunks), VL);
        Parallel.forEach(ceilDiv(len, chunk), t -> {
            int i0 = t * chunk, i1 = Math.min(len, i0 + chunk);
            float[] acc = new float[i1 - i0];
            if (csM == 1) {
                // Rows of M are contiguous: one dot product per output, DOT_ROWS rows per pass over v.
                float[] partials = new float[DOT_ROWS * DOT_SUMS];
                for (int i = i0; i < i1; i += DOT_ROWS) dotRows(mat, mOff, rsM, i, i1, v, v0, k, partials, acc, i - i0);
            } else {
                // Columns of M are contiguous: accumulate them, scaled by v[p], in order of p.
                sumScaledRows(mat, mOff + i0 * rsM, csM, v, v0, vStride, k, acc);
            }
            for (int i = i0; i < i1; i++) {
                int ci = cOff + i * ys;
                float ab = alpha * acc[i - i0];
                c[ci] = beta == 0f ? ab : Math.fma(beta, c[ci], ab);
            }
        });
    }

    /**
     * Partial sums per dot product: sum number q takes the products of every p = q (mod 32), in
     * order of p. Fixed, not a vector's width, so that the order of adds, and so a training run
     * from the same seed, is the same on AVX2 and AVX-512 alike.
     */
    private static final int DOT_SUMS = 32;
    /** The preferred vector, but 4 to 16 lanes, so that DOT_SUMS sums are a whole number of vectors. */
    private static final VectorSpecies<Float> S_DOT =
            VectorSpecies.of(float.class, VectorShape.forBitSize(Float.SIZE * Math.clamp(VL, 4, 16)));
    /** Vectors per dot product's sums, and the rows that make 8 accumulators of them: enough FMA chains to hide the latency. */
    private static final int DOT_VECS = DOT_SUMS / S_DOT.length(), DOT_ROWS = 8 / DOT_VECS;

    /**
     * out[outOff + r] = sum_p M[i + r][p] * v[p] for the DOT_ROWS rows from i on (rows past
     * {@code end} are computed as row end - 1 and dropped), sharing each load of v among them.
     * Accumulator j holds sums q = (j mod DOT_VECS) * lanes + lane of row j / DOT_VECS.
     * Each float of M feeds one FMA, so this runs as fast as M streams from cache, not at the FMA
     * rate; several rows per pass, with full-width vectors, bring it close to that bound
     * (docs/performance.md#matrix-vector-product).
     */
    private static void dotRows(float[] x, int mOff, int rs, int i, int end, float[] v, int vOff, int k,
                                float[] partials, float[] out, int outOff) {
        int dl = S_DOT.length();
        int o0 = rowStart(mOff, rs, i, 0, end), o1 = rowStart(mOff, rs, i, 1, end), o2 = rowStart(mOff, rs, i, 2, end),
            o3 = rowStart(mOff, rs, i, 3, end), o4 = rowStart(mOff, rs, i, 4, end), o5 = rowStart(mOff, rs, i, 5, end),
            o6 = rowStart(mOff, rs, i, 6, end), o7 = rowStart(mOff, rs, i, 7, end);
        int w0 = vOff, w1 = vOff + 1 % DOT_VECS * dl, w2 = vOff + 2 % DOT_VECS * dl, w3 = vOff + 3 % DOT_VECS * dl,
            w4 = vOff + 4 % DOT_VECS * dl, w5 = vOff + 5 % DOT_VECS * dl, w6 = vOff + 6 % DOT_VECS * dl, w7 = vOff + 7 % DOT_VECS * dl;
        FloatVector s0 = FloatVector.zero(S_DOT), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        int p = 0;
        for (; p <= k - DOT_SUMS; p += DOT_SUMS) {
            s0 = FloatVector.fromArray(S_DOT, x, o0 + p).fma(FloatVector.fromArray(S_DOT, v, w0 + p), s0);
            s1 = FloatVector.fromArray(S_DOT, x, o1 + p).fma(FloatVector.fromArray(S_DOT, v, w1 + p), s1);
            s2 = FloatVector.fromArray(S_DOT, x, o2 + p).fma(FloatVector.fromArray(S_DOT, v, w2 + p), s2);
            s3 = FloatVector.fromArray(S_DOT, x, o3 + p).fma(FloatVector.fromArray(S_DOT, v, w3 + p), s3);
            s4 = FloatVector.fromArray(S_DOT, x, o4 + p).fma(FloatVector.fromArray(S_DOT, v, w4 + p), s4);
            s5 = FloatVector.fromArray(S_DOT, x, o5 + p).fma(FloatVector.fromArray(S_DOT, v, w5 + p), s5);
            s6 = FloatVector.fromArray(S_DOT, x, o6 + p).fma(FloatVector.fromArray(S_DOT, v, w6 + p), s6);
            s7 = FloatVector.fromArray(S_DOT, x, o7 + p).fma(FloatVector.fromArray(S_DOT, v, w7 + p), s7);
        }
        // Accumulator j lands at j * lanes, so row r's sums are partials[r * 32 + q].
        s0.intoArray(partials, 0);
        s1.intoArray(partials, dl);
        s2.intoArray(partials, 2 * dl);
        s3.intoArray(partials, 3 * dl);
        s4.intoArray(partials, 4 * dl);
        s5.intoArray(partials, 5 * dl);
        s6.intoArray(partials, 6 * dl);
        s7.intoArray(partials, 7 * dl);
        for (int r = 0; r < DOT_ROWS && i + r < end; r++) {
            float sum = addSums(partials, r * DOT_SUMS);
            int row = mOff + (i + r) * rs;
            for (int t = p; t < k; t++) sum = Math.fma(x[row + t], v[vOff + t], sum);
            out[outOff + r] = sum;
        }
    }

    /** Where accumulator j of {@link #dotRows} reads M: its row (at most end - 1), plus its sums' offset. */
    private static int rowStart(int mOff, int rs, int i, int j, int end) {
        return mOff + Math.min(i + j / DOT_VECS, end - 1) * rs + j % DOT_VECS * S_DOT.length();
    }

    /** Four lanes, to add the 32 sums in one fixed tree whatever the vector width. */
    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;

    /**
     * The 32 sums at s[off..off+32) added in a fixed order: sums q = l (mod 4) as a balanced tree
     * for each l, then the four results in order of l. Not reduceLanes: its order of adds is
     * unspecified and differs between the interpreter and compiled code, so the same call could
     * round differently from one run to the next.
     */
    private static float addSums(float[] s, int off) {
        FloatVector q0 = FloatVector.fromArray(S4, s, off), q1 = FloatVector.fromArray(S4, s, off + 4);
        FloatVector q2 = FloatVector.fromArray(S4, s, off + 8), q3 = FloatVector.fromArray(S4, s, off + 12);
        FloatVector q4 = FloatVector.fromArray(S4, s, off + 16), q5 = FloatVector.fromArray(S4, s, off + 20);
        FloatVector q6 = FloatVector.fromArray(S4, s, off + 24), q7 = FloatVector.fromArray(S4, s, off + 28);
        float[] lanes = q0.add(q1).add(q2.add(q3)).add(q4.add(q5).add(q6.add(q7))).toArray();
        float sum = 0f;
        for (float lane : lanes) sum += lane;
        return sum;
    }

    /**
     * acc[j] = sum over p &lt; k of v[v0 + p*vStride] * x[xOff + p*rowStride + j], for every j of
     * acc: each a chain of FMAs over p in order. Eight vectors of columns at a time stay in
     * registers for all of p, so each float of x costs one load and one FMA, with no load and
     * store of acc per row (docs/performance.md#matrix-vector-product).
     */
    private static void sumScaledRows(float[] x, int xOff, int rowStride, float[] v, int v0, int vStride, int k, float[] acc) {
        int j = 0;
        for (; j <= acc.length - 8 * VL; j += 8 * VL) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int p = 0; p < k; p++) {
                FloatVector s = FloatVector.broadcast(S, v[v0 + p * vStride]);
                int at = xOff + p * rowStride + j;
                a0 = FloatVector.fromArray(S, x, at).fma(s, a0);
                a1 = FloatVector.fromArray(S, x, at + VL).fma(s, a1);
                a2 = FloatVector.fromArray(S, x, at + 2 * VL).fma(s, a2);
                a3 = FloatVector.fromArray(S, x, at + 3 * VL).fma(s, a3);
                a4 = FloatVector.fromArray(S, x, at + 4 * VL).fma(s, a4);
                a5 = FloatVector.fromArray(S, x, at + 5 * VL).fma(s, a5);
                a6 = FloatVector.fromArray(S, x, at + 6 * VL).fma(s, a6);
                a7 = FloatVector.fromArray(S, x, at + 7 * VL).fma(s, a7);
            }
            a0.intoArray(acc, j);
            a1.intoArray(acc, j + VL);
            a2.intoArray(acc, j + 2 * VL);
            a3.intoArray(acc, j + 3 * VL);
            a4.intoArray(acc, j + 4 * VL);
            a5.intoArray(acc, j + 5 * VL);
            a6.intoArray(acc, j + 6 * VL);
            a7.intoArray(acc, j + 7 * VL);
        }
        for (; j <= acc.length - VL; j += VL) {
            FloatVector a = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                a = FloatVector.fromArray(S, x, xOff + p * rowStride + j).fma(FloatVector.broadcast(S, v[v0 + p * vStride]), a);
            }
            a.intoArray(acc, j);
        }
        for (; j < acc.length; j++) {
            float a = 0f;
            for (int p = 0; p < k; p++) a = Math.fma(x[xOff + p * rowStride + j], v[v0 + p * vStride], a);
            acc[j] = a;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** x[off + j*stride] for j &lt; n, as a new array: a strided vector for kernels that read with unit stride. */
    private static float[] gather(float[] x, int off, int stride, int n) {
        float[] out = new float[n];
        for (int j = 0; j < n; j++) out[j] = x[off + j * stride];
        return out;
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }
}
