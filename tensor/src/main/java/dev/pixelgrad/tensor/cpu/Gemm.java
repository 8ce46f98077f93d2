package dev.pixelgrad.tensor.cpu;

import static dev.pixelgrad.tensor.cpu.MicroKernel.MR;
import static dev.pixelgrad.tensor.cpu.MicroKernel.NR;

/**
 * Single-precision matrix multiply, C = alpha op(A) op(B) + beta C, blocked for the caches as in
 * BLIS / GotoBLAS. All matrices are row-major; op(A) is m x k, op(B) is k x n, C is m x n with
 * leading dimension ldc.
 * <pre>
 * for jc in n by NC:                 B panel (KC x NC) packed once, read from L2/L3
 *   for pc in k by KC:
 *     for ic in m by MC:             A block (MC x KC) packed once, stays in L2
 *       for jr in NC by NR:          one B sliver (KC x NR) stays in L1 ...
 *         for ir in MC by MR:        ... while the A slivers stream past it
 *           MicroKernel.multiply     MR x NR of C in registers
 * </pre>
 * Two threads (or more) take disjoint parts of C; when they split the rows, B is packed once,
 * together, and shared, so neither packs what the other already has.
 */
final class Gemm {
    /** Depth of a block: a B sliver is KC NR floats (32 KiB with AVX-512), it must stay in L1. */
    static final int KC = 256;
    /** Rows of an A block (MC KC floats = 96 KiB, in L2). */
    static final int MC = 16 * MR;
    /** Columns of a B panel. */
    static final int NC = 64 * NR;
    /** Below this many multiply-adds a product stays on the calling thread. */
    static final long PARALLEL_MIN = 1L << 20;
    /** Largest B (in floats) packed in full to be shared by all threads. */
    static final long SHARED_B_MAX = 1L << 25;

    private Gemm() {
    }

    /** C = alpha op(A) op(B) + beta C on packed row-major arrays (leading dimension = columns). */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int offA, float[] b, int offB, float beta, float[] c, int offC) {
        multiply(m, n, k, alpha, new Operand.Dense(a, offA, transA ? m : k, transA),
                new Operand.Dense(b, offB, transB ? k : n, transB), beta, c, offC, n);
    }

    /** C = alpha A B + beta C, on every core; beta = 0 overwrites C without reading it. */
    static void multiply(int m, int n, int k, float alpha, Operand a, Operand b, float beta,
                         float[] c, int offC, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            scale(m, n, beta, c, offC, ldc);
            return;
        }
        int threads = Parallel.threads();
        int mTiles = ceilDiv(m, MR), nTiles = ceilDiv(n, NR);
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN || Math.max(mTiles, nTiles) < 2) {
            serial(0, m, 0, n, 0, k, alpha, a, b, beta, c, offC, ldc, false);
            return;
        }
        int parts = Math.min(threads, Math.max(mTiles, nTiles));
        if (nTiles >= mTiles) {
            // Wide C (a convolution over many pixels): each thread packs its own columns of B.
            Parallel.forTasks(parts, t -> {
                int j0 = split(nTiles, parts, t) * NR, j1 = Math.min(n, split(nTiles, parts, t + 1) * NR);
                serial(0, m, j0, j1, 0, k, alpha, a, b, beta, c, offC, ldc, false);
            });
            return;
        }
        // Tall C: the threads share B, so pack all of it first, together, when it is not huge.
        Operand shared = (long) nTiles * NR * k <= SHARED_B_MAX ? Packed.of(b, k, n, parts) : b;
        Parallel.forTasks(parts, t -> {
            int i0 = split(mTiles, parts, t) * MR, i1 = Math.min(m, split(mTiles, parts, t + 1) * MR);
            serial(i0, i1, 0, n, 0, k, alpha, a, shared, beta, c, offC, ldc, false);
        });
    }

    /**
     * G = alpha F F^T for F of c x m at f[offF] (row-major), G of c x c overwritten. Few channels
     * over many positions go to {@link DotGram}; otherwise only the tiles on or above the diagonal
     * are computed, then mirrored; the threads split the sum over m (each has the same triangle
     * to do) and their partial Grams are added.
     */
    static void gram(float[] f, int offF, int c, int m, float alpha, float[] g, int offG) {
        if (DotGram.suits(c, m)) {
            DotGram.gram(f, offF, c, m, alpha, g, offG);
            return;
        }
        Operand a = new Operand.Dense(f, offF, m, false), b = new Operand.Dense(f, offF, m, true);
        int threads = Parallel.threads();
        int parts = (int) Math.min(threads, ceilDiv(m, KC));
        if (threads == 1 || parts < 2 || (long) c * c * m / 2 < PARALLEL_MIN) {
            serial(0, c, 0, c, 0, m, alpha, a, b, 0f, g, offG, c, true);
        } else {
            float[][] partial = new float[parts][];
            Parallel.forTasks(parts, t -> {
                // Split on KC boundaries so no thread gets a thin last block.
                int blocks = ceilDiv(m, KC);
                int p0 = split(blocks, parts, t) * KC, p1 = Math.min(m, split(blocks, parts, t + 1) * KC);
                // Task-owned, not thread-owned: one pool thread may run several of these tasks.
                float[] dst = t == 0 ? g : new float[c * c];
                partial[t] = dst;
                serial(0, c, 0, c, p0, p1, alpha, a, b, 0f, dst, t == 0 ? offG : 0, c, true);
            });
            for (int t = 1; t < parts; t++) {
                float[] p = partial[t];
                for (int i = 0; i < c; i++) {
                    int row = offG + i * c, prow = i * c;
                    for (int j = i; j < c; j++) {
                        g[row + j] += p[prow + j];
                    }
                }
            }
        }
        for (int i = 1; i < c; i++) {
            for (int j = 0; j < i; j++) {
                g[offG + i * c + j] = g[offG + j * c + i];
            }
        }
    }

    /**
     * C[i0:i1, j0:j1] = alpha sum_{p0 <= p < p1} A[i][p] B[p][j] + beta C on the calling thread.
     * With upper set, tiles wholly below the diagonal (i > j everywhere) are skipped.
     */
    static void serial(int i0, int i1, int j0, int j1, int p0, int p1, float alpha, Operand a, Operand b,
                       float beta, float[] c, int offC, int ldc, boolean upper) {
        Workspace ws = Workspace.get();
        Packed shared = b instanceof Packed pb ? pb : null;
        PrepackedLeft prepacked = a instanceof PrepackedLeft pa ? pa : null;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = p0; pc < p1; pc += KC) {
                int kc = Math.min(KC, p1 - pc);
                // Later depth blocks add to what the first one wrote.
                float betaNow = pc == p0 ? beta : 1f;
                float[] bp;
                int bOff;
                if (shared != null) {
                    bp = shared.data;
                    bOff = shared.offset(pc, kc, jc);
                } else {
                    bp = ws.packB((long) ceilDiv(nc, NR) * NR * kc);
                    bOff = 0;
                    b.packRight(pc, kc, jc, nc, bp, 0);
                }
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    if (upper && ic > jc + nc - 1) {
                        break;
                    }
                    float[] ap;
                    int aOff;
                    if (prepacked != null) {
                        ap = prepacked.data();
                        aOff = prepacked.offset(ic, pc);
                    } else {
                        ap = ws.packA((long) ceilDiv(mc, MR) * MR * kc);
                        aOff = 0;
                        a.packLeft(ic, mc, pc, kc, ap, 0);
                    }
                    block(ic, mc, jc, nc, kc, ap, aOff, bp, bOff, alpha, betaNow, c, offC, ldc, upper, ws.tile);
                }
            }
        }
    }

    /** One packed A block times one packed B panel, tile by tile. */
    private static void block(int ic, int mc, int jc, int nc, int kc, float[] ap, int aOff, float[] bp, int bOff,
                              float alpha, float beta, float[] c, int offC, int ldc, boolean upper, float[] acc) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), bi = bOff + jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                if (upper && ic + ir > jc + jr + nr - 1) {
                    break;
                }
                int ai = aOff + ir * kc, ci = offC + (ic + ir) * ldc + jc + jr;
                // Ragged tiles are computed in full: the packed slivers are zero-padded.
                MicroKernel.multiply(kc, ap, ai, bp, bi, acc);
                MicroKernel.store(acc, alpha, beta, c, ci, ldc, mr, nr);
            }
        }
    }

    /** C = beta C (a product with k = 0). */
    private static void scale(int m, int n, float beta, float[] c, int offC, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int idx = offC + i * ldc + j;
                c[idx] = beta == 0f ? 0f : beta * c[idx];
            }
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** n rounded up to a multiple of {@code to}. */
    static int roundUp(int n, int to) {
        return ceilDiv(n, to) * to;
    }

    /** Start of part t when `count` items are split into `parts` nearly equal runs. */
    static int split(int count, int parts, int t) {
        return (int) ((long) count * t / parts);
    }

    /**
     * A left operand stored in packed form already (Winograd's transformed weights): its blocks
     * are read where they lie instead of being copied into the workspace.
     */
    interface PrepackedLeft extends Operand {
        float[] data();

        /** Where the packed block at row i0 (a multiple of MR) and depth p0 (a multiple of KC) starts. */
        int offset(int i0, int p0);
    }

    /**
     * All of B (k x n) packed ahead, in KC-deep panels of NR-column slivers, for threads that
     * share it: the panel for depth block pc starts at pc nPadded, its sliver for column jc at
     * jc kc further on.
     */
    static final class Packed implements Operand {
        final float[] data;
        private final int nPadded;

        private Packed(float[] data, int nPadded) {
            this.data = data;
            this.nPadded = nPadded;
        }

        /** Packs b with `parts` threads, each taking a share of the slivers of every panel. */
        static Packed of(Operand b, int k, int n, int parts) {
            int nTiles = ceilDiv(n, NR), nPadded = nTiles * NR;
            float[] data = Workspace.get().sharedB((long) nPadded * k);
            Parallel.forTasks(parts, t -> {
                int s0 = split(nTiles, parts, t), s1 = split(nTiles, parts, t + 1);
                if (s0 == s1) {
                    return;
                }
                int j0 = s0 * NR, nc = Math.min(n, s1 * NR) - j0;
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    b.packRight(pc, kc, j0, nc, data, pc * nPadded + j0 * kc);
                }
            });
            return new Packed(data, nPadded);
        }

        int offset(int pc, int kc, int jc) {
            return pc * nPadded + jc * kc;
        }
    }
}
