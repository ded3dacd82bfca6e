package wgan.kernels;

/**
 * 2-D convolution kernels over NHWC tensors with OHWI weights ([outC][kH][kW][inC]); see
 * {@link ConvGeometry}. The three functions are one bilinear map seen three ways, so each is the
 * adjoint of another and autodiff needs nothing else (a transposed convolution's forward pass
 * is {@link #inputGrad}):
 * <pre>
 *   forward:    y[n,oy,ox,o]  = sum_{ky,kx,i} x[n, oy*s-pt+ky, ox*s-pl+kx, i] * w[o,ky,kx,i]
 *   inputGrad:  dx = forward^T(dy)      (the transposed convolution)
 *   weightGrad: dw[o,ky,kx,i] = sum_{n,oy,ox} x[n, oy*s-pt+ky, ox*s-pl+kx, i] * dy[n,oy,ox,o]
 * </pre>
 * Outputs are overwritten, not accumulated.
 *
 * <p>Every function is lowered to GEMMs. An im2col matrix is never stored: the GEMM packs it
 * from the tensor ({@link Im2col}, {@link Gemm#multiply}). Lowerings that do need a buffer (of
 * tap products, or of transformed tiles) run over chunks of whole images, so that it stays
 * near {@link #CHUNK_FLOATS} floats whatever the batch, or as tasks of a few rows, each with a
 * buffer of 1/{@link #TASK_SHARE} of that (a transposed convolution's phases, Winograd with a
 * small kernel). Chunks and tasks depend only on the geometry, and each GEMM reduces an output
 * in a fixed order, so results are bitwise identical for any thread count. The lowering is
 * picked by shape: when the
 * channel count on the GEMM's output side is below one SIMD vector, an im2col GEMM is nearly a
 * matrix-vector product, and its im2col matrix, packed once for only that many multiply-adds
 * per float, is bound by memory; the tap lowering then puts the kernel taps on that side instead.
 * <ul>
 *   <li>forward: {@link Im2colConv} (M = output pixels, N = outC, K = kH*kW*inC); for
 *       outC &lt; {@link #NARROW} at stride 1, {@link TapConv} (M = outC*kH*kW, N = input
 *       pixels, K = inC). At stride s the tap lowering would multiply every input pixel by
 *       every tap, s*s times the needed work, so it is kept to stride 1. A stride-1 or
 *       stride-2 convolution whose sub-kernels have 2, 3 or 5 taps per axis, with at least
 *       {@link #NARROW} channels on both sides, on an output grid of nearly whole 2 x 2 blocks
 *       and enough of them ({@link Winograd#appliesToForward}), runs as GEMMs of Winograd's
 *       F(2x2, r x r), {@link Winograd#forward} (one per position of the (r+1) x (r+1)
 *       transformed tile; M = 2 x 2 blocks, N = outC, K = input phases * inC: 9/16 of the
 *       multiplies for 4 x 4 at stride 2, 36/100 for 5 x 5 at stride 1).</li>
 *   <li>inputGrad: {@link PhaseConv}, one GEMM per output phase (M = phase pixels, N = inC,
 *       K = taps in the phase * outC), except that a phase with 2, 3 or 5 taps per axis and at
 *       least {@link #NARROW} output channels, on a grid of nearly whole 2 x 2 blocks
 *       ({@link Winograd#appliesToPhase}), runs as GEMMs of Winograd's F(2x2, r x r'),
 *       {@link Winograd#phase} (M = 2 x 2 blocks, N = inC, K = outC);
 *       for inC &lt; {@link #NARROW}, {@link TapConv}
 *       (M = kH*kW*inC, N = output pixels, K = outC: no wasted products at any stride).</li>
 *   <li>weightGrad: {@link Im2colConv} (M = outC, N = kH*kW*inC, K = output pixels); for
 *       outC &lt; {@link #NARROW} at stride 1, {@link PhaseConv#weightGrad} (M = inC, N = kH*kW*outC,
 *       K = input pixels), which never builds the kH*kW*inC-wide im2col of x; a stride-1
 *       convolution, or a 4 x 4 one at stride 2, that {@link Winograd#appliesToWeightGrad} runs
 *       the adjoint of Winograd's forward GEMMs, {@link Winograd#weightGrad} (M = outC,
 *       N = input phases * inC, K = 2 x 2 blocks).</li>
 * </ul>
 */
public final class Conv {
    /** Floats of lowering buffer per chunk (4 MB): big enough for GEMMs with M in the thousands. */
    static final int CHUNK_FLOATS = 1 << 20;

    /**
     * A task's share of a chunk's floats, for lowerings that run as tasks of a few rows
     * ({@link PhaseConv}, {@link Winograd}): 64K floats (256 KiB), half of a Zen 3 core's L2, so
     * a task's buffer stays in its cache from one step to the next; a buffer twice as large
     * measured no faster, half as large slower (docs/performance.md#convolution-lowerings).
     */
    static final int TASK_SHARE = 16;

    /** Channel counts below one 256-bit vector of floats make a GEMM too narrow; see above. */
    static final int NARROW = 8;

    private Conv() {}

    public static void forward(ConvGeometry g, float[] x, float[] w, float[] y) {
        if (narrowOutputAtStride1(g)) {
            TapConv.forward(g, x, w, y, CHUNK_FLOATS);
        } else if (Winograd.appliesToForward(g)) {
            Winograd.forward(g, x, w, y, CHUNK_FLOATS);
        } else {
            Im2colConv.forward(g, x, w, y);
        }
    }

    public static void inputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        if (g.inC() < NARROW) {
            TapConv.inputGrad(g, dy, w, dx, CHUNK_FLOATS);
        } else {
            PhaseConv.inputGrad(g, dy, w, dx, CHUNK_FLOATS);
        }
    }

    public static void weightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        if (narrowOutputAtStride1(g)) {
            PhaseConv.weightGrad(g, x, dy, dw);
        } else if (Winograd.appliesToWeightGrad(g)) {
            Winograd.weightGrad(g, x, dy, dw, CHUNK_FLOATS);
        } else {
            Im2colConv.weightGrad(g, x, dy, dw);
        }
    }

    private static boolean narrowOutputAtStride1(ConvGeometry g) {
        return g.outC() < NARROW && g.strideH() == 1 && g.strideW() == 1;
    }

    /** Each calling thread's lowering buffer. */
    static final Scratch BUFFER = new Scratch();

    /** The work on images [n0, n0 + images) with a buffer of at least images * floatsPerImage floats (not zeroed). */
    @FunctionalInterface
    interface Chunk {
        void run(int n0, int images, float[] buffer);
    }

    /**
     * Runs {@code chunk} over the batch in order, in as few chunks of whole images as fit in
     * {@code chunkFloats} floats of buffer each (at least one image), of equal size but for the
     * last, reusing one buffer: 32 images that fit 28 at a time run as 16 + 16, not 28 + 4, whose
     * small GEMMs would leave threads idle. The split depends only on the geometry, never on the
     * thread count.
     */
    static void forEachChunk(int batch, long floatsPerImage, int chunkFloats, Chunk chunk) {
        int fit = (int) Math.max(1, Math.min(batch, chunkFloats / Math.max(1, floatsPerImage)));
        int chunks = Math.ceilDiv(batch, fit), per = Math.ceilDiv(batch, chunks);
        float[] buffer = BUFFER.take(Math.toIntExact(per * floatsPerImage));
        try {
            for (int n0 = 0; n0 < batch; n0 += per) {
                chunk.run(n0, Math.min(per, batch - n0), buffer);
            }
        } finally {
            BUFFER.give(buffer);
        }
    }
}
