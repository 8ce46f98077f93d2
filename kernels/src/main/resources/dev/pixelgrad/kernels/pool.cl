// x: (N, C, H, W)   y: (N, C, OH, OW); one work-item per output (forward) or input (backward)
// element. Backward gathers over the windows that cover an input pixel, so no two work-items
// write the same element and results do not depend on scheduling.

// Offset within the plane of the first maximum of window (oi, oj): rows then columns, a NaN wins
// at once (as PyTorch). -1 when the window lies entirely in the padding.
inline int pool_argmax(__global const real* xp, int h, int w, int oi, int oj,
                       int kh, int kw, int sh, int sw, int ph, int pw) {
    int best = -1;
    real best_v = -INFINITY;
    for (int r = 0; r < kh; r++) {
        int yi = oi * sh - ph + r;
        if (yi < 0 || yi >= h) continue;
        for (int s = 0; s < kw; s++) {
            int xj = oj * sw - pw + s;
            if (xj < 0 || xj >= w) continue;
            real v = xp[yi * w + xj];
            if (best < 0 || v > best_v || isnan(v)) {
                best = yi * w + xj;
                best_v = v;
                if (isnan(v)) return best;
            }
        }
    }
    return best;
}

__kernel void max_pool_forward(__global const real* x, __global real* y, int planes, int h, int w,
                               int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw) {
    int idx = get_global_id(0); GUARD(idx, planes * oh * ow);
    int oj = idx % ow, oi = (idx / ow) % oh, pl = idx / (oh * ow);
    __global const real* xp = x + (long) pl * h * w;
    int a = pool_argmax(xp, h, w, oi, oj, kh, kw, sh, sw, ph, pw);
    y[idx] = a < 0 ? -INFINITY : xp[a];
}

// First and last window index (inclusive) along one axis whose window covers input position i.
inline int first_window(int i, int k, int s, int p) {
    int num = i + p - k + 1;
    return num <= 0 ? 0 : (num + s - 1) / s;
}

inline int last_window(int i, int s, int p, int out) {
    return min((i + p) / s, out - 1);
}

// forward: y = x[argmax of window]  =>  dx[argmax] += dy
__kernel void max_pool_backward(__global const real* x, __global const real* dy, __global real* dx,
                                int planes, int h, int w, int oh, int ow,
                                int kh, int kw, int sh, int sw, int ph, int pw) {
    int idx = get_global_id(0); GUARD(idx, planes * h * w);
    int xj = idx % w, yi = (idx / w) % h, pl = idx / (h * w);
    __global const real* xp = x + (long) pl * h * w;
    __global const real* dyp = dy + (long) pl * oh * ow;
    int self = yi * w + xj;
    real acc = 0.0f;
    for (int oi = first_window(yi, kh, sh, ph); oi <= last_window(yi, sh, ph, oh); oi++) {
        for (int oj = first_window(xj, kw, sw, pw); oj <= last_window(xj, sw, pw, ow); oj++) {
            if (pool_argmax(xp, h, w, oi, oj, kh, kw, sh, sw, ph, pw) == self) {
                acc += dyp[oi * ow + oj];
            }
        }
    }
    dx[idx] += acc;
}

// VGG's pooling: 2x2 windows, stride 2, no padding, so every window lies inside the image and no
// two windows share a pixel. A work-item takes 16 windows of an output row as the lanes of float16
// vectors (the even and odd columns of 32 inputs), without divisions per element; the last, ragged
// block of a row goes window by window. The scan order and the NaN rule are pool_argmax's: the
// first maximum, or the first NaN.

// Offset in x of the first maximum (or first NaN) of the window whose top-left pixel is x[top].
inline long window2x2_argmax(__global const real* x, long top, int w) {
    long best = top;
    real v = x[top];
    if (!isnan(v) && (x[top + 1] > v || isnan(x[top + 1]))) { best = top + 1; v = x[best]; }
    if (!isnan(v) && (x[top + w] > v || isnan(x[top + w]))) { best = top + w; v = x[best]; }
    if (!isnan(v) && (x[top + w + 1] > v || isnan(x[top + w + 1]))) { best = top + w + 1; }
    return best;
}

// Whether the scan moves from the best value so far (v) to candidate c, per lane.
#define TAKES(c, v) (~isnan(v) & (((c) > (v)) | isnan(c)))

// The 16 windows from x[top]: their maxima in *best, and which pixel holds each (0, 1, w, w + 1 as 0..3).
inline int16 windows2x2(__global const real* x, long top, int w, real16* best) {
    real16 a0 = vload16(0, x + top), a1 = vload16(1, x + top);
    real16 b0 = vload16(0, x + top + w), b1 = vload16(1, x + top + w);
    real16 v = (real16)(a0.even, a1.even), c;
    int16 at = (int16)(0), take;
    c = (real16)(a0.odd, a1.odd);  take = TAKES(c, v); v = select(v, c, take); at = select(at, (int16)(1), take);
    c = (real16)(b0.even, b1.even); take = TAKES(c, v); v = select(v, c, take); at = select(at, (int16)(2), take);
    c = (real16)(b0.odd, b1.odd);  take = TAKES(c, v); v = select(v, c, take); at = select(at, (int16)(3), take);
    *best = v;
    return at;
}

// Range: (blocks of 16 output columns, plane * oh + output row).
// Offset in x of the top-left pixel of window oj of output row `row` (= plane oh + output row).
inline long window2x2_top(int row, int oj, int h, int w, int oh) {
    int pl = row / oh, oi = row - pl * oh;
    return ((long) pl * h + 2 * oi) * w + 2 * oj;
}

__kernel void max_pool2x2_forward(__global const real* x, __global real* y, int h, int w, int oh, int ow) {
    int oj0 = get_global_id(0) * 16, row = get_global_id(1);
    if (oj0 >= ow) return;
    long top = window2x2_top(row, oj0, h, w, oh), out = (long) row * ow + oj0;
    if (oj0 + 16 <= ow) {
        real16 v;
        windows2x2(x, top, w, &v);
        vstore16(v, 0, y + out);
    } else {
        for (int j = 0; oj0 + j < ow; j++) {
            y[out + j] = x[window2x2_argmax(x, top + 2 * j, w)];
        }
    }
}

// forward: y = x[argmax of window]  =>  dx[argmax] += dy; a work-item owns its windows' pixels
__kernel void max_pool2x2_backward(__global const real* x, __global const real* dy, __global real* dx,
                                   int h, int w, int oh, int ow) {
    int oj0 = get_global_id(0) * 16, row = get_global_id(1);
    if (oj0 >= ow) return;
    long top = window2x2_top(row, oj0, h, w, oh), out = (long) row * ow + oj0;
    if (oj0 + 16 <= ow) {
        real16 v;
        int16 at = windows2x2(x, top, w, &v);
        // Offsets 0, 1, w, w + 1 for at = 0..3, added to each window's top-left pixel.
        int16 off = (at & 1) + (at >> 1) * w + 2 * (int16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        real16 g = vload16(0, dy + out);
        dx[top + off.s0] += g.s0; dx[top + off.s1] += g.s1; dx[top + off.s2] += g.s2; dx[top + off.s3] += g.s3;
        dx[top + off.s4] += g.s4; dx[top + off.s5] += g.s5; dx[top + off.s6] += g.s6; dx[top + off.s7] += g.s7;
        dx[top + off.s8] += g.s8; dx[top + off.s9] += g.s9; dx[top + off.sa] += g.sa; dx[top + off.sb] += g.sb;
        dx[top + off.sc] += g.sc; dx[top + off.sd] += g.sd; dx[top + off.se] += g.se; dx[top + off.sf] += g.sf;
    } else {
        for (int j = 0; oj0 + j < ow; j++) {
            dx[window2x2_argmax(x, top + 2 * j, w)] += dy[out + j];
        }
    }
}

__kernel void avg_pool_forward(__global const real* x, __global real* y, int planes, int h, int w,
                               int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw) {
    int idx = get_global_id(0); GUARD(idx, planes * oh * ow);
    int oj = idx % ow, oi = (idx / ow) % oh, pl = idx / (oh * ow);
    __global const real* xp = x + (long) pl * h * w;
    real s = 0.0f;
    for (int r = 0; r < kh; r++) {
        int yi = oi * sh - ph + r;
        if (yi < 0 || yi >= h) continue;
        for (int c = 0; c < kw; c++) {
            int xj = oj * sw - pw + c;
            if (xj >= 0 && xj < w) s += xp[yi * w + xj];
        }
    }
    y[idx] = s * (1.0f / (kh * kw));
}

// forward: y = (1 / (kh kw)) sum over the window (padding counted)  =>  dx += dy / (kh kw) per window
__kernel void avg_pool_backward(__global const real* dy, __global real* dx, int planes, int h, int w,
                                int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw) {
    int idx = get_global_id(0); GUARD(idx, planes * h * w);
    int xj = idx % w, yi = (idx / w) % h, pl = idx / (h * w);
    __global const real* dyp = dy + (long) pl * oh * ow;
    real acc = 0.0f;
    for (int oi = first_window(yi, kh, sh, ph); oi <= last_window(yi, sh, ph, oh); oi++) {
        for (int oj = first_window(xj, kw, sw, pw); oj <= last_window(xj, sw, pw, ow); oj++) {
            acc += dyp[oi * ow + oj];
        }
    }
    dx[idx] += acc * (1.0f / (kh * kw));
}
