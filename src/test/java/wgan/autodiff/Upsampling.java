package wgan.autodiff;

import java.util.function.Function;

/** Plain references of upsampling, in double, written from their definitions. */
final class Upsampling {
    private Upsampling() {}

    /** y[n, i, j, c] = x[n, i / fh, j / fw, c]. */
    static double[] nearest(float[] x, int n, int h, int w, int c, int fh, int fw) {
        int oh = h * fh, ow = w * fw;
        double[] y = new double[n * oh * ow * c];
        for (int s = 0; s < n; s++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int ch = 0; ch < c; ch++)
                        y[((s * oh + i) * ow + j) * c + ch] = x[((s * h + i / fh) * w + j / fw) * c + ch];
        return y;
    }

    /**
     * TensorFlow's resize_bilinear with half_pixel_centers (what TF2 tf.image.resize and Keras
     * UpSampling2D bilinear run): source coordinate in = (out + 0.5) / factor - 0.5, lower =
     * max(floor(in), 0), upper = min(ceil(in), size - 1), lerp = in - floor(in);
     * top = tl + (tr - tl) * xlerp, bottom = bl + (br - bl) * xlerp, y = top + (bottom - top) * ylerp.
     */
    static double[] bilinear(float[] x, int n, int h, int w, int c, int fh, int fw) {
        int oh = h * fh, ow = w * fw;
        double[] y = new double[n * oh * ow * c];
        for (int s = 0; s < n; s++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int ch = 0; ch < c; ch++) {
                        double iy = (i + 0.5) / fh - 0.5, ix = (j + 0.5) / fw - 0.5;
                        int y0 = Math.max((int) Math.floor(iy), 0), y1 = Math.min((int) Math.ceil(iy), h - 1);
                        int x0 = Math.max((int) Math.floor(ix), 0), x1 = Math.min((int) Math.ceil(ix), w - 1);
                        double ly = iy - Math.floor(iy), lx = ix - Math.floor(ix);
                        double tl = x[((s * h + y0) * w + x0) * c + ch], tr = x[((s * h + y0) * w + x1) * c + ch];
                        double bl = x[((s * h + y1) * w + x0) * c + ch], br = x[((s * h + y1) * w + x1) * c + ch];
                        double top = tl + (tr - tl) * lx, bottom = bl + (br - bl) * lx;
                        y[((s * oh + i) * ow + j) * c + ch] = top + (bottom - top) * ly;
                    }
        return y;
    }

    /** (R^T g)_j = sum_i g_i (R e_j)_i for the linear map R, from R applied to unit vectors. */
    static double[] adjoint(Function<float[], double[]> map, int inSize, float[] g) {
        double[] out = new double[inSize];
        for (int j = 0; j < inSize; j++) {
            float[] unit = new float[inSize];
            unit[j] = 1f;
            double[] column = map.apply(unit);
            for (int i = 0; i < column.length; i++) out[j] += g[i] * column[i];
        }
        return out;
    }
}
