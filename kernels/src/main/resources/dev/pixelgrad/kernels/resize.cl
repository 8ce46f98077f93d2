// Reflection padding and nearest upsampling over x: (N, C, H, W) seen as planes of h x w.
// One work-item per output element (forward) or input element (backward): the backward gathers
// every output that copies its pixel, so no two work-items write the same element.

// Input index copied by output index o on an axis of `size` padded by `before` (edge not repeated;
// every pad is smaller than the size, so one reflection lands inside).
inline int reflect_index(int o, int size, int before) {
    int s = o - before;
    return s < 0 ? -s : (s >= size ? 2 * (size - 1) - s : s);
}

// forward: y[p][i][j] = x[p][reflect(i - top)][reflect(j - left)]
__kernel void reflection_pad_forward(__global const real* x, __global real* y, int total, int h, int w,
                                     int top, int left, int oh, int ow) {
    int t = get_global_id(0); GUARD(t, total);
    int j = t % ow, i = (t / ow) % oh, pl = t / (oh * ow);
    y[t] = x[((long) pl * h + reflect_index(i, h, top)) * w + reflect_index(j, w, left)];
}

// The output indices (at most 3) that copy input index u on an axis of `size` padded by `before`
// and `after`: u itself, its mirror in the leading pad (1 <= u <= before) and its mirror in the
// trailing pad (size - 1 - after <= u <= size - 2). Returns how many it wrote to o.
inline int reflect_outputs(int u, int size, int before, int after, int* o) {
    int n = 0;
    o[n++] = before + u;
    if (u >= 1 && u <= before) o[n++] = before - u;
    if (u >= size - 1 - after && u <= size - 2) o[n++] = before + 2 * (size - 1) - u;
    return n;
}

// backward: dx[u][v] += sum of dy[i][j] over the (at most 3 x 3) outputs that reflect to (u, v)
__kernel void reflection_pad_backward(__global const real* dy, __global real* dx, int total, int h, int w,
                                      int top, int bottom, int left, int right) {
    int t = get_global_id(0); GUARD(t, total);
    int v = t % w, u = (t / w) % h, pl = t / (h * w);
    int oh = top + h + bottom, ow = left + w + right;
    int rows[3], cols[3];
    int nr = reflect_outputs(u, h, top, bottom, rows), nc = reflect_outputs(v, w, left, right, cols);
    __global const real* dyp = dy + (long) pl * oh * ow;
    real acc = 0.0f;
    for (int a = 0; a < nr; a++) {
        for (int b = 0; b < nc; b++) {
            acc += dyp[rows[a] * ow + cols[b]];
        }
    }
    dx[t] += acc;
}

// forward: y[p][i][j] = x[p][i / f][j / f]
__kernel void upsample_nearest_forward(__global const real* x, __global real* y, int total, int h, int w, int f) {
    int t = get_global_id(0); GUARD(t, total);
    int ow = w * f, oh = h * f;
    int j = t % ow, i = (t / ow) % oh, pl = t / (oh * ow);
    y[t] = x[((long) pl * h + i / f) * w + j / f];
}

// backward: dx[p][u][v] += sum of dy over the f x f block at (u f, v f)
__kernel void upsample_nearest_backward(__global const real* dy, __global real* dx, int total, int h, int w, int f) {
    int t = get_global_id(0); GUARD(t, total);
    int v = t % w, u = (t / w) % h, pl = t / (h * w);
    int ow = w * f;
    __global const real* block = dy + (((long) pl * h + u) * f * ow) + (long) v * f;
    real acc = 0.0f;
    for (int a = 0; a < f; a++) {
        for (int b = 0; b < f; b++) {
            acc += block[a * ow + b];
        }
    }
    dx[t] += acc;
}
