// Direct (implicit-GEMM) convolution and its helpers.
// x: (N, C, H, W)   w: (K, C, R, S)   y: (N, K, OH, OW)
// wp: packed weights (ceil(K / KT), C, R, S, KT), KT output channels contiguous, zero-padded.
//
// Each work-item owns a register tile of KT = 16 VK output channels (float16 vectors) times PX
// consecutive output pixels of one row: per (c, r, s) it loads VK weight vectors, broadcasts PX
// input values and issues VK PX fused multiply-adds. No local memory and no barriers: the CPU
// driver compiles the tile straight to 512-bit FMAs. With ROW_LOOP the work-item walks its whole
// output row (fewer, longer work-groups: cheap scheduling on CPUs); without it, dimension 0
// indexes column tiles (more parallelism for GPUs).

// Tunables, always passed with -D by the host; their defaults live in one table, Tuning.java:
//   VK        float16 vectors of output channels per work-item (1 or 2)
//   PX        output pixels along a row per work-item
//   ROW_LOOP  1: a work-item walks its whole output row; 0: dimension 0 indexes column tiles
#if !defined(VK) || !defined(PX) || !defined(ROW_LOOP)
#error "conv.cl needs -D VK, PX and ROW_LOOP (see Tuning.defines())"
#endif
#ifndef SMAX
#define SMAX 3          // widest kernel served by the stride-1 row-buffer path
#endif
#define KT (16 * VK)

// wp[kb][i][r][s][kk] = w[o = kb KT + kk][i][r][s], or with flip (backward data as a forward
// convolution): wp[kb][i][r][s][kk] = w[i][o][R-1-r][S-1-s], i.e. the kernel rotated 180 degrees
// with input and output channels swapped.
// Work-item (j = (i, r, s), kb) writes the KT floats of one packed vector; neighbouring work-items
// read neighbouring floats of w, which keeps the gather cache-friendly.
__kernel void pack_weights(__global const real* w, __global real* wp, int kout, int cin, int r, int s,
                           int flip) {
    int crs = cin * r * s;
    int j = get_global_id(0);
    int kb = get_global_id(1);
    if (j >= crs) return;
    int si = j % s, ri = (j / s) % r, i = j / (r * s);
    __global real* dst = wp + ((long) kb * crs + j) * KT;
    for (int kk = 0; kk < KT; kk++) {
        int o = kb * KT + kk;
        real v = 0.0f;
        if (o < kout) {
            v = flip ? w[(((long) i * kout + o) * r + (r - 1 - ri)) * s + (s - 1 - si)]
                     : w[(long) o * crs + j];
        }
        dst[kk] = v;
    }
}

// Accumulates one (c, r) row of the window into the tile; GUARDED checks the columns.
#define CONV_ROW(GUARDED)                                                                 \
    for (int sj = 0; sj < S; sj++) {                                                      \
        __global const real* wv = wc + (ri * S + sj) * KT;                                \
        float16 w0 = vload16(0, wv);                                                      \
        IF_VK2(float16 w1 = vload16(1, wv);)                                              \
        _Pragma("unroll")                                                                 \
        for (int p = 0; p < PX; p++) {                                                    \
            int xj = (oj0 + p) * sw - pw + sj;                                            \
            real v = GUARDED ? ((xj >= 0 && xj < W) ? xr[xj] : 0.0f) : xr[xj];            \
            float16 vv = (float16) v;                                                     \
            acc0[p] = fma(vv, w0, acc0[p]);                                               \
            IF_VK2(acc1[p] = fma(vv, w1, acc1[p]);)                                       \
        }                                                                                 \
    }

// Stride 1 and S <= SMAX: the PX + S - 1 inputs of the row are loaded (with bounds checks) once
// into registers and shared by the S taps, instead of PX loads per tap.
#define CONV_ROW_BUFFERED                                                                 \
    {                                                                                     \
        real xs[PX + SMAX - 1];                                                           \
        _Pragma("unroll")                                                                 \
        for (int q = 0; q < PX + SMAX - 1; q++) {                                         \
            int xj = oj0 - pw + q;                                                        \
            xs[q] = (q < PX + S - 1 && xj >= 0 && xj < W) ? xr[xj] : 0.0f;                \
        }                                                                                 \
        _Pragma("unroll")                                                                 \
        for (int sj = 0; sj < SMAX; sj++) {                                               \
            if (sj < S) {                                                                 \
                __global const real* wv = wc + (ri * S + sj) * KT;                        \
                float16 w0 = vload16(0, wv);                                              \
                IF_VK2(float16 w1 = vload16(1, wv);)                                      \
                _Pragma("unroll")                                                         \
                for (int p = 0; p < PX; p++) {                                            \
                    float16 vv = (float16) xs[p + sj];                                    \
                    acc0[p] = fma(vv, w0, acc0[p]);                                       \
                    IF_VK2(acc1[p] = fma(vv, w1, acc1[p]);)                               \
                }                                                                         \
            }                                                                             \
        }                                                                                 \
    }

#if VK == 2
#define IF_VK2(code) code
#else
#define IF_VK2(code)
#endif

// Writes 16 channels (k0 ..) x PX pixels of the tile, channel by channel so that each channel's
// PX pixels go to one stretch of its output row.
inline void store_tile(__global real* yk, int k0, int K, int P, int row_off, int oj0, int OW,
                       float16* acc, int accumulate, __global const real* bias, int has_bias) {
    real a[PX][16];
    for (int p = 0; p < PX; p++) vstore16(acc[p], 0, a[p]);
    int np = min(PX, OW - oj0);
    for (int kk = 0; kk < 16; kk++) {
        int k = k0 + kk;
        if (k >= K) return;
        real b = has_bias ? bias[k] : 0.0f;
        __global real* dst = yk + (long) k * P + row_off + oj0;
        if (accumulate) {
            for (int p = 0; p < np; p++) dst[p] += a[p][kk] + b;
        } else {
            for (int p = 0; p < np; p++) dst[p] = a[p][kk] + b;
        }
    }
}

// One tile: output row oi, columns oj0 .. oj0+PX-1, channels kb KT .. kb KT + KT-1 of image n.
inline void conv_tile(__global const real* x, __global const real* wp, __global const real* bias,
                      __global real* y, int n, int kb, int oi, int oj0,
                      int C, int H, int W, int K, int R, int S, int OH, int OW,
                      int sh, int sw, int ph, int pw, int accumulate, int has_bias) {
    float16 acc0[PX];
    IF_VK2(float16 acc1[PX];)
    for (int p = 0; p < PX; p++) {
        acc0[p] = 0.0f;
        IF_VK2(acc1[p] = 0.0f;)
    }
    // The tile needs no column checks when every window lies inside the row.
    int interior = oj0 * sw - pw >= 0 && (oj0 + PX - 1) * sw - pw + S - 1 < W;
    int buffered = sw == 1 && S <= SMAX;
    for (int c = 0; c < C; c++) {
        __global const real* xc = x + ((long) n * C + c) * H * W;
        __global const real* wc = wp + ((long) kb * C + c) * R * S * KT;
        for (int ri = 0; ri < R; ri++) {
            int yi = oi * sh - ph + ri;
            if (yi < 0 || yi >= H) continue;
            __global const real* xr = xc + yi * W;
            if (buffered) {
                CONV_ROW_BUFFERED
            } else if (interior) {
                CONV_ROW(0)
            } else {
                CONV_ROW(1)
            }
        }
    }
    int P = OH * OW;
    __global real* yn = y + (long) n * K * P;
    store_tile(yn, kb * KT, K, P, oi * OW, oj0, OW, acc0, accumulate, bias, has_bias);
    IF_VK2(store_tile(yn, kb * KT + 16, K, P, oi * OW, oj0, OW, acc1, accumulate, bias, has_bias);)
}

// Global size: (ROW_LOOP ? 1 : ceil(OW / PX), OH, N ceil(K / KT)).
// y = conv(x, w) + bias, or y += conv(x, w) when accumulate is set.
__kernel void conv_forward(__global const real* x, __global const real* wp, __global const real* bias,
                           __global real* y, int N, int C, int H, int W, int K, int R, int S,
                           int OH, int OW, int sh, int sw, int ph, int pw, int accumulate, int has_bias) {
    int oi = get_global_id(1);
    int nk = get_global_id(2);
    int kblocks = (K + KT - 1) / KT;
    if (oi >= OH || nk >= N * kblocks) return;
    int n = nk / kblocks, kb = nk % kblocks;
#if ROW_LOOP
    for (int oj0 = 0; oj0 < OW; oj0 += PX) {
        conv_tile(x, wp, bias, y, n, kb, oi, oj0, C, H, W, K, R, S, OH, OW, sh, sw, ph, pw, accumulate, has_bias);
    }
#else
    int oj0 = get_global_id(0) * PX;
    if (oj0 >= OW) return;
    conv_tile(x, wp, bias, y, n, kb, oi, oj0, C, H, W, K, R, S, OH, OW, sh, sw, ph, pw, accumulate, has_bias);
#endif
}

// cols ((C R S), P) of image n: cols[(c, r, s)][(i, j)] = x[n][c][i sh + r - ph][j sw + s - pw] (0 outside)
__kernel void im2col(__global const real* x, __global real* cols, int n, int C, int H, int W,
                     int R, int S, int OH, int OW, int sh, int sw, int ph, int pw) {
    int t = get_global_id(0);
    int P = OH * OW;
    GUARD(t, C * R * S * P);
    int p = t % P, row = t / P;
    int j = p % OW, i = p / OW;
    int s = row % S, r = (row / S) % R, c = row / (R * S);
    int yi = i * sh + r - ph, xj = j * sw + s - pw;
    cols[t] = (yi >= 0 && yi < H && xj >= 0 && xj < W) ? x[(((long) n * C + c) * H + yi) * W + xj] : 0.0f;
}

// dx[n] += fold(dcols): the adjoint of im2col, gathered per input pixel (deterministic).
__kernel void col2im_accumulate(__global const real* dcols, __global real* dx, int n, int C, int H, int W,
                                int R, int S, int OH, int OW, int sh, int sw, int ph, int pw) {
    int t = get_global_id(0);
    GUARD(t, C * H * W);
    int xj = t % W, yi = (t / W) % H, c = t / (H * W);
    int P = OH * OW;
    real acc = 0.0f;
    for (int r = 0; r < R; r++) {
        int num = yi + ph - r;
        if (num < 0 || num % sh != 0) continue;
        int i = num / sh;
        if (i >= OH) continue;
        for (int s = 0; s < S; s++) {
            int numj = xj + pw - s;
            if (numj < 0 || numj % sw != 0) continue;
            int j = numj / sw;
            if (j >= OW) continue;
            acc += dcols[((long) (c * R + r) * S + s) * P + i * OW + j];
        }
    }
    dx[(long) n * C * H * W + t] += acc;
}

// dbias[k] += sum over (n, i, j) of dy[n][k][i][j]
__kernel void bias_backward(__global const real* dy, __global real* dbias, int N, int K, int P) {
    int k = get_global_id(0); GUARD(k, K);
    kahan acc = {0.0f, 0.0f};
    for (int n = 0; n < N; n++) {
        __global const real* d = dy + ((long) n * K + k) * P;
        for (int p = 0; p < P; p++) acc = kahan_add(acc, d[p]);
    }
    dbias[k] += acc.s;
}

// ---- convolution as a GEMM, for devices with local-memory GEMM tiles (GPUs) -------------------
// Small images give the direct kernel too few work-items to fill a GPU; as a matrix product
// y[n] (K, P) = W (K, C R S) colsT^T the work spreads over K x P tiles of the tiled GEMM instead.

// colsT (P, C R S) of image n: colsT[(i, j)][(c, r, s)] = x[n][c][i sh + r - ph][j sw + s - pw]
// (0 outside): im2col transposed, so that both GEMM operands are read along C R S.
__kernel void im2col_t(__global const real* x, __global real* cols, int n, int C, int H, int W,
                       int R, int S, int OH, int OW, int sh, int sw, int ph, int pw) {
    int t = get_global_id(0);
    int CRS = C * R * S;
    GUARD(t, OH * OW * CRS);
    int row = t % CRS, p = t / CRS;
    int j = p % OW, i = p / OW;
    int s = row % S, r = (row / S) % R, c = row / (R * S);
    int yi = i * sh + r - ph, xj = j * sw + s - pw;
    cols[t] = (yi >= 0 && yi < H && xj >= 0 && xj < W) ? x[(((long) n * C + c) * H + yi) * W + xj] : 0.0f;
}

// y[n][k][p] += bias[k]
__kernel void add_channel_bias(__global real* y, __global const real* bias, int n, int K, int P) {
    int t = get_global_id(0);
    GUARD(t, K * P);
    y[(long) n * K * P + t] += bias[t / P];
}

// wr (C, K R S) = w (K, C, R, S) rotated by 180 degrees with its two channel axes swapped: the
// weights of the forward convolution that computes the stride-1 backward to the data.
__kernel void rotate_weights(__global const real* w, __global real* wr, int K, int C, int R, int S) {
    int t = get_global_id(0);
    GUARD(t, K * C * R * S);
    int s = t % S, r = (t / S) % R, k = (t / (R * S)) % K, c = t / (K * R * S);
    wr[t] = w[(((long) k * C + c) * R + (R - 1 - r)) * S + (S - 1 - s)];
}
