package wgan.kernels;

import java.util.Arrays;

/** Direct loops over the convolution sums: the slow, plain path. */
final class DirectConv {
    private DirectConv() {}

    static void forward(ConvGeometry g, float[] x, float[] w, float[] y) {
        Parallel.forEach(g.batch(), n -> {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    int yBase = ((n * g.outH() + oy) * g.outW() + ox) * g.outC();
                    for (int o = 0; o < g.outC(); o++) {
                        float sum = 0f;
                        for (int ky = 0; ky < g.kH(); ky++) {
                            int iy = oy * g.strideH() - g.padTop() + ky;
                            if (iy < 0 || iy >= g.inH()) continue;
                            for (int kx = 0; kx < g.kW(); kx++) {
                                int ix = ox * g.strideW() - g.padLeft() + kx;
                                if (ix < 0 || ix >= g.inW()) continue;
                                int xBase = ((n * g.inH() + iy) * g.inW() + ix) * g.inC();
                                int wBase = ((o * g.kH() + ky) * g.kW() + kx) * g.inC();
                                for (int i = 0; i < g.inC(); i++) sum += x[xBase + i] * w[wBase + i];
                            }
                        }
                        y[yBase + o] = sum;
                    }
                }
            }
        });
    }

    static void inputGrad(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        Parallel.forEach(g.batch(), n -> {
            Arrays.fill(dx, n * g.inH() * g.inW() * g.inC(), (n + 1) * g.inH() * g.inW() * g.inC(), 0f);
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    int yBase = ((n * g.outH() + oy) * g.outW() + ox) * g.outC();
                    for (int ky = 0; ky < g.kH(); ky++) {
                        int iy = oy * g.strideH() - g.padTop() + ky;
                        if (iy < 0 || iy >= g.inH()) continue;
                        for (int kx = 0; kx < g.kW(); kx++) {
                            int ix = ox * g.strideW() - g.padLeft() + kx;
                            if (ix < 0 || ix >= g.inW()) continue;
                            int xBase = ((n * g.inH() + iy) * g.inW() + ix) * g.inC();
                            for (int o = 0; o < g.outC(); o++) {
                                float d = dy[yBase + o];
                                int wBase = ((o * g.kH() + ky) * g.kW() + kx) * g.inC();
                                for (int i = 0; i < g.inC(); i++) dx[xBase + i] += d * w[wBase + i];
                            }
                        }
                    }
                }
            }
        });
    }

    static void weightGrad(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        Parallel.forEach(g.outC(), o -> {
            int kSize = g.kH() * g.kW() * g.inC();
            Arrays.fill(dw, o * kSize, (o + 1) * kSize, 0f);
            for (int n = 0; n < g.batch(); n++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        float d = dy[((n * g.outH() + oy) * g.outW() + ox) * g.outC() + o];
                        for (int ky = 0; ky < g.kH(); ky++) {
                            int iy = oy * g.strideH() - g.padTop() + ky;
                            if (iy < 0 || iy >= g.inH()) continue;
                            for (int kx = 0; kx < g.kW(); kx++) {
                                int ix = ox * g.strideW() - g.padLeft() + kx;
                                if (ix < 0 || ix >= g.inW()) continue;
                                int xBase = ((n * g.inH() + iy) * g.inW() + ix) * g.inC();
                                int wBase = ((o * g.kH() + ky) * g.kW() + kx) * g.inC();
                                for (int i = 0; i < g.inC(); i++) dw[wBase + i] += d * x[xBase + i];
                            }
                        }
                    }
                }
            }
        });
    }
}
