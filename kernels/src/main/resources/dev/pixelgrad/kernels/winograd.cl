// 3x3, stride-1 convolutions by Winograd's minimal filtering F(m x m, 3 x 3), m = 4 or 2 (Lavin
// and Gray 2016; the Java backend's Winograd.java derives it). The output is cut into m x m tiles;
// tile t reads an a x a patch d_t of x (a = m + 2), and with xi = 0 .. a^2 - 1:
//   U[xi][k][c] = (G w[k][c] G^T)[xi]        weight transform  (winograd_weights_f*)
//   V[xi][c][t] = (B^T d_t[c] B)[xi]         input transform   (winograd_input_f*)
//   M[xi]       = U[xi] V[xi]                a^2 products K x T, depth C  (winograd_product)
//   y_t[k]      = A^T M[.][k][t] A           output transform  (winograd_output_f*)
// (m + 2)^2 multiply-adds per m^2 outputs and channel pair instead of 9 m^2: 4x fewer for m = 4.
// Backward to the data is the same convolution of dy with w rotated and its channels swapped;
// the host passes rotated = 1 and accumulate = 1 (dx +=), and no bias.
//
// x: (N, C, H, W)   w: (K, C, 3, 3)   y: (N, K, OH, OW). The batch's tile rows n tilesH + th are cut
// into chunks: a launch covers rows row0 .. row0 + rows - 1, whose tile (r, tw) is t = r tilesW + tw.
//   V: (a^2, C, Tp)    M: (a^2, Kp, Tp)    a chunk's tiles side by side, Tp of them (rounded up)
// On CPUs (WL = 16) a transform work-item takes 16 neighbouring tiles of a row as the lanes of
// float16 values, and the product is winograd_product's register tile, with U as
// (a^2, ceil(K / WKT), C, WKT) (WKT output channels side by side; Kp: K rounded up to WKT).
// With local-memory tiles (GPUs, WL = 1) a work-item takes one tile, U is (a^2, K, C) and the
// products go through the tiled GEMM.

// Tunables (Tuning.java): VK float16 vectors of output channels and PX tiles per product
// work-item; WL lanes per transform work-item (16 or 1).
#if !defined(VK) || !defined(PX) || !defined(WL)
#error "winograd.cl needs -D VK, PX and WL (see Tuning.defines())"
#endif
#define WKT (16 * VK)
#if WL == 16
typedef float16 wvec;
#define WLOAD(p) vload16(0, p)
#define WSTORE(v, p) vstore16(v, 0, p)
#elif WL == 1
typedef real wvec;
#define WLOAD(p) (*(p))
#define WSTORE(v, p) (*(p) = (v))
#else
#error "winograd.cl: WL must be 16 or 1"
#endif

// ---- the 1-D transforms, written out: the points 0, 1, -1 (, 2, -2) and infinity ---------------
// Each maps a values (or 3 for G) read at in[0], in[s], ... to out[0], out[so], ...; the 2-D
// transforms apply them down the columns, then along the rows. B^T and A^T act on every lane alike.

// out = G f: the filter's polynomial evaluated at the points.
inline void g_1d(const int m, const real* in, int s, real* out, int so) {
    real f0 = in[0], f1 = in[s], f2 = in[2 * s];
    if (m == 4) {
        out[0] = f0 / 4;
        out[so] = -(f0 + f1 + f2) / 6;
        out[2 * so] = -(f0 - f1 + f2) / 6;
        out[3 * so] = f0 / 24 + f1 / 12 + f2 / 6;
        out[4 * so] = f0 / 24 - f1 / 12 + f2 / 6;
        out[5 * so] = f2;
    } else {
        out[0] = f0;
        out[so] = (f0 + f1 + f2) / 2;
        out[2 * so] = (f0 - f1 + f2) / 2;
        out[3 * so] = f2;
    }
}

// out = B^T d: the input patch's part of the product, evaluated at the points.
inline void bt_1d(const int m, const wvec* d, int s, wvec* out, int so) {
    if (m == 4) {
        wvec d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s], d4 = d[4 * s], d5 = d[5 * s];
        out[0] = 4 * d0 - 5 * d2 + d4;
        out[so] = -4 * (d1 + d2) + d3 + d4;
        out[2 * so] = 4 * (d1 - d2) - d3 + d4;
        out[3 * so] = 2 * (d3 - d1) - d2 + d4;
        out[4 * so] = 2 * (d1 - d3) - d2 + d4;
        out[5 * so] = 4 * d1 - 5 * d3 + d5;
    } else {
        wvec d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s];
        out[0] = d0 - d2;
        out[so] = d1 + d2;
        out[2 * so] = d2 - d1;
        out[3 * so] = d1 - d3;
    }
}

// out = A^T p: interpolation from the values at the points back to m outputs.
inline void at_1d(const int m, const wvec* p, int s, wvec* out, int so) {
    if (m == 4) {
        wvec p0 = p[0], p1 = p[s], p2 = p[2 * s], p3 = p[3 * s], p4 = p[4 * s], p5 = p[5 * s];
        out[0] = p0 + p1 + p2 + p3 + p4;
        out[so] = p1 - p2 + 2 * (p3 - p4);
        out[2 * so] = p1 + p2 + 4 * (p3 + p4);
        out[3 * so] = p1 - p2 + 8 * (p3 - p4) + p5;
    } else {
        wvec p0 = p[0], p1 = p[s], p2 = p[2 * s], p3 = p[3 * s];
        out[0] = p0 + p1 + p2;
        out[so] = p1 - p2 - p3;
    }
}

// ---- weight transform ----------------------------------------------------------------------------

// U[xi] for the filter f from input channel c to output channel k, (G f G^T)[xi], stored at
// u[xi][k / WKT][c][k % WKT] (CPUs, 0 past K) or u[xi][k][c] (GPUs). Not rotated: f = w[k][c], w of
// (K, C, 3, 3). Rotated (backward to the data): f[r][s] = w[c][k][2 - r][2 - s], w of (C, K, 3, 3).
// Global size: (Kp, C).
inline void weights_body(const int m, __global const real* w, __global real* u, int K, int C, int rotated) {
    const int a = m + 2;
    int k = get_global_id(0), c = get_global_id(1);
#if WL == 16
    int kp = (K + WKT - 1) / WKT * WKT, at = (k / WKT * C + c) * WKT + k % WKT;
#else
    int kp = K, at = k * C + c;
#endif
    if (k >= kp || c >= C) return;
    real f[9], gf[6 * 3], ufg[6 * 6];
    for (int q = 0; q < 9; q++) {
        f[q] = k >= K ? 0.0f : rotated ? w[((long) c * K + k) * 9 + 8 - q] : w[((long) k * C + c) * 9 + q];
    }
    for (int s = 0; s < 3; s++) g_1d(m, f + s, 3, gf + s, 3);          // down the columns: G f
    for (int p = 0; p < a; p++) g_1d(m, gf + 3 * p, 1, ufg + p * a, 1); // along the rows: (G f) G^T
    for (int xi = 0; xi < a * a; xi++) u[xi * kp * C + at] = ufg[xi];
}

__kernel void winograd_weights_f4(__global const real* w, __global real* u, int K, int C, int rotated) {
    weights_body(4, w, u, K, C, rotated);
}

__kernel void winograd_weights_f2(__global const real* w, __global real* u, int K, int C, int rotated) {
    weights_body(2, w, u, K, C, rotated);
}

// ---- input transform -----------------------------------------------------------------------------

// d[j] (j < a), lane q: x[iy][x0 + q m + j], 0 outside the image: row i of the patches of WL
// neighbouring tiles. On CPUs the stretch of the row that the tiles read is first copied,
// zero-padded, into a private array, and each d[j] picks every m-th value of it from there (no
// bounds test per lane and column).
inline void patch_row(__global const real* xc, int iy, int x0, const int m, int H, int W, wvec* d) {
    const int a = m + 2;
#if WL == 16
    real span[16 * 4 + 2 + 16];
    int ok = iy >= 0 && iy < H;
    for (int e = 0; e < 16 * m + 2; e++) {
        int ix = x0 + e;
        span[e] = ok && ix >= 0 && ix < W ? xc[iy * W + ix] : 0.0f;
    }
    for (int j = 0; j < a; j++) {
        float16 a0 = vload16(0, span + j), a1 = vload16(1, span + j);
        if (m == 2) {
            d[j] = (float16) (a0.even, a1.even);
        } else {
            float16 a2 = vload16(2, span + j), a3 = vload16(3, span + j);
            d[j] = (float16) (a0.s048c, a1.s048c, a2.s048c, a3.s048c);
        }
    }
#else
    for (int j = 0; j < a; j++) {
        int ix = x0 + j;
        d[j] = iy >= 0 && iy < H && ix >= 0 && ix < W ? xc[iy * W + ix] : 0.0f;
    }
#endif
}

// p[0 .. n - 1] = the first n lanes of v.
inline void store_lanes(wvec v, __global real* p, int n) {
#if WL == 16
    if (n == 16) {
        WSTORE(v, p);
        return;
    }
    real a[16];
    WSTORE(v, a);
    for (int q = 0; q < n; q++) p[q] = a[q];
#else
    *p = v;
#endif
}

// v[xi][c][t] = (B^T d B)[xi] for the patch d of channel c under tile t of the chunk. A work-item
// takes WL neighbouring tiles of one tile row, for per_item channels (CPUs: few, long work-groups
// are cheap to schedule). Global size: (ceil(tilesW / WL), ceil(C / per_item), rows).
inline void input_body(const int m, __global const real* x, __global real* v, int C, int H, int W,
                       int tilesH, int tilesW, int ph, int pw, int row0, int tp, int per_item) {
    const int a = m + 2;
    int tw0 = get_global_id(0) * WL, c0 = get_global_id(1) * per_item, r = get_global_id(2);
    if (tw0 >= tilesW || c0 >= C) return;
    int n = (row0 + r) / tilesH, th = (row0 + r) % tilesH, t = r * tilesW + tw0, lanes = min(WL, tilesW - tw0);
    for (int c = c0; c < min(C, c0 + per_item); c++) {
        __global const real* xc = x + ((long) n * C + c) * H * W;
        wvec d[6 * 6], h[6 * 6];
        for (int i = 0; i < a; i++) patch_row(xc, th * m - ph + i, tw0 * m - pw, m, H, W, d + i * a);
        for (int j = 0; j < a; j++) bt_1d(m, d + j, a, h + j, a);           // down the columns: B^T d
        for (int i = 0; i < a; i++) bt_1d(m, h + i * a, 1, d + i * a, 1);   // along the rows: (B^T d) B
        for (int xi = 0; xi < a * a; xi++) store_lanes(d[xi], v + ((long) xi * C + c) * tp + t, lanes);
    }
}

__kernel void winograd_input_f4(__global const real* x, __global real* v, int C, int H, int W,
                                int tilesH, int tilesW, int ph, int pw, int row0, int tp, int per_item) {
    input_body(4, x, v, C, H, W, tilesH, tilesW, ph, pw, row0, tp, per_item);
}

__kernel void winograd_input_f2(__global const real* x, __global real* v, int C, int H, int W,
                                int tilesH, int tilesW, int ph, int pw, int row0, int tp, int per_item) {
    input_body(2, x, v, C, H, W, tilesH, tilesW, ph, pw, row0, tp, per_item);
}

// ---- the a^2 products, for CPUs (GPUs take the tiled GEMM) ------------------------------------------

// mm[xi][k][t] = sum_c u[xi][k / WKT][c][k % WKT] v[xi][c][t] for t < tblocks PX <= tp. A work-item
// keeps WKT channels x PX tiles in VK PX float16 accumulators, as conv_forward does, and walks
// blocks_per_item blocks of PX tiles (fewer, longer work-items: cheaper to schedule on a CPU),
// all against the same stretch of U, which stays in cache.
// Global size: (ceil(tblocks / blocks_per_item), kblocks, a^2), groups of one.
__kernel void winograd_product(__global const real* u, __global const real* v, __global real* mm,
                               int C, int kblocks, int tblocks, int tp, int blocks_per_item) {
    int tb0 = get_global_id(0) * blocks_per_item, kb = get_global_id(1), xi = get_global_id(2);
    if (tb0 >= tblocks || kb >= kblocks) return;
    int tb1 = min(tblocks, tb0 + blocks_per_item);
    __global const real* uk = u + ((long) xi * kblocks + kb) * C * WKT;
    for (int tb = tb0; tb < tb1; tb++) {
        __global const real* vt = v + (long) xi * C * tp + tb * PX;
        float16 acc[VK][PX];
        _Pragma("unroll")
        for (int q = 0; q < VK; q++) {
            _Pragma("unroll")
            for (int p = 0; p < PX; p++) acc[q][p] = 0.0f;
        }
        for (int c = 0; c < C; c++) {
            float16 uv[VK];
            _Pragma("unroll")
            for (int q = 0; q < VK; q++) uv[q] = vload16(q, uk + c * WKT);
            _Pragma("unroll")
            for (int p = 0; p < PX; p++) {
                float16 vv = (float16) vt[c * tp + p];
                _Pragma("unroll")
                for (int q = 0; q < VK; q++) acc[q][p] = fma(uv[q], vv, acc[q][p]);
            }
        }
        // Channels run along the accumulators, tiles along M's rows: PX tiles of a channel at a time.
        real out[PX][WKT];
        _Pragma("unroll")
        for (int p = 0; p < PX; p++) {
            _Pragma("unroll")
            for (int q = 0; q < VK; q++) vstore16(acc[q][p], q, out[p]);
        }
        __global real* mk = mm + ((long) xi * kblocks + kb) * WKT * tp + tb * PX;
        for (int kk = 0; kk < WKT; kk++) {
            _Pragma("unroll")
            for (int p = 0; p < PX; p++) mk[kk * tp + p] = out[p][kk];
        }
    }
}

// ---- output transform ----------------------------------------------------------------------------

// y[k][oy][tw m ..] (+)= row i of the m x m outputs of WL neighbouring tiles (lane q: tile tw + q)
// plus b, for the first `lanes` tiles and up to column OW. On CPUs the m values of each tile are
// first interleaved (zip) into whole vectors of the output row.
#if WL == 16
inline float16 zip2(float8 a, float8 b) {
    return (float16) (a.s0, b.s0, a.s1, b.s1, a.s2, b.s2, a.s3, b.s3, a.s4, b.s4, a.s5, b.s5, a.s6, b.s6, a.s7, b.s7);
}

inline float16 zip4(float4 a, float4 b, float4 c, float4 d) {
    return (float16) (a.s0, b.s0, c.s0, d.s0, a.s1, b.s1, c.s1, d.s1, a.s2, b.s2, c.s2, d.s2, a.s3, b.s3, c.s3, d.s3);
}
#endif

inline void store_row(wvec o0, wvec o1, wvec o2, wvec o3, const int m, __global real* yr, int tw, int lanes,
                      int OW, real b, int accumulate) {
    __global real* dst = yr + tw * m;
    int n = min(lanes * m, OW - tw * m);
#if WL == 16
    float16 row[4];
    if (m == 2) {
        row[0] = zip2(o0.lo, o1.lo);
        row[1] = zip2(o0.hi, o1.hi);
    } else {
        row[0] = zip4(o0.s0123, o1.s0123, o2.s0123, o3.s0123);
        row[1] = zip4(o0.s4567, o1.s4567, o2.s4567, o3.s4567);
        row[2] = zip4(o0.s89ab, o1.s89ab, o2.s89ab, o3.s89ab);
        row[3] = zip4(o0.scdef, o1.scdef, o2.scdef, o3.scdef);
    }
    int e = 0;
    for (int r = 0; r < m && e + 16 <= n; r++, e += 16) {
        float16 v = row[r] + b;
        vstore16(accumulate ? vload16(0, dst + e) + v : v, 0, dst + e);
    }
    if (e < n) {
        real rest[16];
        vstore16(row[e / 16], 0, rest);
        for (int q = 0; e + q < n; q++) dst[e + q] = accumulate ? dst[e + q] + rest[q] + b : rest[q] + b;
    }
#else
    real v[4] = {o0, o1, o2, o3};
    for (int j = 0; j < n; j++) dst[j] = accumulate ? dst[j] + v[j] + b : v[j] + b;
#endif
}

// y_t[k] = A^T M[.][k][t] A (+ bias[k]) for tile t of the chunk, cut at the image's edge; with
// accumulate (backward to the data) y += that. A work-item takes WL neighbouring tiles of one tile
// row (the lanes, side by side in M) for per_item channels.
// Global size: (ceil(tilesW / WL), ceil(K / per_item), rows).
inline void output_body(const int m, __global const real* mm, int kp, int tp, __global const real* bias,
                        __global real* y, int K, int OH, int OW, int tilesH, int tilesW, int row0,
                        int accumulate, int has_bias, int per_item) {
    const int a = m + 2;
    int tw0 = get_global_id(0) * WL, k0 = get_global_id(1) * per_item, r = get_global_id(2);
    if (tw0 >= tilesW || k0 >= K) return;
    int n = (row0 + r) / tilesH, th = (row0 + r) % tilesH, t = r * tilesW + tw0, lanes = min(WL, tilesW - tw0);
    for (int k = k0; k < min(K, k0 + per_item); k++) {
        wvec p[6 * 6], z[4 * 6], o[4 * 4];
        for (int xi = 0; xi < a * a; xi++) p[xi] = WLOAD(mm + ((long) xi * kp + k) * tp + t);
        for (int j = 0; j < a; j++) at_1d(m, p + j, a, z + j, a);           // down the columns: A^T M
        for (int i = 0; i < m; i++) at_1d(m, z + i * a, 1, o + i * m, 1);   // along the rows: (A^T M) A
        real b = has_bias ? bias[k] : 0.0f;
        for (int i = 0; i < m && th * m + i < OH; i++) {
            __global real* yr = y + (((long) n * K + k) * OH + th * m + i) * OW;
            store_row(o[i * m], o[i * m + 1], o[i * m + min(2, m - 1)], o[i * m + min(3, m - 1)], m, yr, tw0, lanes, OW,
                      b, accumulate);
        }
    }
}

__kernel void winograd_output_f4(__global const real* mm, int kp, int tp, __global const real* bias, __global real* y,
                                 int K, int OH, int OW, int tilesH, int tilesW, int row0, int accumulate, int has_bias,
                                 int per_item) {
    output_body(4, mm, kp, tp, bias, y, K, OH, OW, tilesH, tilesW, row0, accumulate, has_bias, per_item);
}

__kernel void winograd_output_f2(__global const real* mm, int kp, int tp, __global const real* bias, __global real* y,
                                 int K, int OH, int OW, int tilesH, int tilesW, int row0, int accumulate, int has_bias,
                                 int per_item) {
    output_body(2, mm, kp, tp, bias, y, K, OH, OW, tilesH, tilesW, row0, accumulate, has_bias, per_item);
}
