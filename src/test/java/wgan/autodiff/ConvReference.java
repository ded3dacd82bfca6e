package wgan.autodiff;

import wgan.kernels.ConvGeometry;

/**
 * The convolution as a plain sum over its taps, in double: every (output pixel, output channel,
 * kernel offset, input channel) that lands inside the input links one x, one w and one y index.
 * The forward map, its transpose and its weight gradient are the same sum read three ways.
 */
final class ConvReference {
    private ConvReference() {}

    @FunctionalInterface
    interface Tap {
        void visit(int xIndex, int wIndex, int yIndex);
    }

    static void taps(ConvGeometry g, Tap tap) {
        for (int n = 0; n < g.batch(); n++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++)
                    for (int o = 0; o < g.outC(); o++)
                        for (int ky = 0; ky < g.kH(); ky++)
                            for (int kx = 0; kx < g.kW(); kx++)
                                for (int i = 0; i < g.inC(); i++) {
                                    int iy = oy * g.strideH() - g.padTop() + ky;
                                    int ix = ox * g.strideW() - g.padLeft() + kx;
                                    if (iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW()) continue;
                                    tap.visit(((n * g.inH() + iy) * g.inW() + ix) * g.inC() + i,
                                            ((o * g.kH() + ky) * g.kW() + kx) * g.inC() + i,
                                            ((n * g.outH() + oy) * g.outW() + ox) * g.outC() + o);
                                }
    }

    /** y = sum over taps of x * w. */
    static double[] forward(ConvGeometry g, float[] x, float[] w) {
        double[] y = new double[g.outputSize()];
        taps(g, (xi, wi, yi) -> y[yi] += (double) x[xi] * w[wi]);
        return y;
    }

    /** dx = sum over taps of dy * w (the transposed convolution). */
    static double[] inputGrad(ConvGeometry g, float[] dy, float[] w) {
        double[] dx = new double[g.inputSize()];
        taps(g, (xi, wi, yi) -> dx[xi] += (double) dy[yi] * w[wi]);
        return dx;
    }

    /** dw = sum over taps of x * dy. */
    static double[] weightGrad(ConvGeometry g, float[] x, float[] dy) {
        double[] dw = new double[g.weightSize()];
        taps(g, (xi, wi, yi) -> dw[wi] += (double) x[xi] * dy[yi]);
        return dw;
    }
}
