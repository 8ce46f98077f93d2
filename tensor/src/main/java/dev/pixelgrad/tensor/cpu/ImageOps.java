package dev.pixelgrad.tensor.cpu;

import java.util.concurrent.atomic.DoubleAdder;

/** Total variation and the image helpers of the optimisation loops, over planes of h x w. */
final class ImageOps {
    private ImageOps() {
    }

    /** sum over planes and p = (i &lt; h-1, j &lt; w-1) of (dr^2 + dd^2 + eps)^(beta/2). */
    static double totalVariation(float[] x, int planes, int h, int w, float beta, float eps) {
        DoubleAdder total = new DoubleAdder();
        double half = beta / 2.0;
        Parallel.forRange(planes, (long) h * w * 8, (from, to) -> {
            double s = 0;
            for (int pl = from; pl < to; pl++) {
                int o = pl * h * w;
                for (int i = 0; i < h - 1; i++) {
                    for (int j = 0; j < w - 1; j++) {
                        int p = o + i * w + j;
                        double dr = x[p + 1] - x[p], dd = x[p + w] - x[p];
                        double q = dr * dr + dd * dd + eps;
                        s += half == 1.0 ? q : Math.pow(q, half);
                    }
                }
            }
            total.add(s);
        });
        return total.sum();
    }

    static void totalVariationBackward(float[] x, int planes, int h, int w, float beta, float eps, float dy, float[] dx) {
        double half = beta / 2.0;
        // Each plane writes only to its own part of dx, so planes run in parallel safely.
        Parallel.forRange(planes, (long) h * w * 8, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int o = pl * h * w;
                for (int i = 0; i < h - 1; i++) {
                    for (int j = 0; j < w - 1; j++) {
                        int p = o + i * w + j;
                        double dr = x[p + 1] - x[p], dd = x[p + w] - x[p];
                        double q = dr * dr + dd * dd + eps;
                        // d/dd q^(beta/2) = (beta/2) q^(beta/2-1) * 2 d
                        double f = dy * beta * (half == 1.0 ? 1.0 : Math.pow(q, half - 1.0));
                        dx[p] -= (float) (f * (dr + dd));
                        dx[p + 1] += (float) (f * dr);
                        dx[p + w] += (float) (f * dd);
                    }
                }
            }
        });
    }

    static void clampChannels(float[] x, int n, int c, int hw, float[] lo, float[] hi) {
        Parallel.forRange(n * c, hw, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                float l = lo[pl % c], u = hi[pl % c];
                for (int i = pl * hw; i < (pl + 1) * hw; i++) {
                    x[i] = Math.min(Math.max(x[i], l), u);
                }
            }
        });
    }

    static void roll(float[] x, int planes, int h, int w, int shiftY, int shiftX, float[] y) {
        int sy = Math.floorMod(shiftY, h), sx = Math.floorMod(shiftX, w);
        Parallel.forRange(planes, (long) h * w, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int o = pl * h * w;
                for (int i = 0; i < h; i++) {
                    int di = (i + sy) % h;
                    for (int j = 0; j < w; j++) {
                        y[o + di * w + (j + sx) % w] = x[o + i * w + j];
                    }
                }
            }
        });
    }

    static void cropWindow(float[] x, int planes, int h, int w, int y0, int x0, int th, int tw, float[] out) {
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < th; i++) {
                System.arraycopy(x, pl * h * w + (y0 + i) * w + x0, out, (pl * th + i) * tw, tw);
            }
        }
    }

    static void addWindow(float[] t, int planes, int th, int tw, float[] x, int h, int w, int y0, int x0) {
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < th; i++) {
                int src = (pl * th + i) * tw, dst = pl * h * w + (y0 + i) * w + x0;
                for (int j = 0; j < tw; j++) {
                    x[dst + j] += t[src + j];
                }
            }
        }
    }
}
