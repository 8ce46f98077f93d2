package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.PoolGeometry;

/** Max and average pooling over (N C) planes in parallel. x: (N, C, H, W)  y: (N, C, outH, outW). */
final class Pooling {
    private Pooling() {
    }

    static void maxForward(PoolGeometry g, float[] x, float[] y) {
        if (g.isVggWindow()) {
            maxForward2x2(g, x, y);
            return;
        }
        int oh = g.outH(), ow = g.outW(), planeX = g.h() * g.w(), planeY = oh * ow;
        Parallel.forRange(g.n() * g.c(), (long) planeY * g.kernelH() * g.kernelW(), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        y[pl * planeY + i * ow + j] = x[pl * planeX + argmax(g, x, pl * planeX, i, j)];
                    }
                }
            }
        });
    }

    /**
     * The 2x2 case without bounds tests or branches: Math.max returns NaN when either value is NaN,
     * as the general path does, and the value of the first maximum otherwise (ties of +0 and -0 aside).
     */
    private static void maxForward2x2(PoolGeometry g, float[] x, float[] y) {
        int oh = g.outH(), ow = g.outW(), w = g.w(), planeX = g.h() * w, planeY = oh * ow;
        Parallel.forRange(g.n() * g.c(), (long) planeY * 4, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                for (int i = 0; i < oh; i++) {
                    int top = pl * planeX + 2 * i * w, out = pl * planeY + i * ow;
                    for (int j = 0; j < ow; j++) {
                        int a = top + 2 * j;
                        y[out + j] = Math.max(Math.max(x[a], x[a + 1]), Math.max(x[a + w], x[a + w + 1]));
                    }
                }
            }
        });
    }

    /** Offset within the plane of the first maximum of window (i, j); scans rows then columns like PyTorch. */
    static int argmax(PoolGeometry g, float[] x, int planeOff, int i, int j) {
        int best = -1;
        float bestV = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < g.kernelH(); r++) {
            int yi = i * g.strideH() - g.padH() + r;
            if (yi < 0 || yi >= g.h()) {
                continue;
            }
            for (int s = 0; s < g.kernelW(); s++) {
                int xj = j * g.strideW() - g.padW() + s;
                if (xj < 0 || xj >= g.w()) {
                    continue;
                }
                float v = x[planeOff + yi * g.w() + xj];
                if (best < 0 || v > bestV || Float.isNaN(v)) {
                    best = yi * g.w() + xj;
                    bestV = v;
                    if (Float.isNaN(v)) {
                        return best;
                    }
                }
            }
        }
        return best;
    }

    static void maxBackward(PoolGeometry g, float[] x, float[] dy, float[] dx) {
        if (g.isVggWindow()) {
            maxBackward2x2(g, x, dy, dx);
            return;
        }
        int oh = g.outH(), ow = g.outW(), planeX = g.h() * g.w(), planeY = oh * ow;
        Parallel.forRange(g.n() * g.c(), (long) planeY * g.kernelH() * g.kernelW(), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        dx[pl * planeX + argmax(g, x, pl * planeX, i, j)] += dy[pl * planeY + i * ow + j];
                    }
                }
            }
        });
    }

    /**
     * The 2x2 case: each window's gradient goes to its first maximum, or to its first NaN, found
     * in the order of {@link #argmax} without its bounds tests (a NaN is the only value that is
     * not equal to itself; once one is taken, no later value replaces it).
     */
    private static void maxBackward2x2(PoolGeometry g, float[] x, float[] dy, float[] dx) {
        int oh = g.outH(), ow = g.outW(), w = g.w(), planeX = g.h() * w, planeY = oh * ow;
        Parallel.forRange(g.n() * g.c(), (long) planeY * 4, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                for (int i = 0; i < oh; i++) {
                    int top = pl * planeX + 2 * i * w, out = pl * planeY + i * ow;
                    for (int j = 0; j < ow; j++) {
                        int a = top + 2 * j, best = a;
                        float v = x[a];
                        best = takes(x[a + 1], v) ? a + 1 : best;
                        v = x[best];
                        best = takes(x[a + w], v) ? a + w : best;
                        v = x[best];
                        best = takes(x[a + w + 1], v) ? a + w + 1 : best;
                        dx[best] += dy[out + j];
                    }
                }
            }
        });
    }

    /** Whether the scan moves from a window's best value so far to candidate c. */
    private static boolean takes(float c, float best) {
        return best == best && (c > best || c != c);
    }

    static void avgForward(PoolGeometry g, float[] x, float[] y) {
        int oh = g.outH(), ow = g.outW(), planeX = g.h() * g.w(), planeY = oh * ow;
        float inv = 1f / (g.kernelH() * g.kernelW());
        Parallel.forRange(g.n() * g.c(), (long) planeY * g.kernelH() * g.kernelW(), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float sum = 0;
                        for (int r = 0; r < g.kernelH(); r++) {
                            int yi = i * g.strideH() - g.padH() + r;
                            if (yi < 0 || yi >= g.h()) {
                                continue;
                            }
                            for (int s = 0; s < g.kernelW(); s++) {
                                int xj = j * g.strideW() - g.padW() + s;
                                if (xj >= 0 && xj < g.w()) {
                                    sum += x[pl * planeX + yi * g.w() + xj];
                                }
                            }
                        }
                        y[pl * planeY + i * ow + j] = sum * inv;
                    }
                }
            }
        });
    }

    static void avgBackward(PoolGeometry g, float[] dy, float[] dx) {
        int oh = g.outH(), ow = g.outW(), planeX = g.h() * g.w(), planeY = oh * ow;
        float inv = 1f / (g.kernelH() * g.kernelW());
        Parallel.forRange(g.n() * g.c(), (long) planeY * g.kernelH() * g.kernelW(), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float d = dy[pl * planeY + i * ow + j] * inv;
                        for (int r = 0; r < g.kernelH(); r++) {
                            int yi = i * g.strideH() - g.padH() + r;
                            if (yi < 0 || yi >= g.h()) {
                                continue;
                            }
                            for (int s = 0; s < g.kernelW(); s++) {
                                int xj = j * g.strideW() - g.padW() + s;
                                if (xj >= 0 && xj < g.w()) {
                                    dx[pl * planeX + yi * g.w() + xj] += d;
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
