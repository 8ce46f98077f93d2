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
