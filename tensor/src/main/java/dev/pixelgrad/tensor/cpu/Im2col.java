package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;

/**
 * Unfolds one image so a convolution becomes a matrix product, and folds it back.
 * cols has (C R S) rows and (outH outW) columns: cols[(c,r,s)][(i,j)] = x[c][i*sh + r - ph][j*sw + s - pw].
 */
final class Im2col {
    private Im2col() {
    }

    static void unfold(ConvGeometry g, float[] x, int offX, float[] cols) {
        int oh = g.outH(), ow = g.outW(), p = oh * ow;
        Parallel.forRange(g.c() * g.r() * g.s(), p, (from, to) -> {
            for (int row = from; row < to; row++) {
                int c = row / (g.r() * g.s()), r = row / g.s() % g.r(), s = row % g.s();
                int base = row * p;
                for (int i = 0; i < oh; i++) {
                    int yi = i * g.strideH() + r - g.padH();
                    int dst = base + i * ow;
                    if (yi < 0 || yi >= g.h()) {
                        java.util.Arrays.fill(cols, dst, dst + ow, 0f);
                        continue;
                    }
                    int src = offX + (c * g.h() + yi) * g.w();
                    for (int j = 0; j < ow; j++) {
                        int xj = j * g.strideW() + s - g.padW();
                        cols[dst + j] = xj >= 0 && xj < g.w() ? x[src + xj] : 0f;
                    }
                }
            }
        });
    }

    /** dx[image] += fold(dcols): the adjoint of {@link #unfold}. */
    static void foldAdd(ConvGeometry g, float[] dcols, float[] dx, int offX) {
        int oh = g.outH(), ow = g.outW(), p = oh * ow, rs = g.r() * g.s();
        // Each channel's rows touch only that channel of dx, so channels run in parallel safely.
        Parallel.forRange(g.c(), (long) rs * p, (from, to) -> {
            for (int c = from; c < to; c++) {
                for (int r = 0; r < g.r(); r++) {
                    for (int s = 0; s < g.s(); s++) {
                        int base = ((c * g.r() + r) * g.s() + s) * p;
                        for (int i = 0; i < oh; i++) {
                            int yi = i * g.strideH() + r - g.padH();
                            if (yi < 0 || yi >= g.h()) {
                                continue;
                            }
                            int dst = offX + (c * g.h() + yi) * g.w();
                            for (int j = 0; j < ow; j++) {
                                int xj = j * g.strideW() + s - g.padW();
                                if (xj >= 0 && xj < g.w()) {
                                    dx[dst + xj] += dcols[base + i * ow + j];
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
