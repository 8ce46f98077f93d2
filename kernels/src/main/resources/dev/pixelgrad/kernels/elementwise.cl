// Elementwise kernels over flat buffers of n floats; y may alias an input.
// Scalar buffers (s) hold one float that stays on the device.

__kernel void fill(__global real* y, real value, int n) {
    int i = get_global_id(0); GUARD(i, n);
    y[i] = value;
}

__kernel void add(__global const real* a, __global const real* b, __global real* y, int n) {
    int i = get_global_id(0); GUARD(i, n);
    y[i] = a[i] + b[i];
}

__kernel void sub(__global const real* a, __global const real* b, __global real* y, int n) {
    int i = get_global_id(0); GUARD(i, n);
    y[i] = a[i] - b[i];
}

__kernel void mul(__global const real* a, __global const real* b, __global real* y, int n) {
    int i = get_global_id(0); GUARD(i, n);
    y[i] = a[i] * b[i];
}

__kernel void scale(__global const real* x, real alpha, __global real* y, int n) {
    int i = get_global_id(0); GUARD(i, n);
    y[i] = alpha * x[i];
}

__kernel void axpy(real alpha, __global const real* x, __global real* y, int n) {
    int i = get_global_id(0); GUARD(i, n);
    y[i] += alpha * x[i];
}

// y += alpha * s[0]
__kernel void axpy_scalar(real alpha, __global const real* s, __global real* y, int n) {
    int i = get_global_id(0); GUARD(i, n);
    y[i] += alpha * s[0];
}

// forward: y = a * b  =>  da += dy * b
__kernel void mul_accumulate(__global const real* dy, __global const real* b, __global real* dx, int n) {
    int i = get_global_id(0); GUARD(i, n);
    dx[i] += dy[i] * b[i];
}

// forward: l = sum (a - b)^2 / ...  =>  da += alpha * s[0] * (a - b)
__kernel void diff_accumulate(real alpha, __global const real* s, __global const real* a,
                              __global const real* b, __global real* dx, int n) {
    int i = get_global_id(0); GUARD(i, n);
    dx[i] += alpha * s[0] * (a[i] - b[i]);
}

__kernel void pow_forward(__global const real* x, real p, __global real* y, int n) {
    int i = get_global_id(0); GUARD(i, n);
    y[i] = pow(x[i], p);
}

// forward: y = x^p  =>  dx += dy * p * x^(p-1)
__kernel void pow_backward(__global const real* x, real p, __global const real* dy, __global real* dx, int n) {
    int i = get_global_id(0); GUARD(i, n);
    dx[i] += dy[i] * (p == 2.0f ? 2.0f * x[i] : p * pow(x[i], p - 1.0f));
}

__kernel void relu_forward(__global const real* x, __global real* y, int n) {
    int i = get_global_id(0); GUARD(i, n);
    y[i] = fmax(x[i], 0.0f);
}

// forward: y = max(x, 0)  =>  dx += dy * [y > 0]
__kernel void relu_backward(__global const real* y, __global const real* dy, __global real* dx, int n) {
    int i = get_global_id(0); GUARD(i, n);
    dx[i] += y[i] > 0.0f ? dy[i] : 0.0f;
}

// One Adam step; c1 = 1 - beta1^t and c2 = 1 - beta2^t come from the host.
__kernel void adam_update(__global real* p, __global const real* g, __global real* m, __global real* v, int n,
                          real lr, real beta1, real beta2, real eps, real c1, real c2) {
    int i = get_global_id(0); GUARD(i, n);
    real gi = g[i];
    real mi = beta1 * m[i] + (1.0f - beta1) * gi;
    real vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= lr * (mi / c1) / (sqrt(vi / c2) + eps);
}
