package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.WindowGeometry;

import java.util.concurrent.atomic.DoubleAdder;

/** Total variation, windows (crop, roll) and per-channel clamping, over planes of h x w. */
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

    /** y = min(max(x, lo[ch]), hi[ch]) per plane of hw; y may be x. */
    static void clampChannels(float[] x, int n, int c, int hw, float[] lo, float[] hi, float[] y) {
        Parallel.forRange(n * c, hw, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                float l = lo[pl % c], u = hi[pl % c];
                for (int i = pl * hw; i < (pl + 1) * hw; i++) {
                    y[i] = Math.min(Math.max(x[i], l), u);
                }
            }
        });
    }

    /**
     * The window of {@code g} between the plane buffer {@code x} and the window buffer {@code t}:
     * t = window(x), or x[window] += t when {@code addBack}. Each window row is at most two runs of
     * the source row (before and after wrapping at the right edge).
     */
    static void window(WindowGeometry g, float[] x, float[] t, boolean addBack) {
        int h = g.h(), w = g.w(), th = g.windowH(), tw = g.windowW();
        int firstRun = Math.min(tw, w - g.x0());
        Parallel.forRange(g.planes(), (long) th * tw, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                for (int i = 0; i < th; i++) {
                    int row = pl * h * w + ((g.y0() + i) % h) * w, out = (pl * th + i) * tw;
                    copyOrAddRun(x, row + g.x0(), t, out, firstRun, addBack);
                    copyOrAddRun(x, row, t, out + firstRun, tw - firstRun, addBack);
                }
            }
        });
    }

    private static void copyOrAddRun(float[] x, int xOff, float[] t, int tOff, int len, boolean addBack) {
        if (!addBack) {
            System.arraycopy(x, xOff, t, tOff, len);
            return;
        }
        for (int j = 0; j < len; j++) {
            x[xOff + j] += t[tOff + j];
        }
    }
}
