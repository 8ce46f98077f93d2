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
        int ow = g.outW(), rs = g.r() * g.s();
        Parallel.forRange(g.c() * rs, pc, (from, to) -> {
            for (int row = from; row < to; row++) {
                int c = row / rs, r = row / g.s() % g.r(), s = row % g.s();
                // Along one output row the sources are evenly spaced in one input row: copy run by run.
                for (int q = 0; q < pc; ) {
                    int i = (p0 + q) / ow, j = (p0 + q) % ow, len = Math.min(pc - q, ow - j);
                    unfoldRun(g, x, offX, c, i * g.strideH() + r - g.padH(), j * g.strideW() + s - g.padW(),
                            len, cols, row * pc + q);
                    q += len;
                }
            }
        });
    }

    /** cols[d : d+len] = x[c][yi][xj + t sw] for t < len, zero outside x. */
    private static void unfoldRun(ConvGeometry g, float[] x, int offX, int c, int yi, int xj, int len, float[] cols, int d) {
        if (yi < 0 || yi >= g.h()) {
            java.util.Arrays.fill(cols, d, d + len, 0f);
            return;
        }
        int src = offX + (c * g.h() + yi) * g.w();
        if (g.strideW() == 1) {
            int lead = Math.min(len, Math.max(0, -xj));
            int body = Math.max(0, Math.min(len, g.w() - xj) - lead);
            java.util.Arrays.fill(cols, d, d + lead, 0f);
            if (body > 0) {
                System.arraycopy(x, src + xj + lead, cols, d + lead, body);
            }
            java.util.Arrays.fill(cols, d + lead + body, d + len, 0f);
            return;
        }
        for (int t = 0; t < len; t++, xj += g.strideW()) {
            cols[d + t] = xj >= 0 && xj < g.w() ? x[src + xj] : 0f;
        }
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
