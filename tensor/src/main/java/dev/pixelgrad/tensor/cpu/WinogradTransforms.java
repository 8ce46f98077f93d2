package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;

import java.util.Arrays;

import static dev.pixelgrad.tensor.cpu.MicroKernel.L;

/**
 * The per-chunk transforms of {@link Winograd}: the input tiles into V (B^T d B) and the products
 * M back into output tiles (A^T M A), as vector streams over a chunk's tiles.
 * <pre>
 * V[xi][c][t]   xi &lt; a^2, channel c, tile t of the chunk: column (th - th0) S + tw, S = tilesW + 1
 * M[xi][k][t]   the same columns, k an output channel; rows ld floats apart
 * </pre>
 */
final class WinogradTransforms {
    private WinogradTransforms() {
    }

    /**
     * V[xi][c][t] = (B^T d B)[xi] for channels [c0, c1) and tile rows [th0, th1), one channel at a
     * time, in vector streams over the chunk. The input rows are first split by phase, column
     * tw m + ph of a row to xd[ph][row][tw] (so the tiles of a row sit side by side), then
     * transformed across (h = d B: term j of a tile is phase j % m of tile tw + j / m), then down
     * (V = B^T h, tile row by tile row).
     */
    static void input(Winograd.Tile tile, ConvGeometry g, float[] x, int offX, int th0, int th1, int tilesW,
                               int c0, int c1, float[] v, int ld) {
        int m = tile.m(), a = tile.alpha(), h = g.h(), w = g.w(), padW = g.padW();
        float[][] bt = tile.bt();
        int stride = tilesW + 1, nRows = th1 - th0, inRows = nRows * m + a - m;
        int plane = Gemm.roundUp(inRows * stride, L) + L, padded = stride * m + a;
        // Tile rows narrower than a vector: each one's vector write overlaps the next one's.
        boolean staged = stride < L;
        int stageStep = ld + L;
        float[] s = Workspace.get().winogradScratch((long) (m + a) * plane + padded + (staged ? a * stageStep : 0));
        int xd = 0, hOff = m * plane, row = hOff + a * plane, stage = row + padded;
        int[] across = new int[a], down = new int[a];
        for (int j = 0; j < a; j++) {
            across[j] = j % m * plane + j / m;
            down[j] = j * stride;
        }
        TransformRows acrossRows = TransformRows.of(bt, across), downRows = TransformRows.of(bt, down);
        for (int ph = 0; ph < m; ph++) {
            // Read by the sums of the spare columns only; zeros keep them finite.
            Arrays.fill(s, xd + ph * plane + inRows * stride, xd + (ph + 1) * plane, 0f);
        }
        for (int c = c0; c < c1; c++) {
            for (int rr = 0; rr < inRows; rr++) {
                // One input row, zero-padded (column u holds x column u - padW), then split by phase.
                int iy = th0 * m - g.padH() + rr;
                if (iy >= 0 && iy < h) {
                    int copied = Math.min(w, padded - padW);
                    Arrays.fill(s, row, row + padW, 0f);
                    System.arraycopy(x, offX + (c * h + iy) * w, s, row + padW, copied);
                    Arrays.fill(s, row + padW + copied, row + padded, 0f);
                } else {
                    Arrays.fill(s, row, row + padded, 0f);
                }
                Interleave.split(s, row, m, stride, s, xd + rr * stride, plane);
            }
            acrossRows.apply(s, xd, plane - L, s, hOff, plane);
            int vc = c * ld, pStep = a * g.c() * ld;
            for (int q = 0; q < a; q++) {
                int dst = q * g.c() * ld + vc;
                if (staged) {
                    // Overlapping writes in the scratch (in L1), then one copy into V: written
                    // straight into V, whose planes lie far apart, they cost twice as much.
                    for (int t = 0; t < nRows; t++) {
                        downRows.apply(s, hOff + q * plane + t * m * stride, L, s, stage + t * stride, stageStep);
                    }
                    for (int p = 0; p < a; p++) {
                        System.arraycopy(s, stage + p * stageStep, v, dst + p * pStep, nRows * stride);
                    }
                } else {
                    for (int t = 0; t < nRows; t++) {
                        downRows.apply(s, hOff + q * plane + t * m * stride, Gemm.roundUp(stride, L), v, dst + t * stride, pStep);
                    }
                }
            }
        }
    }

    /**
     * y[k] (+)= A^T M[.][k][t] A + b[k] for output channels [k0, k1) and tile rows [th0, th1), one
     * channel at a time, in vector streams over the chunk (first down: z = A^T M, then across:
     * A^T M A = z A), the m x m results then written to their place in y, cut at the image's edge.
     */
    static void output(Winograd.Tile tile, ConvGeometry g, float[] mm, int ld, int th0, int th1, int tilesW,
                                int k0, int k1, float[] bias, float[] y, int offY, boolean accumulate) {
        int m = tile.m(), a = tile.alpha(), outH = g.outH(), outW = g.outW(), k = g.k();
        float[][] at = tile.at();
        int stride = tilesW + 1, len = Gemm.roundUp((th1 - th0) * stride, L);
        float[] s = Workspace.get().winogradScratch((long) (a + m) * m * len);
        int zOff = 0, oOff = a * m * len;
        int[] down = new int[a], across = new int[a];
        for (int e = 0; e < a; e++) {
            down[e] = e * a * k * ld;
            across[e] = e * len;
        }
        TransformRows downRows = TransformRows.of(at, down), acrossRows = TransformRows.of(at, across);
        // Whole tiles along a row; the last one may stick out of the image.
        int full = outW / m;
        int[] mergeIndex = Interleave.mergeIndex(m, len);
        for (int kk = k0; kk < k1; kk++) {
            float b = bias == null ? 0f : bias[kk];
            for (int q = 0; q < a; q++) {
                // z[i][q] = sum_p at[i][p] M[p a + q][kk]
                downRows.apply(mm, (q * k + kk) * ld, len, s, zOff + q * len, a * len);
            }
            for (int i = 0; i < m; i++) {
                // out[i][j] = sum_q at[j][q] z[i][q]
                acrossRows.apply(s, zOff + i * a * len, len, s, oOff + i * m * len, len);
            }
            for (int th = th0; th < th1; th++) {
                for (int i = 0; i < m && th * m + i < outH; i++) {
                    int dst = offY + (kk * outH + th * m + i) * outW, src = oOff + i * m * len + (th - th0) * stride;
                    Interleave.merge(s, src, len, m, full, b, mergeIndex, y, dst, accumulate);
                    for (int j = 0; full < tilesW && full * m + j < outW; j++) {
                        int last = dst + full * m + j;
                        y[last] = (accumulate ? y[last] : 0f) + s[src + j * len + full] + b;
                    }
                }
            }
        }
    }
}
