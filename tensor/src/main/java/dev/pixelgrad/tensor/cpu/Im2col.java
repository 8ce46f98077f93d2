package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;

/**
 * Unfolds one image so a convolution becomes a matrix product, and folds it back, a range of
 * output pixels [p0, p0 + pc) at a time so the column buffer stays bounded.
 * <pre>cols: (C R S) rows x pc columns: cols[(c,r,s)][q] = x[c][i sh + r - ph][j sw + s - pw], (i, j) = pixel p0 + q</pre>
 */
final class Im2col {
    private Im2col() {
    }

    static void unfold(ConvGeometry g, float[] x, int offX, int p0, int pc, float[] cols) {
        int ow = g.outW();
        Parallel.forRange(g.c() * g.r() * g.s(), pc, (from, to) -> {
            for (int row = from; row < to; row++) {
                int c = row / (g.r() * g.s()), r = row / g.s() % g.r(), s = row % g.s();
                int base = row * pc;
                for (int q = 0; q < pc; q++) {
                    int i = (p0 + q) / ow, j = (p0 + q) % ow;
                    int yi = i * g.strideH() + r - g.padH(), xj = j * g.strideW() + s - g.padW();
                    cols[base + q] = yi >= 0 && yi < g.h() && xj >= 0 && xj < g.w()
                            ? x[offX + (c * g.h() + yi) * g.w() + xj] : 0f;
                }
            }
        });
    }

    /** dx[image] += fold(dcols): the adjoint of {@link #unfold}. */
    static void foldAdd(ConvGeometry g, float[] dcols, int p0, int pc, float[] dx, int offX) {
        int ow = g.outW(), rs = g.r() * g.s();
        // Each channel's rows touch only that channel of dx, so channels run in parallel safely.
        Parallel.forRange(g.c(), (long) rs * pc, (from, to) -> {
            for (int c = from; c < to; c++) {
                for (int r = 0; r < g.r(); r++) {
                    for (int s = 0; s < g.s(); s++) {
                        int base = ((c * g.r() + r) * g.s() + s) * pc;
                        for (int q = 0; q < pc; q++) {
                            int i = (p0 + q) / ow, j = (p0 + q) % ow;
                            int yi = i * g.strideH() + r - g.padH(), xj = j * g.strideW() + s - g.padW();
                            if (yi >= 0 && yi < g.h() && xj >= 0 && xj < g.w()) {
                                dx[offX + (c * g.h() + yi) * g.w() + xj] += dcols[base + q];
                            }
                        }
                    }
                }
            }
        });
    }
}
