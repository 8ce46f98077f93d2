package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;

/**
 * Convolution as matrix products over im2col columns, one image at a time.
 * <pre>x: (N, C, H, W)   w: (K, C R S) as a matrix   cols: (C R S, P) with P = outH outW   y: (N, K, P)</pre>
 */
final class Convolution {
    private Convolution() {
    }

    private static float[] columns(ConvGeometry g) {
        return new float[g.c() * g.r() * g.s() * g.outH() * g.outW()];
    }

    /** y[n] = W cols(x[n]) + b. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        int crs = g.c() * g.r() * g.s(), p = g.outH() * g.outW();
        float[] cols = columns(g);
        for (int n = 0; n < g.n(); n++) {
            int offX = n * g.c() * g.h() * g.w(), offY = n * g.k() * p;
            Im2col.unfold(g, x, offX, cols);
            Gemm.sgemm(false, false, g.k(), p, crs, 1f, w, 0, cols, 0, 0f, y, offY);
            if (bias != null) {
                for (int k = 0; k < g.k(); k++) {
                    float b = bias[k];
                    int o = offY + k * p;
                    for (int j = 0; j < p; j++) {
                        y[o + j] += b;
                    }
                }
            }
        }
    }

    /** dx[n] += fold(W^T dy[n]). */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        int crs = g.c() * g.r() * g.s(), p = g.outH() * g.outW();
        float[] dcols = columns(g);
        for (int n = 0; n < g.n(); n++) {
            Gemm.sgemm(true, false, crs, p, g.k(), 1f, w, 0, dy, n * g.k() * p, 0f, dcols, 0);
            Im2col.foldAdd(g, dcols, dx, n * g.c() * g.h() * g.w());
        }
    }

    /** dw += dy[n] cols(x[n])^T;  db += row sums of dy[n]. */
    static void backwardWeights(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] db) {
        int crs = g.c() * g.r() * g.s(), p = g.outH() * g.outW();
        float[] cols = dw == null ? null : columns(g);
        for (int n = 0; n < g.n(); n++) {
            int offY = n * g.k() * p;
            if (dw != null) {
                Im2col.unfold(g, x, n * g.c() * g.h() * g.w(), cols);
                Gemm.sgemm(false, true, g.k(), crs, p, 1f, dy, offY, cols, 0, 1f, dw, 0);
            }
            if (db != null) {
                for (int k = 0; k < g.k(); k++) {
                    double s = 0;
                    for (int j = 0; j < p; j++) {
                        s += dy[offY + k * p + j];
                    }
                    db[k] += (float) s;
                }
            }
        }
    }
}
