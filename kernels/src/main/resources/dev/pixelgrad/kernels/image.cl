// Image helpers of the optimisation loops over x: (N, C, H, W) seen as planes of h x w.

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

// x (planes = n c, hw) clamped per channel: lo[ch] <= x <= hi[ch]
__kernel void clamp_channels(__global real* x, int total, int c, int hw,
                             __global const real* lo, __global const real* hi) {
    int t = get_global_id(0); GUARD(t, total);
    int ch = (t / hw) % c;
    x[t] = fmin(fmax(x[t], lo[ch]), hi[ch]);
}

// y[i][j] = x[(i - sy) mod h][(j - sx) mod w] with 0 <= sy < h, 0 <= sx < w
__kernel void roll(__global const real* x, __global real* y, int total, int h, int w, int sy, int sx) {
    int t = get_global_id(0); GUARD(t, total);
    int j = t % w, i = (t / w) % h, pl = t / (h * w);
    int si = i - sy; if (si < 0) si += h;
    int sj = j - sx; if (sj < 0) sj += w;
    y[t] = x[((long) pl * h + si) * w + sj];
}

// out (planes, th, tw) = x (planes, h, w) window at (y0, x0)
__kernel void crop_window(__global const real* x, __global real* out, int total, int h, int w,
                          int y0, int x0, int th, int tw) {
    int t = get_global_id(0); GUARD(t, total);
    int j = t % tw, i = (t / tw) % th, pl = t / (th * tw);
    out[t] = x[((long) pl * h + y0 + i) * w + x0 + j];
}

// x (planes, h, w) window at (y0, x0) += t (planes, th, tw)
__kernel void add_window(__global const real* tile, __global real* x, int total, int th, int tw,
                         int h, int w, int y0, int x0) {
    int t = get_global_id(0); GUARD(t, total);
    int j = t % tw, i = (t / tw) % th, pl = t / (th * tw);
    x[((long) pl * h + y0 + i) * w + x0 + j] += tile[t];
}
