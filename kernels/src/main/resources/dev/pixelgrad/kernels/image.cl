// Total variation, instance normalisation, windows (crop, roll) and per-channel clamping over
// x: (N, C, H, W) seen as planes of h x w.

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

// ---- instance normalisation: one work-group of NORM_LOCAL items per plane p = (n, c) of hw pixels ----
// The plane is read as vectors of NORM_VEC pixels: vector k goes to item k mod NORM_LOCAL, so the
// items of a group read neighbouring vectors (coalesced on a GPU) and each item keeps NORM_VEC
// independent Kahan sums (one SIMD register on a CPU, instead of one scalar chain that waits on
// its own latency). The last hw mod NORM_VEC pixels are summed as scalars. Each item's lanes are
// added pairwise, then the group adds the items' sums by halving in local memory. The host
// launches with exactly NORM_LOCAL items per group and sets both by device (ClImageKernels).
#ifndef NORM_LOCAL
#define NORM_LOCAL 256
#endif
#ifndef NORM_VEC
#define NORM_VEC 4
#endif
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define realv CAT(real, NORM_VEC)
#define vloadv CAT(vload, NORM_VEC)
#define vstorev CAT(vstore, NORM_VEC)

typedef struct { realv s; realv c; } kahanv;
#define KAHANV_ZERO {(realv) 0.0f, (realv) 0.0f}

// kahan_add on every lane of a vector
inline kahanv kahanv_add(kahanv k, realv v) {
    realv y = v - k.c;
    realv t = k.s + y;
    k.c = select((realv) 0.0f, (t - k.s) - y, isfinite(t));
    k.s = t;
    return k;
}

// The sum of the lanes of v, added pairwise.
inline real lanes_sum(realv v) {
    real t[NORM_VEC];
    vstorev(v, 0, t);
    for (int width = NORM_VEC / 2; width > 0; width >>= 1) {
        for (int i = 0; i < width; i++) {
            t[i] += t[i + width];
        }
    }
    return t[0];
}

// The sum of v over the work-group, returned to every item; scratch is free again on return.
inline real group_sum(real v, __local real* scratch) {
    int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = NORM_LOCAL / 2; width > 0; width >>= 1) {
        if (l < width) {
            scratch[l] += scratch[l + width];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    real total = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return total;
}

// The group's sum of an item's vector and scalar Kahan sums.
inline real group_sum_of(kahanv v, kahan k, __local real* scratch) {
    return group_sum(lanes_sum(v.s) + k.s, scratch);
}

// forward: mu = mean x, var = mean (x - mu)^2 (biased), y = gamma[c] (x - mu) / sqrt(var + eps) + beta[c].
// Two passes: a float mean m first, then the deviations t = x - m (exact for x near m) give both the
// variance and the mean's own rounding error, corr = mean t, so a plane with mean 1000 and spread 1
// keeps its digits: mu = m + corr, var = mean t^2 - corr^2.
__kernel void instance_norm_forward(int c, int hw, real eps, __global const real* x, __global const real* gamma,
                                    __global const real* beta, __global real* y, __global real* mean,
                                    __global real* inv_std) {
    __local real scratch[NORM_LOCAL];
    int p = get_group_id(0), l = get_local_id(0), vectors = hw / NORM_VEC;
    __global const real* xp = x + (long) p * hw;
    __global real* yp = y + (long) p * hw;
    kahanv sv = KAHANV_ZERO;
    kahan s = {0.0f, 0.0f};
    for (int k = l; k < vectors; k += NORM_LOCAL) {
        sv = kahanv_add(sv, vloadv(k, xp));
    }
    for (int i = vectors * NORM_VEC + l; i < hw; i += NORM_LOCAL) {
        s = kahan_add(s, xp[i]);
    }
    real m = group_sum_of(sv, s, scratch) / hw;
    kahanv dv = KAHANV_ZERO, qv = KAHANV_ZERO;
    kahan d = {0.0f, 0.0f}, q = {0.0f, 0.0f};
    for (int k = l; k < vectors; k += NORM_LOCAL) {
        realv t = vloadv(k, xp) - m;
        dv = kahanv_add(dv, t);
        qv = kahanv_add(qv, t * t);
    }
    for (int i = vectors * NORM_VEC + l; i < hw; i += NORM_LOCAL) {
        real t = xp[i] - m;
        d = kahan_add(d, t);
        q = kahan_add(q, t * t);
    }
    real corr = group_sum_of(dv, d, scratch) / hw;
    real var = fmax(group_sum_of(qv, q, scratch) / hw - corr * corr, 0.0f);
    real inv = 1.0f / sqrt(var + eps);
    real scale = gamma[p % c] * inv, shift = beta[p % c];
    for (int k = l; k < vectors; k += NORM_LOCAL) {
        vstorev((vloadv(k, xp) - m - corr) * scale + shift, k, yp);
    }
    for (int i = vectors * NORM_VEC + l; i < hw; i += NORM_LOCAL) {
        yp[i] = (xp[i] - m - corr) * scale + shift;
    }
    if (l == 0) {
        mean[p] = m + corr;
        inv_std[p] = inv;
    }
}

// backward: xhat = (x - mu) inv_std[p], with mu = mean[p] + corr the saved float mean made exact
// again (corr = mean of t = x - mean[p], as in the forward)
//   =>  dx += gamma[c] inv_std[p] (dy - mean dy - xhat mean(dy xhat))   (when has_dx)
// and the plane's sum dy, sum dy xhat = (sum dy t - corr sum dy) inv_std go to plane_sums[2p], [2p + 1]
// for instance_norm_channel_grads.
__kernel void instance_norm_backward(int c, int hw, __global const real* x, __global const real* gamma,
                                     __global const real* mean, __global const real* inv_std,
                                     __global const real* dy, __global real* dx, int has_dx,
                                     __global real* plane_sums) {
    __local real scratch[NORM_LOCAL];
    int p = get_group_id(0), l = get_local_id(0), vectors = hw / NORM_VEC;
    long o = (long) p * hw;
    __global const real* xp = x + o;
    __global const real* dyp = dy + o;
    __global real* dxp = dx + o;
    real m = mean[p], inv = inv_std[p];
    kahanv sdv = KAHANV_ZERO, stv = KAHANV_ZERO, sdtv = KAHANV_ZERO;
    kahan sd = {0.0f, 0.0f}, st = {0.0f, 0.0f}, sdt = {0.0f, 0.0f};
    for (int k = l; k < vectors; k += NORM_LOCAL) {
        realv t = vloadv(k, xp) - m, g = vloadv(k, dyp);
        sdv = kahanv_add(sdv, g);
        stv = kahanv_add(stv, t);
        sdtv = kahanv_add(sdtv, g * t);
    }
    for (int i = vectors * NORM_VEC + l; i < hw; i += NORM_LOCAL) {
        real t = xp[i] - m;
        sd = kahan_add(sd, dyp[i]);
        st = kahan_add(st, t);
        sdt = kahan_add(sdt, dyp[i] * t);
    }
    real sum_dy = group_sum_of(sdv, sd, scratch), corr = group_sum_of(stv, st, scratch) / hw;
    real sum_dy_xhat = (group_sum_of(sdtv, sdt, scratch) - corr * sum_dy) * inv;
    if (has_dx) {
        real k = gamma[p % c] * inv, mean_dy = sum_dy / hw, mean_dy_xhat = sum_dy_xhat / hw;
        for (int v = l; v < vectors; v += NORM_LOCAL) {
            realv xhat = (vloadv(v, xp) - m - corr) * inv;
            vstorev(vloadv(v, dxp) + k * (vloadv(v, dyp) - mean_dy - xhat * mean_dy_xhat), v, dxp);
        }
        for (int i = vectors * NORM_VEC + l; i < hw; i += NORM_LOCAL) {
            real xhat = (xp[i] - m - corr) * inv;
            dxp[i] += k * (dyp[i] - mean_dy - xhat * mean_dy_xhat);
        }
    }
    if (l == 0) {
        plane_sums[2 * p] = sum_dy;
        plane_sums[2 * p + 1] = sum_dy_xhat;
    }
}

// dbeta[ch] += sum_b plane_sums[2 (b c + ch)],  dgamma[ch] += sum_b plane_sums[2 (b c + ch) + 1]:
// one item per channel adds its n planes in order, so no two groups race for a channel.
__kernel void instance_norm_channel_grads(int n, int c, __global const real* plane_sums,
                                          __global real* dgamma, int has_dgamma, __global real* dbeta, int has_dbeta) {
    int ch = get_global_id(0); GUARD(ch, c);
    kahan g = {0.0f, 0.0f}, b = {0.0f, 0.0f};
    for (int img = 0; img < n; img++) {
        b = kahan_add(b, plane_sums[2 * (img * c + ch)]);
        g = kahan_add(g, plane_sums[2 * (img * c + ch) + 1]);
    }
    if (has_dgamma) {
        dgamma[ch] += g.s;
    }
    if (has_dbeta) {
        dbeta[ch] += b.s;
    }
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
