package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Storage;

import static dev.pixelgrad.kernels.ClRuntime.buf;
import static dev.pixelgrad.kernels.ClRuntime.n32;

/**
 * Matrix products on the device, all brought to "dot form" C = alpha A B^T + beta C (both
 * operands read along k) and computed in two stages: partial products over chunks of k, then
 * gemm_nt_finish sums the chunks in a fixed order (deterministic) and applies alpha and beta.
 * <pre>
 * gemm   op(A) op(B)  transposes A (k, m) and B (k, n) into scratch, then the NT form
 * gram   F F^T        the NT form with B = A; one triangle of tiles when tm = tn
 * stage 1, no local tiles   gemm_nt_partial: a tm x tn block of float16 dot products per work-item
 * stage 1, local tiles      gemm_nt_local: (d tm) x (d tn) tiles of C for d x d work-items through
 *                           local memory (GPUs), k split only as far as needed to fill the device
 * </pre>
 * Matrices are row-major and packed; offsets are in floats.
 */
final class ClGemm {
    private final ClRuntime rt;
    private final Tuning tuning;

    ClGemm(ClRuntime rt) {
        this.rt = rt;
        this.tuning = rt.tuning();
    }

    /** C (m, n) = alpha op(A) op(B) + beta C, op transposing A (k, m) or B (k, n) when flagged. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              Storage a, long offA, Storage b, long offB, float beta, Storage c, long offC) {
        Storage ap = a;
        long offAp = offA;
        if (transA) { // A is stored (k, m)
            OpenClStorage t = rt.scratch("gemmA", (long) m * k);
            transpose(a, offA, k, m, t);
            ap = t;
            offAp = 0;
        }
        Storage bp = b;
        long offBp = offB;
        if (!transB) { // B is stored (k, n)
            OpenClStorage t = rt.scratch("gemmB", (long) n * k);
            transpose(b, offB, k, n, t);
            bp = t;
            offBp = 0;
        }
        gemmNt(ap, offAp, bp, offBp, m, n, k, alpha, beta, c, offC, false);
    }

    /** G (c, c) = alpha F F^T for F (c, m) at offset offF. */
    void gram(Storage f, long offF, int c, int m, float alpha, Storage g, long offG) {
        gemmNt(f, offF, f, offF, c, c, m, alpha, 0f, g, offG, tuning.tm() == tuning.tn());
    }

    /** out (cols, rows) = in (rows, cols)^T from offset off. */
    private void transpose(Storage in, long off, int rows, int cols, OpenClStorage out) {
        long n = (long) rows * cols;
        rt.run1d(rt.call("transpose").mem(buf(in)).i32(off).i32(rows).i32(cols).mem(out), n32(n, "transpose"));
    }

    /**
     * C (m, n) = alpha A B^T + beta C for A (m, k) and B (n, k); {@code symmetric} (B = A, square
     * tiles) computes only the upper triangle of tiles and mirrors it.
     */
    void gemmNt(Storage a, long offA, Storage b, long offB, int m, int n, int k, float alpha, float beta,
                Storage c, long offC, boolean symmetric) {
        if (m == 0 || n == 0) {
            return;
        }
        if (tuning.localTiles() > 0) {
            gemmNtLocal(a, offA, b, offB, m, n, k, alpha, beta, c, offC, symmetric);
            return;
        }
        long mn = (long) m * n;
        // Enough chunks to keep the rows read by one chunk in cache, few enough to bound the partials.
        int chunks = Math.max(1, (k + tuning.chunk() - 1) / tuning.chunk());
        chunks = (int) Math.max(1, Math.min(chunks, (1L << 24) / mn));
        int chunk = ((k + chunks - 1) / chunks + 15) / 16 * 16;
        chunks = k == 0 ? 1 : (k + chunk - 1) / chunk;
        OpenClStorage partial = rt.scratch("partial", chunks * mn);
        if (k == 0) {
            rt.fill(partial, 0f, mn);
        }
        int tiles = ((m + tuning.tm() - 1) / tuning.tm()) * ((n + tuning.tn() - 1) / tuning.tn());
        rt.run(rt.call("gemm_nt_partial").mem(buf(a)).i32(offA).mem(buf(b)).i32(offB).i32(m).i32(n).i32(k)
                        .i32(Math.max(chunk, 16)).i32(symmetric).mem(partial),
                new long[]{tiles, chunks}, new long[]{1, 1});
        finish(partial, chunks, m, n, symmetric, tuning.tm(), tuning.tn(), alpha, beta, c, offC);
    }

    /**
     * {@link #gemmNt} through local memory (gemm_nt_local): tiles of C of (d tm) x (d tn) for
     * d x d work-items. When the tiles alone cannot fill the device (a Gram of 64 channels over
     * 262144 pixels is a single tile) k is split into chunks of at least {@code tuning.chunk()},
     * summed in order by gemm_nt_finish, so results do not depend on scheduling.
     */
    private void gemmNtLocal(Storage a, long offA, Storage b, long offB, int m, int n, int k, float alpha, float beta,
                             Storage c, long offC, boolean symmetric) {
        long mn = (long) m * n;
        int d = tuning.localTiles();
        int tileM = d * tuning.tm(), tileN = d * tuning.tn();
        long tilesM = (m + tileM - 1) / tileM, tilesN = (n + tileN - 1) / tileN;
        long groups = symmetric ? tilesM * (tilesM + 1) / 2 : tilesM * tilesN;
        // About four groups per compute unit keep the device busy.
        long wanted = Math.max(1, 4L * Math.max(1, rt.device().computeUnits()));
        long chunks = Math.max(1, Math.min((wanted + groups - 1) / groups, (k + tuning.chunk() - 1) / tuning.chunk()));
        chunks = Math.max(1, Math.min(chunks, (1L << 24) / mn));
        int chunk = (int) (((k + chunks - 1) / chunks + Tuning.KWG - 1) / Tuning.KWG * Tuning.KWG);
        chunks = k == 0 ? 1 : (k + chunk - 1) / chunk;
        OpenClStorage partial = rt.scratch("partial", chunks * mn);
        rt.run(rt.call("gemm_nt_local").mem(buf(a)).i32(offA).mem(buf(b)).i32(offB).i32(m).i32(n).i32(k)
                        .i32(Math.max(chunk, Tuning.KWG)).i32(symmetric).mem(partial),
                new long[]{tilesN * d, tilesM * d, chunks}, new long[]{d, d, 1});
        finish(partial, chunks, m, n, symmetric, tileM, tileN, alpha, beta, c, offC);
    }

    /** Stage 2: C = alpha (sum of the chunks' partials) + beta C, mirroring the left-out tiles. */
    private void finish(OpenClStorage partial, long chunks, int m, int n, boolean symmetric, int tileM, int tileN,
                        float alpha, float beta, Storage c, long offC) {
        rt.run1d(rt.call("gemm_nt_finish").mem(partial).i32(chunks).i32(m).i32(n).i32(symmetric).i32(tileM).i32(tileN)
                .f32(alpha).f32(beta).mem(buf(c)).i32(offC), (long) m * n);
    }
}
