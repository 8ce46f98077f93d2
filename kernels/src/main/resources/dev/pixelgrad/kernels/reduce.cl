// Deterministic two-stage reductions into a scalar buffer.
// Stage 1: work-item i of G sums the terms i, i+G, i+2G, ... (consecutive work-items read
// consecutive floats, so the CPU driver vectorises the loads) into partial[i].
// Stage 2: one work-item adds the G partials in order into out[0].
// The order never depends on scheduling, so a loss is bit-identical from run to run.

#define REDUCE_STAGE1(name, params, term)                                              \
__kernel void name params {                                                            \
    int i = get_global_id(0);                                                          \
    int g = get_global_size(0);                                                        \
    kahan k = {0.0f, 0.0f};                                                            \
    for (int t = i; t < n; t += g) {                                                   \
        k = kahan_add(k, term);                                                        \
    }                                                                                  \
    partial[i] = k.s;                                                                  \
}

REDUCE_STAGE1(sum_stage1, (__global const real* x, int n, __global real* partial), x[t])
REDUCE_STAGE1(sum_abs_stage1, (__global const real* x, int n, __global real* partial), fabs(x[t]))
REDUCE_STAGE1(ssd_stage1, (__global const real* a, __global const real* b, int n, __global real* partial),
              (a[t] - b[t]) * (a[t] - b[t]))
REDUCE_STAGE1(dot_stage1, (__global const real* a, __global const real* b, int n, __global real* partial),
              a[t] * b[t])

// Total variation term at pixel t of planes (h, w); pixels in the last row or column add nothing.
// q = d_right^2 + d_down^2 + eps, term = q^(beta/2)
inline real tv_term(__global const real* x, int t, int h, int w, real beta, real eps) {
    int j = t % w;
    int i = (t / w) % h;
    if (i == h - 1 || j == w - 1) {
        return 0.0f;
    }
    real dr = x[t + 1] - x[t];
    real dd = x[t + w] - x[t];
    real q = dr * dr + dd * dd + eps;
    return beta == 2.0f ? q : pow(q, 0.5f * beta);
}

REDUCE_STAGE1(tv_stage1, (__global const real* x, int n, int h, int w, real beta, real eps, __global real* partial),
              tv_term(x, t, h, w, beta, eps))

__kernel void reduce_finish(__global const real* partial, int g, __global real* out) {
    if (get_global_id(0) != 0) return;
    kahan k = {0.0f, 0.0f};
    for (int i = 0; i < g; i++) {
        k = kahan_add(k, partial[i]);
    }
    out[0] = k.s;
}

__kernel void count_nonfinite_stage1(__global const real* x, int n, __global int* partial) {
    int i = get_global_id(0);
    int g = get_global_size(0);
    int bad = 0;
    for (int t = i; t < n; t += g) {
        bad += isfinite(x[t]) ? 0 : 1;
    }
    partial[i] = bad;
}

__kernel void count_finish(__global const int* partial, int g, __global int* out) {
    if (get_global_id(0) != 0) return;
    int bad = 0;
    for (int i = 0; i < g; i++) {
        bad += partial[i];
    }
    out[0] = bad;
}
