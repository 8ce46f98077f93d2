package dev.pixelgrad.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The innermost loop of the GEMM: one MR x NR tile of C from a packed sliver of A and one of B,
 * in two steps, {@link #multiply} into a tile of accumulators, then {@link #store} into C.
 * <pre>
 * a:   kc steps of MR floats (column p of the A sliver at a[ai + p MR])
 * b:   kc steps of NR floats (row p of the B sliver at b[bi + p NR])
 * acc: MR x NR row-major;  acc = sum_p a_p b_p^T
 * c:   row-major with leading dimension ldc;  C = alpha acc + beta C
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

    /**
     * acc (MR x NR, row-major) = A_sliver B_sliver. The method holds nothing but the FMA loop and
     * the twelve stores: C2 stops inlining once a method's graph grows past a node budget, and a
     * Vector API call that is not inlined boxes its vectors on the heap (hundreds of times slower).
     * Scaling and adding into C happen in {@link #store}, a separate small method.
     */
    static void multiply(int kc, float[] a, int ai, float[] b, int bi, float[] acc) {
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
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c10.intoArray(acc, NR);
        c11.intoArray(acc, NR + L);
        c20.intoArray(acc, 2 * NR);
        c21.intoArray(acc, 2 * NR + L);
        c30.intoArray(acc, 3 * NR);
        c31.intoArray(acc, 3 * NR + L);
        c40.intoArray(acc, 4 * NR);
        c41.intoArray(acc, 4 * NR + L);
        c50.intoArray(acc, 5 * NR);
        c51.intoArray(acc, 5 * NR + L);
    }

    /**
     * C[ci..] = alpha acc + beta C over the valid mr x nr corner of the tile (beta 0: C is not
     * read, so C may hold NaN garbage). Full tiles go through vectors, ragged ones element by element.
     */
    static void store(float[] acc, float alpha, float beta, float[] c, int ci, int ldc, int mr, int nr) {
        if (nr == NR) {
            for (int i = 0; i < mr; i++) {
                storeRow(acc, i * NR, alpha, beta, c, ci + i * ldc);
                storeRow(acc, i * NR + L, alpha, beta, c, ci + i * ldc + L);
            }
            return;
        }
        for (int i = 0; i < mr; i++) {
            int row = ci + i * ldc;
            for (int j = 0; j < nr; j++) {
                float v = alpha * acc[i * NR + j];
                c[row + j] = beta == 0f ? v : beta * c[row + j] + v;
            }
        }
    }

    private static void storeRow(float[] acc, int ai, float alpha, float beta, float[] c, int ci) {
        FloatVector v = FloatVector.fromArray(SPECIES, acc, ai).mul(alpha);
        if (beta != 0f) {
            v = FloatVector.fromArray(SPECIES, c, ci).mul(beta).add(v);
        }
        v.intoArray(c, ci);
    }
}
