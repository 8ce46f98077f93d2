package dev.pixelgrad.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The innermost loop of the GEMM: one MR x NR tile of C from a packed sliver of A and one of B.
 * <pre>
 * a: kc steps of MR floats (column p of the A sliver at a[ai + p MR])
 * b: kc steps of NR floats (row p of the B sliver at b[bi + p NR])
 * c: row-major with leading dimension ldc;  C = alpha sum_p a_p b_p^T + beta C
 * </pre>
 * Each step broadcasts the MR values of A and multiplies them into two vectors of B: 2 MR
 * independent FMA chains, enough to cover the FMA latency of both pipes, and all operands stay
 * in registers (2 MR + 3 of the 32 vector registers on AVX-512).
 */
final class MicroKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector (16 with AVX-512). */
    static final int L = SPECIES.length();
    /** Rows of a tile. */
    static final int MR = 6;
    /** Columns of a tile: two vectors. */
    static final int NR = 2 * L;

    private MicroKernel() {
    }

    /** C[ci..] = alpha A_sliver B_sliver + beta C for one full MR x NR tile (beta 0: C is not read). */
    static void tile(int kc, float[] a, int ai, float[] b, int bi, float alpha, float beta,
                     float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + L);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        store(c00, c01, alpha, beta, c, ci);
        store(c10, c11, alpha, beta, c, ci + ldc);
        store(c20, c21, alpha, beta, c, ci + 2 * ldc);
        store(c30, c31, alpha, beta, c, ci + 3 * ldc);
        store(c40, c41, alpha, beta, c, ci + 4 * ldc);
        store(c50, c51, alpha, beta, c, ci + 5 * ldc);
    }

    private static void store(FloatVector lo, FloatVector hi, float alpha, float beta, float[] c, int ci) {
        if (alpha != 1f) {
            lo = lo.mul(alpha);
            hi = hi.mul(alpha);
        }
        if (beta != 0f) {
            FloatVector clo = FloatVector.fromArray(SPECIES, c, ci);
            FloatVector chi = FloatVector.fromArray(SPECIES, c, ci + L);
            lo = beta == 1f ? lo.add(clo) : clo.mul(beta).add(lo);
            hi = beta == 1f ? hi.add(chi) : chi.mul(beta).add(hi);
        }
        lo.intoArray(c, ci);
        hi.intoArray(c, ci + L);
    }

    /**
     * A ragged tile (mr <= MR rows, nr <= NR columns): computed in full into the scratch tile
     * (the packed slivers are zero-padded), then only the valid part goes to C.
     */
    static void edgeTile(int kc, float[] a, int ai, float[] b, int bi, float alpha, float beta,
                         float[] c, int ci, int ldc, int mr, int nr, float[] scratch) {
        tile(kc, a, ai, b, bi, 1f, 0f, scratch, 0, NR);
        for (int i = 0; i < mr; i++) {
            int row = ci + i * ldc;
            for (int j = 0; j < nr; j++) {
                float v = alpha * scratch[i * NR + j];
                c[row + j] = beta == 0f ? v : beta * c[row + j] + v;
            }
        }
    }
}
