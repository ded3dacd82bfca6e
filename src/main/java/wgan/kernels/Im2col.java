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
        return (r0, valid, p0, depth, width, dst, off) -> {
            if (quadsAlongPixels(r0, valid, width)) {
                Pixel px = new Pixel(r0);
                for (int p = 0; p < depth; p++) {
                    int col = p0 + p;
                    px.copyQuad(col / kw, col % kw, dst, off + p * width);
                }
                return;
            }
            float[] rows = SLIVER.take(valid * depth);
            try {
                Pixel px = new Pixel(r0);
                for (int i = 0; i < valid; i++, px.next()) px.copyColumns(p0, depth, rows, i * depth);
                TransposingPack.rows(rows, 0, depth, valid, 1f, depth, width, dst, off);
            } finally {
                SLIVER.give(rows);
            }
        };
    }

    /** The calling thread's buffer for the rows being packed, before they are laid out in slivers. */
    private static final Scratch SLIVER = new Scratch();

    /**
     * Its transpose: columns along r, pixels along p (op(B) of dW = dY^T * cols). Packed pixel
     * by pixel: the pixel's columns for all slivers are copied out at once, runs of up to kw*c
     * floats, and then dealt out width floats to each sliver. Sliver by sliver, each pixel would
     * cost a bounds check and a copy call per width floats, which measured several times slower
     * per float than {@link #byPixel} (docs/performance.md#im2col).
     */
    GemmOperand byColumn() {
        return new GemmOperand() {
            @Override
            public void pack(int r0, int valid, int p0, int depth, int width, float[] dst, int off) {
                packSlivers(r0, valid, p0, depth, width, dst, off);
            }

            @Override
            public void packSlivers(int r0, int count, int p0, int depth, int width, float[] dst, int off) {
                if (c == 1 && width == MicroTile.MR) {
                    packTapSlivers(r0, count, p0, depth, dst, off);
                    return;
                }
                int slivers = (count + width - 1) / width;
                float[] row = SLIVER.take(slivers * width);
                try {
                    // The last sliver's columns past count stay zero: copyColumns never writes them.
                    Arrays.fill(row, count, slivers * width, 0f);
                    Pixel px = new Pixel(p0);
                    for (int p = 0; p < depth; p++, px.next()) {
                        px.copyColumns(r0, count, row, 0);
                        for (int s = 0; s < slivers; s++) {
                            System.arraycopy(row, s * width, dst, off + (s * depth + p) * width, width);
                        }
                    }
                } finally {
                    SLIVER.give(row);
                }
            }
        };
    }

    /**
     * One channel at stride 1 along x: the 4 pixels of an MR-tall sliver in one grid row see each
     * column (ky, kx) at 4 adjacent floats of the tensor, so the sliver's row is one 4-float copy
     * instead of a transpose of 4 copied rows.
     */
    private boolean quadsAlongPixels(int r0, int valid, int width) {
        return c == 1 && sx == 1 && width == MicroTile.MR && valid == width && r0 % gridW + width <= gridW;
    }

    /**
     * {@link #byColumn}'s slivers of MR columns for one channel: pixel p's columns (ky, kx) ..
     * (ky, kx+3) are 4 adjacent floats of the tensor when they share the window row ky, so each
     * sliver row is one 4-float copy; slivers that cross a window row, or stick out of the
     * matrix, go column by column. Sliver by sliver, so each is written in order.
     */
    private void packTapSlivers(int r0, int count, int p0, int depth, float[] dst, int off) {
        int width = MicroTile.MR;
        int[] ky = new int[width], kx = new int[width];
        for (int s = 0; s * width < count; s++) {
            int col = r0 + s * width, valid = Math.min(width, count - s * width), to = off + s * depth * width;
            boolean oneRow = valid == width && col % kw + width <= kw;
            // Window positions worked out once per sliver: two divisions per float cost more than the copy.
            for (int i = 0; i < valid; i++) {
                ky[i] = (col + i) / kw;
                kx[i] = (col + i) % kw;
            }
            Pixel px = new Pixel(p0);
            for (int p = 0; p < depth; p++, px.next(), to += width) {
                if (oneRow) {
                    px.copyQuad(ky[0], kx[0], dst, to);
                } else {
                    for (int i = 0; i < width; i++) dst[to + i] = i < valid ? px.at(ky[i], kx[i]) : 0f;
                }
            }
        }
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

        /** Column (ky, kx) of this row, one channel: 0 outside the tensor. */
        float at(int ky, int kx) {
            int y = gy * sy + y0 + ky, x = gx * sx + x0 + kx;
            return y >= 0 && y < h && x >= 0 && x < w ? src[(n * h + y) * w + x] : 0f;
        }

        /**
         * dst[to + i] = src[n, y, x + i] for i &lt; 4 at this row's window position (ky, kx), one
         * channel: columns (ky, kx..kx+3) of this row, or column (ky, kx) of it and the next 3
         * pixels of its grid row (stride 1).
         */
        void copyQuad(int ky, int kx, float[] dst, int to) {
            int y = gy * sy + y0 + ky, x = gx * sx + x0 + kx;
            if (Simd.AVAILABLE && y >= 0 && y < h && x >= 0 && x + 4 <= w) {
                VectorPacking.copySliverRow(src, (n * h + y) * w + x, 1f, 4, dst, to);
                return;
            }
            for (int i = 0; i < 4; i++) {
                dst[to + i] = y >= 0 && y < h && x + i >= 0 && x + i < w ? src[(n * h + y) * w + x + i] : 0f;
            }
        }

        /** Copies columns p0 .. p0+len of this row to dst[to ..]: window row after window row. */
        void copyColumns(int p0, int len, float[] dst, int to) {
            int rowFloats = kw * c;
            for (int p = 0, ky = p0 / rowFloats, f = p0 % rowFloats; p < len; ky++, f = 0) {
                int run = Math.min(rowFloats - f, len - p);
                copy(ky, f, run, dst, to + p);
                p += run;
            }
        }

        /**
         * Copies positions f0 .. f0+len of window row ky (kw*c floats, adjacent in src) to
         * dst[to ..], zeros where the window leaves the tensor: bounds worked out once per run,
         * then bulk copies.
         */
        private void copy(int ky, int f0, int len, float[] dst, int to) {
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
