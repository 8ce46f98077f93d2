package dev.pixelgrad.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.pixelgrad.tensor.cpu.MicroKernel.L;
import static dev.pixelgrad.tensor.cpu.MicroKernel.MR;
import static dev.pixelgrad.tensor.cpu.MicroKernel.NR;
import static dev.pixelgrad.tensor.cpu.MicroKernel.SPECIES;

/**
 * A matrix the GEMM reads only by packing blocks of it, so a matrix need not exist in memory:
 * the im2col matrix of a convolution is generated straight into the packed panels.
 * <pre>
 * left  (A, m x k): packLeft writes MR-row slivers, each kc columns of MR floats: dst[s MR kc + p MR + i]
 * right (B, k x n): packRight writes NR-column slivers, each kc rows of NR floats: dst[s NR kc + p NR + j]
 * </pre>
 * Rows or columns past the block's end are written as zeros, so the micro-kernel always runs on full tiles.
 */
interface Operand {

    /** Packs op(A)[i0 : i0+mc, p0 : p0+kc] as MR-row slivers at dst[off]. */
    default void packLeft(int i0, int mc, int p0, int kc, float[] dst, int off) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be a left operand");
    }

    /** Packs op(B)[p0 : p0+kc, j0 : j0+nc] as NR-column slivers at dst[off]. */
    default void packRight(int p0, int kc, int j0, int nc, float[] dst, int off) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be a right operand");
    }

    /** op(X) of a row-major array X at offset off with leading dimension ld; trans reads X^T. */
    record Dense(float[] x, int off, int ld, boolean trans) implements Operand {

        @Override
        public void packLeft(int i0, int mc, int p0, int kc, float[] dst, int dstOff) {
            for (int s = 0; s * MR < mc; s++) {
                int base = dstOff + s * MR * kc, i = i0 + s * MR, rows = Math.min(MR, mc - s * MR);
                if (!trans) {
                    // op(A)[i][p] = x[i ld + p]: each row is contiguous, written with stride MR.
                    for (int ii = 0; ii < rows; ii++) {
                        int src = off + (i + ii) * ld + p0;
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * MR + ii] = x[src + p];
                        }
                    }
                    for (int ii = rows; ii < MR; ii++) {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * MR + ii] = 0f;
                        }
                    }
                } else {
                    // op(A)[i][p] = x[p ld + i]: MR neighbours of one column are contiguous.
                    for (int p = 0; p < kc; p++) {
                        int src = off + (p0 + p) * ld + i, d = base + p * MR;
                        for (int ii = 0; ii < rows; ii++) {
                            dst[d + ii] = x[src + ii];
                        }
                        for (int ii = rows; ii < MR; ii++) {
                            dst[d + ii] = 0f;
                        }
                    }
                }
            }
        }

        @Override
        public void packRight(int p0, int kc, int j0, int nc, float[] dst, int dstOff) {
            for (int s = 0; s * NR < nc; s++) {
                int base = dstOff + s * NR * kc, j = j0 + s * NR, cols = Math.min(NR, nc - s * NR);
                if (!trans && cols == NR) {
                    // op(B)[p][j] = x[p ld + j]: NR neighbours of one row are contiguous, copied as
                    // two vectors (an arraycopy call per row cost about 7 % of a convolution on AVX2).
                    int src = off + p0 * ld + j;
                    for (int p = 0; p < kc; p++, src += ld) {
                        int d = base + p * NR;
                        FloatVector.fromArray(SPECIES, x, src).intoArray(dst, d);
                        FloatVector.fromArray(SPECIES, x, src + L).intoArray(dst, d + L);
                    }
                } else if (!trans) {
                    // The ragged last sliver: its columns past nc are zeros.
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * NR;
                        System.arraycopy(x, off + (p0 + p) * ld + j, dst, d, cols);
                        java.util.Arrays.fill(dst, d + cols, d + NR, 0f);
                    }
                } else {
                    // op(B)[p][j] = x[j ld + p]: each row of x is contiguous, written with stride NR.
                    for (int jj = 0; jj < cols; jj++) {
                        int src = off + (j + jj) * ld + p0;
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + jj] = x[src + p];
                        }
                    }
                    for (int jj = cols; jj < NR; jj++) {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + jj] = 0f;
                        }
                    }
                }
            }
        }
    }
}
