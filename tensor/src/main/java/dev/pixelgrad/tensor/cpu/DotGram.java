package dev.pixelgrad.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.pixelgrad.tensor.cpu.MicroKernel.L;
import static dev.pixelgrad.tensor.cpu.MicroKernel.SPECIES;

/**
 * Gram matrices of few channels over many positions (early VGG layers: 64 x 512²) as dot
 * products along the rows of F, without packing:
 * <pre>G[i][j] = alpha sum_p F[i][p] F[j][p]     F: (c, m) row-major, G: (c, c)</pre>
 * A 4 x 4 block of G keeps 16 vector accumulators while it streams 8 rows of F; positions are
 * taken in chunks short enough that all c rows of a chunk stay in the L2 cache while every block
 * of the upper triangle reads them. The packed GEMM would copy F twice (once transposed) for a
 * product this thin, which costs as much as the arithmetic.
 */
final class DotGram {
    /** Rows of F per block side. */
    static final int B = 4;
    /** Positions per pass: c rows x CHUNK floats stay in L2 for c up to 128. */
    static final int CHUNK = 1024;

    private DotGram() {
    }

    /** Whether this shape suits dot products better than the packed GEMM. */
    static boolean suits(int c, int m) {
        return c <= 128 && m >= 16 * CHUNK;
    }

    static void gram(float[] f, int offF, int c, int m, float alpha, float[] g, int offG) {
        int chunks = Gemm.ceilDiv(m, CHUNK);
        int parts = Math.min(Parallel.threads(), chunks);
        float[][] partial = new float[parts][];
        Parallel.forTasks(parts, t -> {
            // Task-owned sums: one pool thread may run several parts.
            float[] sum = new float[c * c];
            float[] acc = new float[B * B * L];
            int p0 = Gemm.split(chunks, parts, t) * CHUNK, p1 = Math.min(m, Gemm.split(chunks, parts, t + 1) * CHUNK);
            for (int p = p0; p < p1; p += CHUNK) {
                int len = Math.min(CHUNK, p1 - p);
                for (int i0 = 0; i0 < c; i0 += B) {
                    for (int j0 = i0; j0 < c; j0 += B) {
                        block(f, offF, c, m, i0, j0, p, len, acc, sum);
                    }
                }
            }
            partial[t] = sum;
        });
        for (int i = 0; i < c; i++) {
            for (int j = i; j < c; j++) {
                float s = 0;
                for (float[] part : partial) {
                    s += part[i * c + j];
                }
                g[offG + i * c + j] = alpha * s;
                g[offG + j * c + i] = alpha * s;
            }
        }
    }

    /** sum[i0.., j0..] += the 4 x 4 block of F F^T over positions [p, p + len). */
    private static void block(float[] f, int offF, int c, int m, int i0, int j0, int p, int len,
                              float[] acc, float[] sum) {
        // Rows past the last channel repeat it; their results are dropped below.
        int a0 = offF + Math.min(i0, c - 1) * m + p, a1 = offF + Math.min(i0 + 1, c - 1) * m + p,
                a2 = offF + Math.min(i0 + 2, c - 1) * m + p, a3 = offF + Math.min(i0 + 3, c - 1) * m + p;
        int b0 = offF + Math.min(j0, c - 1) * m + p, b1 = offF + Math.min(j0 + 1, c - 1) * m + p,
                b2 = offF + Math.min(j0 + 2, c - 1) * m + p, b3 = offF + Math.min(j0 + 3, c - 1) * m + p;
        int vec = len - len % L;
        dots(f, a0, a1, a2, a3, b0, b1, b2, b3, vec, acc);
        for (int u = 0; u < B && i0 + u < c; u++) {
            int au = offF + (i0 + u) * m + p;
            for (int v = 0; v < B && j0 + v < c; v++) {
                int bv = offF + (j0 + v) * m + p;
                float s = 0;
                for (int l = 0; l < L; l++) {
                    s += acc[(u * B + v) * L + l];
                }
                for (int q = vec; q < len; q++) {
                    s += f[au + q] * f[bv + q];
                }
                sum[(i0 + u) * c + j0 + v] += s;
            }
        }
    }

    /**
     * acc[(u B + v) L ..] = lane-wise sums of a_u * b_v over the first n positions. Only the FMA
     * loop and the stores live here, so C2 keeps all 16 accumulators in vector registers.
     */
    private static void dots(float[] f, int a0, int a1, int a2, int a3, int b0, int b1, int b2, int b3,
                             int n, float[] acc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00,
                c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00,
                c32 = c00, c33 = c00;
        for (int q = 0; q < n; q += L) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, f, a0 + q), x1 = FloatVector.fromArray(SPECIES, f, a1 + q),
                    x2 = FloatVector.fromArray(SPECIES, f, a2 + q), x3 = FloatVector.fromArray(SPECIES, f, a3 + q);
            FloatVector y0 = FloatVector.fromArray(SPECIES, f, b0 + q), y1 = FloatVector.fromArray(SPECIES, f, b1 + q),
                    y2 = FloatVector.fromArray(SPECIES, f, b2 + q), y3 = FloatVector.fromArray(SPECIES, f, b3 + q);
            c00 = x0.fma(y0, c00);
            c01 = x0.fma(y1, c01);
            c02 = x0.fma(y2, c02);
            c03 = x0.fma(y3, c03);
            c10 = x1.fma(y0, c10);
            c11 = x1.fma(y1, c11);
            c12 = x1.fma(y2, c12);
            c13 = x1.fma(y3, c13);
            c20 = x2.fma(y0, c20);
            c21 = x2.fma(y1, c21);
            c22 = x2.fma(y2, c22);
            c23 = x2.fma(y3, c23);
            c30 = x3.fma(y0, c30);
            c31 = x3.fma(y1, c31);
            c32 = x3.fma(y2, c32);
            c33 = x3.fma(y3, c33);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c02.intoArray(acc, 2 * L);
        c03.intoArray(acc, 3 * L);
        c10.intoArray(acc, 4 * L);
        c11.intoArray(acc, 5 * L);
        c12.intoArray(acc, 6 * L);
        c13.intoArray(acc, 7 * L);
        c20.intoArray(acc, 8 * L);
        c21.intoArray(acc, 9 * L);
        c22.intoArray(acc, 10 * L);
        c23.intoArray(acc, 11 * L);
        c30.intoArray(acc, 12 * L);
        c31.intoArray(acc, 13 * L);
        c32.intoArray(acc, 14 * L);
        c33.intoArray(acc, 15 * L);
    }
}
