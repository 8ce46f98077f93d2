package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;

/**
 * Folds explicit columns back into an image (the backward to the data of a strided convolution),
 * a range of output pixels [p0, p0 + pc) at a time so the column buffer stays bounded. The
 * columns themselves are packed straight from x ({@link ConvOperands}).
 * <pre>cols: (C R S) rows x pc columns: cols[(c,r,s)][q] = x[c][i sh + r - ph][j sw + s - pw], (i, j) = pixel p0 + q</pre>
 */
final class Im2col {
    private Im2col() {
    }

    /** dx[image] += fold(dcols): the adjoint of unfolding x into columns. */
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
