// Convolutions vectorised along output rows, for CPU devices (POCL and other CPU drivers): 16
// neighbouring outputs of a row read 16 neighbouring inputs (stride 1 along W; the weight gradient
// also takes stride 2 as the even lanes of 32 inputs, and any other stride element by element).
// x: (N, C, H, W)   w: (K, C, R, S)   y, dy: (N, K, OH, OW)
//
// conv_forward (conv.cl) vectorises over 16 or 32 output channels, so a layer with K = 3 outputs
// (the last layer of an image-to-image network, or the backward to an RGB image) computes 16/3 of
// its work for nothing. Here each work-item's accumulators are float16 vectors of 16 neighbouring
// output pixels, for ROW_KB channels at a time: nothing is wasted for small K.
//
// The weight gradient of a CPU device otherwise goes through im2col columns and a GEMM whose rows
// are the K output channels; here each work-item owns ROW_KB x ROW_SB weights of one (c, r) and
// sums their products over every output pixel, 16 at a time, with no column buffer.

#define ROW_KB 4    // output channels per work-item
#define ROW_PV 2    // float16 vectors of output pixels per work-item in the forward
#define ROW_SB 3    // kernel columns per work-item in the weight gradient

// row[j0 .. j0 + 15], with 0 for j outside [0, w).
inline float16 row16(__global const real* row, int j0, int w) {
    if (j0 >= 0 && j0 + 16 <= w) {
        return vload16(0, row + j0);
    }
    real v[16];
    for (int q = 0; q < 16; q++) {
        int j = j0 + q;
        v[q] = (j >= 0 && j < w) ? row[j] : 0.0f;
    }
    return vload16(0, v);
}

// row[j0], row[j0 + sw], ... row[j0 + 15 sw], with 0 outside [0, w): stride 2 as the even lanes of 32.
inline float16 row16_strided(__global const real* row, int j0, int w, int sw) {
    if (sw == 1) {
        return row16(row, j0, w);
    }
    if (sw == 2 && j0 >= 0 && j0 + 32 <= w) {
        float16 a = vload16(0, row + j0), b = vload16(0, row + j0 + 16);
        return (float16) (a.even, b.even);
    }
    real v[16];
    for (int q = 0; q < 16; q++) {
        int j = j0 + q * sw;
        v[q] = (j >= 0 && j < w) ? row[j] : 0.0f;
    }
    return vload16(0, v);
}

inline real sum16(float16 v) {
    float8 a = v.lo + v.hi;
    float4 b = a.lo + a.hi;
    return b.x + b.y + b.z + b.w;
}

// y[n][k][oi][oj] = sum_{c, r, s} w[k][c][r][s] x[n][c][oi sh - ph + r][oj - pw + s] (+ bias[k]),
// or y += that when accumulating. One work-item: ROW_KB channels x 16 ROW_PV pixels of one row.
// Global size: (ceil(OW / (16 ROW_PV)), OH, N ceil(K / ROW_KB)).
__kernel void conv_forward_rows(__global const real* x, __global const real* w, __global const real* bias,
                                __global real* y, int N, int C, int H, int W, int K, int R, int S,
                                int OH, int OW, int sh, int ph, int pw, int accumulate, int has_bias) {
    int oj0 = get_global_id(0) * 16 * ROW_PV, oi = get_global_id(1), nk = get_global_id(2);
    int kblocks = (K + ROW_KB - 1) / ROW_KB;
    if (oj0 >= OW || oi >= OH || nk >= N * kblocks) return;
    int n = nk / kblocks, k0 = (nk % kblocks) * ROW_KB;
    int crs = C * R * S;
    float16 acc[ROW_KB][ROW_PV];
    #pragma unroll
    for (int kk = 0; kk < ROW_KB; kk++) {
        #pragma unroll
        for (int p = 0; p < ROW_PV; p++) acc[kk][p] = 0.0f;
    }
    for (int c = 0; c < C; c++) {
        for (int r = 0; r < R; r++) {
            int yi = oi * sh - ph + r;
            if (yi < 0 || yi >= H) continue;
            __global const real* xr = x + (((long) n * C + c) * H + yi) * W;
            __global const real* wr = w + ((long) k0 * C + c) * R * S + r * S;
            for (int s = 0; s < S; s++) {
                float16 xv[ROW_PV];
                #pragma unroll
                for (int p = 0; p < ROW_PV; p++) xv[p] = row16(xr, oj0 + 16 * p - pw + s, W);
                #pragma unroll
                for (int kk = 0; kk < ROW_KB; kk++) {
                    float16 wv = (float16) (k0 + kk < K ? wr[(long) kk * crs + s] : 0.0f);
                    #pragma unroll
                    for (int p = 0; p < ROW_PV; p++) acc[kk][p] = fma(wv, xv[p], acc[kk][p]);
                }
            }
        }
    }
    #pragma unroll
    for (int kk = 0; kk < ROW_KB && k0 + kk < K; kk++) {
        real b = has_bias ? bias[k0 + kk] : 0.0f;
        __global real* yr = y + (((long) n * K + k0 + kk) * OH + oi) * OW;
        #pragma unroll
        for (int p = 0; p < ROW_PV; p++) {
            int j0 = oj0 + 16 * p;
            float16 v = acc[kk][p] + b;
            if (j0 + 16 <= OW) {
                vstore16(accumulate ? vload16(0, yr + j0) + v : v, 0, yr + j0);
            } else {
                real a[16];
                vstore16(v, 0, a);
                for (int q = 0; q < 16 && j0 + q < OW; q++) yr[j0 + q] = accumulate ? yr[j0 + q] + a[q] : a[q];
            }
        }
    }
}

// partial[b][k][c][r][s] = sum over the output rows of band b (rows b band_rows .. of the N OH rows of
// all images, in order) and all columns oj of dy[n][k][oi][oj] x[n][c][oi sh - ph + r][oj sw - pw + s]
// (any stride; stride 1 and 2 along W load whole vectors).
// One work-item: ROW_KB channels x ROW_SB columns s of one (c, r) over one band, 16 pixels at a
// time (dy lanes past the row's end are 0, so their x values do not count). Bands keep what a
// work-item streams (ROW_KB rows of dy, one of x, per output row) small enough to stay in cache
// for the next work-items, which read the same band: dimension 0 is (c, r, s block), fastest.
// Global size: (C R ceil(S / ROW_SB), ceil(K / ROW_KB), bands); conv_weight_grad_sum adds the bands.
__kernel void conv_weight_grad_rows(__global const real* x, __global const real* dy, __global real* partial,
                                    int N, int C, int H, int W, int K, int R, int S,
                                    int OH, int OW, int sh, int ph, int pw, int band_rows, int sw) {
    int j = get_global_id(0), k0 = get_global_id(1) * ROW_KB, band = get_global_id(2);
    int sblocks = (S + ROW_SB - 1) / ROW_SB;
    if (k0 >= K || j >= C * R * sblocks) return;
    int s0 = (j % sblocks) * ROW_SB, r = (j / sblocks) % R, c = j / (sblocks * R);
    long plane = (long) OH * OW;
    float16 acc[ROW_KB][ROW_SB];
    #pragma unroll
    for (int kk = 0; kk < ROW_KB; kk++) {
        #pragma unroll
        for (int q = 0; q < ROW_SB; q++) acc[kk][q] = 0.0f;
    }
    int row_end = min(N * OH, (band + 1) * band_rows);
    for (int row = band * band_rows; row < row_end; row++) {
        int n = row / OH, oi = row % OH;
        int yi = oi * sh - ph + r;
        if (yi < 0 || yi >= H) continue;
        __global const real* xr = x + (((long) n * C + c) * H + yi) * W;
        __global const real* dyr = dy + ((long) n * K + k0) * plane + (long) oi * OW;
        for (int oj0 = 0; oj0 < OW; oj0 += 16) {
            float16 d[ROW_KB];
            #pragma unroll
            for (int kk = 0; kk < ROW_KB; kk++) {
                d[kk] = k0 + kk < K ? row16(dyr + kk * plane, oj0, OW) : (float16) 0.0f;
            }
            #pragma unroll
            for (int q = 0; q < ROW_SB; q++) {
                float16 xv = row16_strided(xr, oj0 * sw - pw + s0 + q, W, sw);
                #pragma unroll
                for (int kk = 0; kk < ROW_KB; kk++) acc[kk][q] = fma(d[kk], xv, acc[kk][q]);
            }
        }
    }
    long crs = (long) C * R * S;
    __global real* out = partial + (long) band * K * crs;
    for (int kk = 0; kk < ROW_KB && k0 + kk < K; kk++) {
        for (int q = 0; q < ROW_SB && s0 + q < S; q++) {
            out[(k0 + kk) * crs + (c * R + r) * S + s0 + q] = sum16(acc[kk][q]);
        }
    }
}

// dw[i] += sum_b partial[b][i], the bands in order (the same sum on every run).
__kernel void conv_weight_grad_sum(__global const real* partial, int bands, int n, __global real* dw) {
    int i = get_global_id(0); GUARD(i, n);
    real acc = 0.0f;
    for (int b = 0; b < bands; b++) acc += partial[(long) b * n + i];
    dw[i] += acc;
}

// spread[p][oi sh][oj sw] = dy[p][oi][oj] over planes p of (oh, ow); spread, planes of (rows, cols),
// is zero-filled beforehand. One work-item per row of dy. Global size: (oh, planes).
__kernel void dilate_rows(__global const real* dy, __global real* spread, int oh, int ow, int rows, int cols,
                          int sh, int sw) {
    int oi = get_global_id(0), p = get_global_id(1);
    if (oi >= oh) return;
    __global const real* src = dy + ((long) p * oh + oi) * ow;
    __global real* dst = spread + ((long) p * rows + (long) oi * sh) * cols;
    for (int oj = 0; oj < ow; oj++) dst[oj * sw] = src[oj];
}
