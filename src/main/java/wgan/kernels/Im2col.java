package wgan.kernels;

import java.util.Arrays;

/**
 * An im2col matrix of an NHWC tensor (h x w x c per image) as a {@link GemmOperand}, packed
 * straight from the tensor and never stored. Row (n, gy, gx) of the matrix, for pixels of a
 * gridH x gridW grid of images n0, n0+1, ..., holds a kh x kw window of the tensor, columns
 * (ky, kx, ch) in OHWI order:
 * <pre>
 *   cols[(n,gy,gx)][(ky,kx,ch)] = src[n0+n, gy*sy + y0 + ky, gx*sx + x0 + kx, ch]   (0 outside the tensor)
 * </pre>
 * The kw pixels of one window row are adjacent in NHWC, so both views copy runs of up to kw*c
 * floats, and the zeros of a window that sticks out of the tensor come from bounds worked out
 * once per run rather than a test per float.
 */
record Im2col(float[] src, int h, int w, int c, int n0, int gridH, int gridW, int sy, int sx, int y0, int x0,
              int kh, int kw) {

    /** The im2col of a convolution's input x: one row per output pixel, one column per weight of an output channel. */
    static Im2col ofInput(ConvGeometry g, float[] x) {
        return new Im2col(x, g.inH(), g.inW(), g.inC(), 0, g.outH(), g.outW(), g.strideH(), g.strideW(),
                -g.padTop(), -g.padLeft(), g.kH(), g.kW());
    }

    int rows(int images) { return images * gridH * gridW; }

    int columns() { return kh * kw * c; }

    /**
     * The matrix itself: pixels along r (op(A) of Y = cols * W^T). A sliver's rows are copied
     * out whole into a buffer, runs of up to kw*c floats at a time, and then transposed into
     * place ({@link TransposingPack}): two passes, but both fast ones.
     */
    GemmOperand byPixel() {
        int rowFloats = kw * c;
        return (r0, valid, p0, depth, width, dst, off) -> {
            float[] rows = sliverBuffer(valid * depth);
            Pixel px = new Pixel(r0);
            for (int i = 0; i < valid; i++, px.next()) {
                // Columns p0 + p run through window rows ky, each rowFloats long, from position f.
                for (int p = 0, ky = p0 / rowFloats, f = p0 % rowFloats; p < depth; ky++, f = 0) {
                    int run = Math.min(rowFloats - f, depth - p);
                    px.copy(ky, f, run, rows, i * depth + p);
                    p += run;
                }
            }
            TransposingPack.rows(rows, 0, depth, valid, 1f, depth, width, dst, off);
        };
    }

    /** The calling thread's buffer for one sliver's rows, kept between calls. */
    private static final ThreadLocal<float[]> SLIVER = ThreadLocal.withInitial(() -> new float[0]);

    private static float[] sliverBuffer(int size) {
        float[] buffer = SLIVER.get();
        if (buffer.length < size) SLIVER.set(buffer = new float[size]);
        return buffer;
    }

    /** Its transpose: columns along r, pixels along p (op(B) of dW = dY^T * cols). */
    GemmOperand byColumn() {
        int rowFloats = kw * c;
        return (r0, valid, p0, depth, width, dst, off) -> {
            // Columns r0 .. r0+valid cut at window rows: run s is window row ky[s] from position f[s],
            // at i[s] .. i[s+1] of the sliver row.
            int[] ky = new int[valid], f = new int[valid], i = new int[valid + 1];
            int runs = 0;
            for (int at = 0; at < valid; runs++) {
                ky[runs] = (r0 + at) / rowFloats;
                f[runs] = (r0 + at) % rowFloats;
                i[runs] = at;
                at += Math.min(rowFloats - f[runs], valid - at);
            }
            i[runs] = valid;
            Pixel px = new Pixel(p0);
            for (int p = 0; p < depth; p++, px.next()) {
                int to = off + p * width;
                for (int s = 0; s < runs; s++) px.copy(ky[s], f[s], i[s + 1] - i[s], dst, to + i[s]);
            }
            GemmOperand.zeroColumns(valid, depth, width, dst, off);
        };
    }

    /** A matrix row (n, gy, gx), stepped through the rows in order without dividing. */
    private final class Pixel {
        private int n, gy, gx;

        Pixel(int row) {
            n = n0 + row / (gridH * gridW);
            gy = row % (gridH * gridW) / gridW;
            gx = row % gridW;
        }

        void next() {
            if (++gx < gridW) return;
            gx = 0;
            if (++gy < gridH) return;
            gy = 0;
            n++;
        }

        /**
         * Copies positions f0 .. f0+len of window row ky (kw*c floats, adjacent in src) to
         * dst[to ..], zeros where the window leaves the tensor: bounds worked out once per run,
         * then bulk copies.
         */
        void copy(int ky, int f0, int len, float[] dst, int to) {
            int y = gy * sy + y0 + ky, left = gx * sx + x0;
            boolean inside = y >= 0 && y < h;
            int lo = inside ? Math.clamp(-left * c - f0, 0, len) : len;
            int hi = inside ? Math.clamp(Math.min(kw, w - left) * c - f0, lo, len) : len;
            Arrays.fill(dst, to, to + lo, 0f);
            // A window row wholly outside has no position in src to copy from, not even 0 floats.
            if (hi > lo) System.arraycopy(src, ((n * h + y) * w + left) * c + f0 + lo, dst, to + lo, hi - lo);
            Arrays.fill(dst, to + hi, to + len, 0f);
        }
    }
}
