// Total variation, windows (crop, roll) and per-channel clamping over x: (N, C, H, W) seen as planes of h x w.

// forward: tv = sum_p q_p^(beta/2), q_p = dr_p^2 + dd_p^2 + eps with dr_p = x[p+1] - x[p],
// dd_p = x[p+w] - x[p], over pixels p not in the last row or column.
// => dx[p] += s f_p (-(dr_p + dd_p)) + s f_{p-1} dr_{p-1} + s f_{p-w} dd_{p-w}, f = beta q^(beta/2 - 1)
// Gathered per pixel so each work-item writes only its own dx element.
inline real tv_factor(__global const real* x, int t, int w, real beta, real eps, real* dr, real* dd) {
    *dr = x[t + 1] - x[t];
    *dd = x[t + w] - x[t];
    real q = (*dr) * (*dr) + (*dd) * (*dd) + eps;
    return beta * (beta == 2.0f ? 1.0f : pow(q, 0.5f * beta - 1.0f));
}

__kernel void tv_backward(__global const real* x, int n, int h, int w, real beta, real eps,
                          __global const real* s, __global real* dx) {
    int t = get_global_id(0); GUARD(t, n);
    int j = t % w, i = (t / w) % h;
    real dr, dd, f, acc = 0.0f;
    if (i < h - 1 && j < w - 1) {
        f = tv_factor(x, t, w, beta, eps, &dr, &dd);
        acc -= f * (dr + dd);
    }
    if (j > 0 && i < h - 1) {
        f = tv_factor(x, t - 1, w, beta, eps, &dr, &dd);
        acc += f * dr;
    }
    if (i > 0 && j < w - 1) {
        f = tv_factor(x, t - w, w, beta, eps, &dr, &dd);
        acc += f * dd;
    }
    dx[t] += s[0] * acc;
}

// y (planes = n c, hw) = x clamped per channel: lo[ch] <= y <= hi[ch]; y may be x
__kernel void clamp_channels(__global const real* x, __global const real* lo, __global const real* hi,
                             int total, int c, int hw, __global real* y) {
    int t = get_global_id(0); GUARD(t, total);
    int ch = (t / hw) % c;
    y[t] = fmin(fmax(x[t], lo[ch]), hi[ch]);
}

// The window of x (planes, h, w) at (y0, x0), wrapping around: element t of the window
// (planes, th, tw) is pixel ((y0 + i) mod h, (x0 + j) mod w) of its plane.
inline long window_source(int t, int h, int w, int th, int tw, int y0, int x0) {
    int j = t % tw, i = (t / tw) % th, pl = t / (th * tw);
    int si = y0 + i; if (si >= h) si -= h;
    int sj = x0 + j; if (sj >= w) sj -= w;
    return ((long) pl * h + si) * w + sj;
}

// forward: y = window(x)  (crop, roll)
__kernel void window_forward(__global const real* x, __global real* y, int total, int h, int w,
                             int th, int tw, int y0, int x0) {
    int t = get_global_id(0); GUARD(t, total);
    y[t] = x[window_source(t, h, w, th, tw, y0, x0)];
}

// backward: dx[window] += dy; the window is no larger than the plane, so no two items meet
__kernel void window_backward(__global const real* dy, __global real* dx, int total, int h, int w,
                              int th, int tw, int y0, int x0) {
    int t = get_global_id(0); GUARD(t, total);
    dx[window_source(t, h, w, th, tw, y0, x0)] += dy[t];
}
