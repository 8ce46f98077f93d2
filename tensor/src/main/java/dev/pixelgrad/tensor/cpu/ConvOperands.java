package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;

import static dev.pixelgrad.tensor.cpu.MicroKernel.MR;
import static dev.pixelgrad.tensor.cpu.MicroKernel.NR;

/**
 * The matrices of a convolution as GEMM operands that are never stored whole.
 * <pre>
 * x: (C, H, W) of one image   w: (K, C, R, S)
 * columns (C R S x P, P = outH outW): cols[(c,r,s)][(i,j)] = x[c][i sh + r - ph][j sw + s - pw], 0 outside
 * transposed columns (P x C R S):      cols^T, the right operand of dw = dy cols^T
 * rotated (C x K R S):                 rot[c][(k,r,s)] = w[k][c][R-1-r][S-1-s]
 * </pre>
 */
final class ConvOperands {
    private ConvOperands() {
    }

    /**
     * The im2col matrix of one image, generated straight into packed B slivers (implicit GEMM):
     * no column buffer, and each element is written once per product.
     */
    record Columns(ConvGeometry g, float[] x, int offX) implements Operand {

        @Override
        public void packRight(int p0, int kc, int j0, int nc, float[] dst, int off) {
            int outW = g.outW(), rs = g.r() * g.s();
            int[] runs = Workspace.get().runs;
            for (int sl = 0; sl * NR < nc; sl++) {
                int base = off + sl * NR * kc, j = j0 + sl * NR, cols = Math.min(NR, nc - sl * NR);
                // Split the sliver's pixels into runs along one output row: along a run the
                // source pixels are evenly spaced in one input row.
                int count = 0;
                for (int jj = 0; jj < cols; ) {
                    int pix = j + jj, oy = pix / outW, ox = pix % outW, len = Math.min(cols - jj, outW - ox);
                    runs[4 * count] = jj;
                    runs[4 * count + 1] = oy;
                    runs[4 * count + 2] = ox;
                    runs[4 * count + 3] = len;
                    count++;
                    jj += len;
                }
                int row = p0, c = row / rs, r = row / g.s() % g.r(), s = row % g.s();
                for (int p = 0; p < kc; p++) {
                    int d = base + p * NR;
                    for (int q = 0; q < count; q++) {
                        copyRun(c, r, s, runs[4 * q + 1], runs[4 * q + 2], runs[4 * q + 3], dst, d + runs[4 * q]);
                    }
                    if (cols < NR) {
                        java.util.Arrays.fill(dst, d + cols, d + NR, 0f);
                    }
                    if (++s == g.s()) {
                        s = 0;
                        if (++r == g.r()) {
                            r = 0;
                            c++;
                        }
                    }
                }
            }
        }

        /** dst[d : d+len] = x[c][oy sh + r - ph][(ox + t) sw + s - pw] for t < len, zero outside x. */
        private void copyRun(int c, int r, int s, int oy, int ox, int len, float[] dst, int d) {
            int iy = oy * g.strideH() + r - g.padH();
            if (iy < 0 || iy >= g.h()) {
                java.util.Arrays.fill(dst, d, d + len, 0f);
                return;
            }
            int src = offX + (c * g.h() + iy) * g.w(), ix = ox * g.strideW() + s - g.padW();
            if (g.strideW() == 1) {
                // Zeros left of the image, a plain copy, zeros right of it.
                int lead = Math.min(len, Math.max(0, -ix));
                int body = Math.max(0, Math.min(len, g.w() - ix) - lead);
                java.util.Arrays.fill(dst, d, d + lead, 0f);
                if (body > 0) {
                    System.arraycopy(x, src + ix + lead, dst, d + lead, body);
                }
                java.util.Arrays.fill(dst, d + lead + body, d + len, 0f);
                return;
            }
            for (int t = 0; t < len; t++, ix += g.strideW()) {
                dst[d + t] = ix >= 0 && ix < g.w() ? x[src + ix] : 0f;
            }
        }
    }

    /**
     * cols(x)^T of one image, generated straight into packed B slivers for the weight gradient
     * dw = dy cols^T: the depth of the product runs over pixels, its columns over (c, r, s).
     */
    record TransposedColumns(ConvGeometry g, float[] x, int offX) implements Operand {

        @Override
        public void packRight(int p0, int kc, int j0, int nc, float[] dst, int off) {
            int rs = g.r() * g.s();
            for (int sl = 0; sl * NR < nc; sl++) {
                int base = off + sl * NR * kc, cols = Math.min(NR, nc - sl * NR);
                for (int jj = 0; jj < cols; jj++) {
                    int row = j0 + sl * NR + jj;
                    packRow(row / rs, row / g.s() % g.r(), row % g.s(), p0, kc, dst, base + jj);
                }
                for (int jj = cols; jj < NR; jj++) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + jj] = 0f;
                    }
                }
            }
        }

        /** dst[d + q NR] = cols[(c,r,s)][p0 + q] for q < kc, run by run along the output rows. */
        private void packRow(int c, int r, int s, int p0, int kc, float[] dst, int d) {
            int outW = g.outW(), sw = g.strideW();
            for (int q = 0; q < kc; ) {
                int pix = p0 + q, oy = pix / outW, ox = pix % outW, len = Math.min(kc - q, outW - ox);
                int iy = oy * g.strideH() + r - g.padH(), ix = ox * sw + s - g.padW();
                int at = d + q * NR;
                if (iy < 0 || iy >= g.h()) {
                    for (int t = 0; t < len; t++) {
                        dst[at + t * NR] = 0f;
                    }
                } else {
                    int src = offX + (c * g.h() + iy) * g.w();
                    for (int t = 0; t < len; t++, ix += sw) {
                        dst[at + t * NR] = ix >= 0 && ix < g.w() ? x[src + ix] : 0f;
                    }
                }
                q += len;
            }
        }
    }

    /**
     * rot[c][k][r][s] = w[k][c][R-1-r][S-1-s]: g's weights (K, C, R, S) as those of the forward
     * convolution that is g's backward to the data, (C, K, R, S), written out.
     */
    static float[] rotatedWeights(ConvGeometry g, float[] w) {
        int kk = g.k(), c = g.c(), rr = g.r(), ss = g.s();
        float[] rot = new float[kk * c * rr * ss];
        for (int k = 0; k < kk; k++) {
            for (int ci = 0; ci < c; ci++) {
                for (int r = 0; r < rr; r++) {
                    for (int s = 0; s < ss; s++) {
                        rot[((ci * kk + k) * rr + r) * ss + s] = w[((k * c + ci) * rr + rr - 1 - r) * ss + ss - 1 - s];
                    }
                }
            }
        }
        return rot;
    }

    /**
     * The weights rotated by 180 degrees with input and output channels swapped: for stride 1,
     * dx = conv(dy, rot) with padding R-1-pad, a forward convolution.
     */
    record Rotated(ConvGeometry g, float[] w) implements Operand {

        @Override
        public void packLeft(int i0, int mc, int p0, int kc, float[] dst, int off) {
            int c = g.c(), rr = g.r(), ss = g.s(), rs = rr * ss;
            for (int sl = 0; sl * MR < mc; sl++) {
                int base = off + sl * MR * kc, i = i0 + sl * MR, rows = Math.min(MR, mc - sl * MR);
                int col = p0, k = col / rs, r = col / ss % rr, s = col % ss;
                for (int p = 0; p < kc; p++) {
                    // Neighbouring input channels c are R S apart in w.
                    int src = ((k * c + i) * rr + (rr - 1 - r)) * ss + (ss - 1 - s), d = base + p * MR;
                    for (int ii = 0; ii < rows; ii++) {
                        dst[d + ii] = w[src + ii * rs];
                    }
                    for (int ii = rows; ii < MR; ii++) {
                        dst[d + ii] = 0f;
                    }
                    if (++s == ss) {
                        s = 0;
                        if (++r == rr) {
                            r = 0;
                            k++;
                        }
                    }
                }
            }
        }
    }
}
