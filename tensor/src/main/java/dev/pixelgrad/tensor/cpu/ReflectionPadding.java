package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ReflectionPadGeometry;

import static dev.pixelgrad.tensor.ReflectionPadGeometry.reflect;

/**
 * Reflection padding over planes of h x w. Output row i copies input row reflect(i - top), and
 * every output row is three runs of its source row:
 * <pre>
 * columns   [0, left)              [left, left + w)     [left + w, outW)
 * source    left - j (mirrored)    j - left (a copy)    w - 2 - k for the k-th (mirrored)
 * </pre>
 * The backward walks the same runs and adds instead of copying. A plane's gradient is written by
 * one thread only, so planes run in parallel without races.
 */
final class ReflectionPadding {
    private ReflectionPadding() {
    }

    static void forward(ReflectionPadGeometry g, float[] x, float[] y) {
        int h = g.h(), w = g.w(), outH = g.outH(), outW = g.outW(), left = g.left(), right = g.right();
        Parallel.forRange(g.planes(), (long) outH * outW, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                for (int i = 0; i < outH; i++) {
                    int src = (pl * h + reflect(i, h, g.top())) * w, out = (pl * outH + i) * outW;
                    for (int j = 0; j < left; j++) {
                        y[out + j] = x[src + left - j];
                    }
                    System.arraycopy(x, src, y, out + left, w);
                    for (int k = 0, at = out + left + w; k < right; k++) {
                        y[at + k] = x[src + w - 2 - k];
                    }
                }
            }
        });
    }

    static void backward(ReflectionPadGeometry g, float[] dy, float[] dx) {
        // forward: y[i][j] = x[reflect(i - top)][reflect(j - left)]  =>  dx[source of (i, j)] += dy[i][j]
        int h = g.h(), w = g.w(), outH = g.outH(), outW = g.outW(), left = g.left(), right = g.right();
        Parallel.forRange(g.planes(), (long) outH * outW, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                for (int i = 0; i < outH; i++) {
                    int src = (pl * h + reflect(i, h, g.top())) * w, out = (pl * outH + i) * outW;
                    for (int j = 0; j < left; j++) {
                        dx[src + left - j] += dy[out + j];
                    }
                    for (int j = 0, at = out + left; j < w; j++) {
                        dx[src + j] += dy[at + j];
                    }
                    for (int k = 0, at = out + left + w; k < right; k++) {
                        dx[src + w - 2 - k] += dy[at + k];
                    }
                }
            }
        });
    }
}
