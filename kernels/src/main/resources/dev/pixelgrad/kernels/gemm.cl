// Matrix products in "dot form": C = alpha A B^T + beta C with A: (m, k) and B: (n, k), both
// row-major, so every inner product runs along contiguous memory. Other transposes are brought
// to this form by the host with transpose(). Gram matrices (B = A) compute one triangle of tiles.
//
// Stage 1: work-item (tile, chunk) computes a TM x TN block of A B^T over one chunk of k with
// float16 vectors along k, into partial[chunk][m][n]. Chunks keep the rows being read in cache.
// Stage 1 has a second form, gemm_nt_local below, for devices with real local memory.
// Stage 2: one work-item per element of C adds the chunks in order (deterministic) and applies
// alpha and beta.

// Tunables, always passed with -D by the host; their defaults live in one table, Tuning.java:
//   TM, TN     rows of A and of B per work-item (the register block)
//   MDIMC      work-items per group along m and along n (gemm_nt_local)
//   KWG        k-step staged in local memory (gemm_nt_local)
#if !defined(TM) || !defined(TN) || !defined(MDIMC) || !defined(KWG)
#error "gemm.cl needs -D TM, TN, MDIMC and KWG (see Tuning.defines())"
#endif

__kernel void gemm_nt_partial(__global const real* a, int off_a, __global const real* b, int off_b,
                              int m, int n, int k, int chunk, int symmetric, __global real* partial) {
    int tiles_n = (n + TN - 1) / TN;
    int tile = get_global_id(0);
    int ch = get_global_id(1);
    int bi = tile / tiles_n, bj = tile % tiles_n;
    int i0 = bi * TM, j0 = bj * TN;
    if (i0 >= m) return;
    if (symmetric && bi > bj) return;
    int l0 = ch * chunk, l1 = min(k, l0 + chunk);
    if (l0 >= k) return;

    __global const real* ar[TM];
    __global const real* br[TN];
    for (int u = 0; u < TM; u++) ar[u] = a + off_a + (long) min(i0 + u, m - 1) * k;
    for (int v = 0; v < TN; v++) br[v] = b + off_b + (long) min(j0 + v, n - 1) * k;

    float16 acc[TM][TN];
    for (int u = 0; u < TM; u++)
        for (int v = 0; v < TN; v++) acc[u][v] = 0.0f;

    int l = l0;
    for (; l + 16 <= l1; l += 16) {
        float16 bv[TN];
        _Pragma("unroll")
        for (int v = 0; v < TN; v++) bv[v] = vload16(0, br[v] + l);
        _Pragma("unroll")
        for (int u = 0; u < TM; u++) {
            float16 av = vload16(0, ar[u] + l);
            _Pragma("unroll")
            for (int v = 0; v < TN; v++) acc[u][v] = fma(av, bv[v], acc[u][v]);
        }
    }
    real tail[TM][TN];
    for (int u = 0; u < TM; u++)
        for (int v = 0; v < TN; v++) tail[u][v] = 0.0f;
    for (; l < l1; l++) {
        for (int u = 0; u < TM; u++)
            for (int v = 0; v < TN; v++) tail[u][v] += ar[u][l] * br[v][l];
    }
    __global real* pc = partial + (long) ch * m * n;
    for (int u = 0; u < TM; u++) {
        if (i0 + u >= m) break;
        for (int v = 0; v < TN; v++) {
            if (j0 + v >= n) break;
            float16 s = acc[u][v];
            float8 s8 = s.lo + s.hi;
            float4 s4 = s8.lo + s8.hi;
            float2 s2 = s4.lo + s4.hi;
            pc[(i0 + u) * n + j0 + v] = s2.x + s2.y + tail[u][v];
        }
    }
}

// Stage 1 with local memory, for devices where it is real (GPUs), after CLBlast's xgemm: a work-group
// of MDIMC x MDIMC work-items computes an MWG x NWG tile of C = A B^T over one chunk of k. Steps of
// KWG along k are staged in __local memory by the whole group (coalesced, zero-padded past m, n
// and the chunk's end), then every work-item accumulates a TM x TN register block whose rows are
// strided by MDIMC, so neighbouring work-items read neighbouring local addresses (rows padded by
// one against bank conflicts). Dimension 0 runs along n (coalesced stores), 1 along m, 2 over chunks.
#define MWG (MDIMC * TM)
#define NWG (MDIMC * TN)

inline void gemm_nt_stage(__global const real* x, int off_x, int rows, int k, int r0, int l, int l1,
                          __local real* tile, int tid, int tiles_rows) {
    for (int idx = tid; idx < tiles_rows * KWG; idx += MDIMC * MDIMC) {
        int r = idx / KWG, q = idx % KWG;
        int gr = r0 + r, gl = l + q;
        tile[r * (KWG + 1) + q] = (gr < rows && gl < l1) ? x[off_x + (long) gr * k + gl] : 0.0f;
    }
}

__kernel __attribute__((reqd_work_group_size(MDIMC, MDIMC, 1)))
void gemm_nt_local(__global const real* a, int off_a, __global const real* b, int off_b,
                   int m, int n, int k, int chunk, int symmetric, __global real* partial) {
    __local real as[MWG * (KWG + 1)];
    __local real bs[NWG * (KWG + 1)];
    int tx = get_local_id(0), ty = get_local_id(1);
    int bj = get_group_id(0), bi = get_group_id(1), ch = get_global_id(2);
    // Whole groups leave together, before any barrier.
    if (symmetric && bi > bj) return;
    int i0 = bi * MWG, j0 = bj * NWG;
    int l0 = ch * chunk, l1 = min(k, l0 + chunk);
    int tid = ty * MDIMC + tx;

    real acc[TM][TN];
    for (int u = 0; u < TM; u++)
        for (int v = 0; v < TN; v++) acc[u][v] = 0.0f;

    for (int l = l0; l < l1; l += KWG) {
        gemm_nt_stage(a, off_a, m, k, i0, l, l1, as, tid, MWG);
        gemm_nt_stage(b, off_b, n, k, j0, l, l1, bs, tid, NWG);
        barrier(CLK_LOCAL_MEM_FENCE);
        _Pragma("unroll")
        for (int q = 0; q < KWG; q++) {
            real av[TM], bv[TN];
            _Pragma("unroll")
            for (int u = 0; u < TM; u++) av[u] = as[(ty + u * MDIMC) * (KWG + 1) + q];
            _Pragma("unroll")
            for (int v = 0; v < TN; v++) bv[v] = bs[(tx + v * MDIMC) * (KWG + 1) + q];
            _Pragma("unroll")
            for (int u = 0; u < TM; u++) {
                _Pragma("unroll")
                for (int v = 0; v < TN; v++) acc[u][v] = fma(av[u], bv[v], acc[u][v]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    __global real* pc = partial + (long) ch * m * n;
    for (int u = 0; u < TM; u++) {
        int i = i0 + ty + u * MDIMC;
        if (i >= m) break;
        for (int v = 0; v < TN; v++) {
            int j = j0 + tx + v * MDIMC;
            if (j < n) pc[(long) i * n + j] = acc[u][v];
        }
    }
}

// tile_m x tile_n: the tiles of stage 1, whose lower triangle a symmetric product left out.
__kernel void gemm_nt_finish(__global const real* partial, int chunks, int m, int n, int symmetric,
                             int tile_m, int tile_n, real alpha, real beta, __global real* c, int off_c) {
    int t = get_global_id(0); GUARD(t, m * n);
    int i = t / n, j = t % n;
    // Below the diagonal of tiles a Gram matrix reads its mirror image.
    if (symmetric && i / tile_m > j / tile_n) {
        int tmp = i; i = j; j = tmp;
    }
    real s = 0.0f;
    for (int ch = 0; ch < chunks; ch++) s += partial[(long) ch * m * n + i * n + j];
    real prev = beta == 0.0f ? 0.0f : beta * c[off_c + t];
    c[off_c + t] = alpha * s + prev;
}

// out (cols, rows) = in (rows, cols)^T, reading from offset off_in
__kernel void transpose(__global const real* in, int off_in, int rows, int cols, __global real* out) {
    int t = get_global_id(0); GUARD(t, rows * cols);
    int r = t % rows, c = t / rows;
    out[t] = in[off_in + (long) r * cols + c];
}

// w (k, m) = alpha op(A)^T, op(A) (m, k) being a (m, k) from off_a, or a (k, m) transposed when
// trans_a: a product's left operand as the weights of a 1x1 convolution (ClGemm's wide products).
__kernel void left_as_weights(__global const real* a, int off_a, int m, int k, int trans_a, real alpha,
                              __global real* w) {
    int t = get_global_id(0); GUARD(t, m * k);
    int p = t / m, c = t - p * m;
    w[t] = alpha * (trans_a ? a[off_a + (long) p * m + c] : a[off_a + (long) c * k + p]);
}
