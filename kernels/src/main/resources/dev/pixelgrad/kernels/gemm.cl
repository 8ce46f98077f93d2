// Matrix products in "dot form": C = alpha A B^T + beta C with A: (m, k) and B: (n, k), both
// row-major, so every inner product runs along contiguous memory. Other transposes are brought
// to this form by the host with transpose(). Gram matrices (B = A) compute one triangle of tiles.
//
// Stage 1: work-item (tile, chunk) computes a TM x TN block of A B^T over one chunk of k with
// float16 vectors along k, into partial[chunk][m][n]. Chunks keep the rows being read in cache.
// Stage 2: one work-item per element of C adds the chunks in order (deterministic) and applies
// alpha and beta.

#ifndef TM
#define TM 4            // rows of A per work-item
#endif
#ifndef TN
#define TN 4            // rows of B per work-item
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

__kernel void gemm_nt_finish(__global const real* partial, int chunks, int m, int n, int symmetric,
                             real alpha, real beta, __global real* c, int off_c) {
    int t = get_global_id(0); GUARD(t, m * n);
    int i = t / n, j = t % n;
    // Below the diagonal of tiles a Gram matrix reads its mirror image.
    if (symmetric && i / TM > j / TN) {
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
