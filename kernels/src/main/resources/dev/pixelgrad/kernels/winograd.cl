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
// x: (N, C, H, W)   w: (K, C, 3, 3)   y: (N, K, OH, OW); tiles are numbered t = (n tilesH + th) tilesW
// + tw over the whole batch, and a launch covers the chunk of tiles t0 .. t0 + count - 1.
// Layouts are blocked so that the product's work-item reads both operands as contiguous streams:
//   U: (a^2, ceil(K / kt), C, kt)   kt output channels side by side (kt = 16 VK; 1 gives (a^2, K, C))
//   V: (a^2, ceil(T / pt), C, pt)   pt tiles side by side (pt = PX; 1 gives (a^2, T, C))
//   M: (a^2, Tp, Kp)                output channels side by side; Tp, Kp: T, K rounded up to pt, kt

// Tunables (Tuning.java): VK float16 vectors of output channels and PX tiles per product work-item.
#if !defined(VK) || !defined(PX)
#error "winograd.cl needs -D VK and PX (see Tuning.defines())"
#endif
#define WKT (16 * VK)

// ---- the 1-D transforms, written out: the points 0, 1, -1 (, 2, -2) and infinity ---------------
// Each maps a values (or 3 for G) read at in[0], in[s], ... to out[0], out[so], ...; the 2-D
// transforms apply them down the columns, then along the rows.

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
inline void bt_1d(const int m, const real* d, int s, real* out, int so) {
    if (m == 4) {
        real d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s], d4 = d[4 * s], d5 = d[5 * s];
        out[0] = 4 * d0 - 5 * d2 + d4;
        out[so] = -4 * (d1 + d2) + d3 + d4;
        out[2 * so] = 4 * (d1 - d2) - d3 + d4;
        out[3 * so] = 2 * (d3 - d1) - d2 + d4;
        out[4 * so] = 2 * (d1 - d3) - d2 + d4;
        out[5 * so] = 4 * d1 - 5 * d3 + d5;
    } else {
        real d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s];
        out[0] = d0 - d2;
        out[so] = d1 + d2;
        out[2 * so] = d2 - d1;
        out[3 * so] = d1 - d3;
    }
}

// out = A^T p: interpolation from the values at the points back to m outputs.
inline void at_1d(const int m, const real* p, int s, real* out, int so) {
    if (m == 4) {
        real p0 = p[0], p1 = p[s], p2 = p[2 * s], p3 = p[3 * s], p4 = p[4 * s], p5 = p[5 * s];
        out[0] = p0 + p1 + p2 + p3 + p4;
        out[so] = p1 - p2 + 2 * (p3 - p4);
        out[2 * so] = p1 + p2 + 4 * (p3 + p4);
        out[3 * so] = p1 - p2 + 8 * (p3 - p4) + p5;
    } else {
        real p0 = p[0], p1 = p[s], p2 = p[2 * s], p3 = p[3 * s];
        out[0] = p0 + p1 + p2;
        out[so] = p1 - p2 - p3;
    }
}

// ---- weight transform ----------------------------------------------------------------------------

// u[xi][kb][c][kk] = (G f G^T)[xi] for the filter f from input channel c to output channel
// k = kb kt + kk (0 past K). Not rotated: f = w[k][c], w of (K, C, 3, 3). Rotated (backward to the
// data): f[r][s] = w[c][k][2 - r][2 - s], w of (C, K, 3, 3). Work-item i is the element's index
// within one xi plane, so the a^2 stores of neighbouring work-items are contiguous.
inline void weights_body(const int m, __global const real* w, __global real* u, int K, int C, int kt, int rotated) {
    const int a = m + 2;
    int kblocks = (K + kt - 1) / kt;
    long plane = (long) kblocks * kt * C;
    long i = get_global_id(0);
    if (i >= plane) return;
    int kk = i % kt, c = (i / kt) % C, k = (i / kt / C) * kt + kk;
    real f[9], gf[6 * 3], ufg[6 * 6];
    for (int q = 0; q < 9; q++) {
        f[q] = k >= K ? 0.0f : rotated ? w[((long) c * K + k) * 9 + 8 - q] : w[((long) k * C + c) * 9 + q];
    }
    for (int s = 0; s < 3; s++) g_1d(m, f + s, 3, gf + s, 3);          // down the columns: G f
    for (int p = 0; p < a; p++) g_1d(m, gf + 3 * p, 1, ufg + p * a, 1); // along the rows: (G f) G^T
    for (int xi = 0; xi < a * a; xi++) u[xi * plane + i] = ufg[xi];
}

__kernel void winograd_weights_f4(__global const real* w, __global real* u, int K, int C, int kt, int rotated) {
    weights_body(4, w, u, K, C, kt, rotated);
}

__kernel void winograd_weights_f2(__global const real* w, __global real* u, int K, int C, int kt, int rotated) {
    weights_body(2, w, u, K, C, kt, rotated);
}

// ---- input transform -----------------------------------------------------------------------------

// v[xi][tb][c][p] = (B^T d B)[xi] for the patch d of channel c under tile t0 + tb pt + p (zeros for
// the tiles past count, which round the chunk up to whole blocks). Work-item i is again the index
// within one xi plane: neighbouring work-items are neighbouring tiles of one image row.
inline void input_body(const int m, __global const real* x, __global real* v, int C, int H, int W,
                       int tilesH, int tilesW, int ph, int pw, int t0, int count, int pt) {
    const int a = m + 2;
    int tblocks = (count + pt - 1) / pt;
    long plane = (long) tblocks * pt * C;
    long i = get_global_id(0);
    if (i >= plane) return;
    int p = i % pt, c = (i / pt) % C, t = (i / pt / C) * pt + p;
    real d[6 * 6], h[6 * 6];
    int tile = t0 + t, n = tile / (tilesH * tilesW), th = tile / tilesW % tilesH, tw = tile % tilesW;
    __global const real* xc = x + ((long) n * C + c) * H * W;
    for (int r = 0; r < a; r++) {
        int iy = th * m - ph + r;
        for (int s = 0; s < a; s++) {
            int ix = tw * m - pw + s;
            d[r * a + s] = t < count && iy >= 0 && iy < H && ix >= 0 && ix < W ? xc[iy * W + ix] : 0.0f;
        }
    }
    for (int s = 0; s < a; s++) bt_1d(m, d + s, a, h + s, a);           // down the columns: B^T d
    for (int r = 0; r < a; r++) bt_1d(m, h + r * a, 1, d + r * a, 1);   // along the rows: (B^T d) B
    for (int xi = 0; xi < a * a; xi++) v[xi * plane + i] = d[xi];
}

__kernel void winograd_input_f4(__global const real* x, __global real* v, int C, int H, int W,
                                int tilesH, int tilesW, int ph, int pw, int t0, int count, int pt) {
    input_body(4, x, v, C, H, W, tilesH, tilesW, ph, pw, t0, count, pt);
}

__kernel void winograd_input_f2(__global const real* x, __global real* v, int C, int H, int W,
                                int tilesH, int tilesW, int ph, int pw, int t0, int count, int pt) {
    input_body(2, x, v, C, H, W, tilesH, tilesW, ph, pw, t0, count, pt);
}

// ---- the a^2 products, for CPUs (GPUs take the tiled GEMM) ------------------------------------------

// mm[xi][tb PX + p][kb WKT + kk] = sum_c u[xi][kb][c][kk] v[xi][tb][c][p] (U blocked by kt = WKT,
// V by pt = PX). A work-item keeps WKT channels x PX tiles in VK PX float16 accumulators, as
// conv_forward does, and walks blocks_per_item tile blocks (fewer, longer work-items: cheaper to
// schedule on a CPU), all against the same stretch of U, which stays in cache.
// Global size: (ceil(tblocks / blocks_per_item), kblocks, a^2), groups of one.
__kernel void winograd_product(__global const real* u, __global const real* v, __global real* mm,
                               int C, int kblocks, int tblocks, int blocks_per_item) {
    int tb0 = get_global_id(0) * blocks_per_item, kb = get_global_id(1), xi = get_global_id(2);
    if (tb0 >= tblocks || kb >= kblocks) return;
    int tb1 = min(tblocks, tb0 + blocks_per_item);
    long kp = (long) kblocks * WKT;
    __global const real* uk = u + ((long) xi * kblocks + kb) * C * WKT;
    for (int tb = tb0; tb < tb1; tb++) {
        __global const real* vt = v + ((long) xi * tblocks + tb) * C * PX;
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
                float16 vv = (float16) vt[c * PX + p];
                _Pragma("unroll")
                for (int q = 0; q < VK; q++) acc[q][p] = fma(uv[q], vv, acc[q][p]);
            }
        }
        __global real* out = mm + ((long) xi * tblocks * PX + tb * PX) * kp + kb * WKT;
        _Pragma("unroll")
        for (int p = 0; p < PX; p++) {
            _Pragma("unroll")
            for (int q = 0; q < VK; q++) vstore16(acc[q][p], q, out + p * kp);
        }
    }
}

// ---- output transform ----------------------------------------------------------------------------

// y_t[k] = A^T M[.][t][k] A (+ bias[k]) for tile t0 + t, cut at the image's edge; with accumulate
// (backward to the data) y += that. M[xi] is (Tp, Kp) at mm + xi m_plane, element (t, k) at
// t ts + k ks: the CPU product writes ts = Kp, ks = 1, the GEMM ts = 1, ks = Tp. Work-item
// i = t K + k: neighbouring work-items are neighbouring channels of one tile.
inline void output_body(const int m, __global const real* mm, int m_plane, int ts, int ks,
                        __global const real* bias, __global real* y, int K, int OH, int OW,
                        int tilesH, int tilesW, int t0, int count, int accumulate, int has_bias) {
    const int a = m + 2;
    long i = get_global_id(0);
    if (i >= (long) count * K) return;
    int k = i % K, t = i / K;
    real p[6 * 6], z[4 * 6], o[4 * 4];
    for (int xi = 0; xi < a * a; xi++) p[xi] = mm[(long) xi * m_plane + (long) t * ts + (long) k * ks];
    for (int s = 0; s < a; s++) at_1d(m, p + s, a, z + s, a);           // down the columns: A^T M
    for (int r = 0; r < m; r++) at_1d(m, z + r * a, 1, o + r * m, 1);   // along the rows: (A^T M) A
    int tile = t0 + t, n = tile / (tilesH * tilesW), th = tile / tilesW % tilesH, tw = tile % tilesW;
    real b = has_bias ? bias[k] : 0.0f;
    __global real* yk = y + ((long) n * K + k) * OH * OW;
    for (int r = 0; r < m; r++) {
        int oy = th * m + r;
        for (int s = 0; s < m; s++) {
            int ox = tw * m + s;
            if (oy < OH && ox < OW) {
                real val = o[r * m + s] + b;
                yk[oy * OW + ox] = accumulate ? yk[oy * OW + ox] + val : val;
            }
        }
    }
}

__kernel void winograd_output_f4(__global const real* mm, int m_plane, int ts, int ks, __global const real* bias,
                                 __global real* y, int K, int OH, int OW, int tilesH, int tilesW, int t0, int count,
                                 int accumulate, int has_bias) {
    output_body(4, mm, m_plane, ts, ks, bias, y, K, OH, OW, tilesH, tilesW, t0, count, accumulate, has_bias);
}

__kernel void winograd_output_f2(__global const real* mm, int m_plane, int ts, int ks, __global const real* bias,
                                 __global real* y, int K, int OH, int OW, int tilesH, int tilesW, int t0, int count,
                                 int accumulate, int has_bias) {
    output_body(2, mm, m_plane, ts, ks, bias, y, K, OH, OW, tilesH, tilesW, t0, count, accumulate, has_bias);
}
