// Reflection padding and nearest upsampling over x: (N, C, H, W) seen as planes of h x w.
// A 3-D range (column run, row, plane), so no item divides to find its pixel: item (r, i, p) takes
// columns [r run, r run + run) of row i of plane p. The host sets run: a whole row on a CPU, whose
// compiler then vectorises the row loops, and one column on a GPU, where neighbouring items touch
// neighbouring addresses. The backward kernels gather per input pixel, so no two items write alike.

// The columns [*j0, *j1) of item (r, ., .) on rows of `cols` columns; false when it has none.
inline bool column_run(int run, int cols, int* j0, int* j1) {
    *j0 = get_global_id(0) * run;
    *j1 = min(*j0 + run, cols);
    return *j0 < cols;
}

// Input index copied by output index o on an axis of `size` padded by `before` (edge not repeated;
// every pad is smaller than the size, so one reflection lands inside).
inline int reflect_index(int o, int size, int before) {
    int s = o - before;
    return s < 0 ? -s : (s >= size ? 2 * (size - 1) - s : s);
}

// forward: y[p][i][j] = x[p][reflect(i - top)][reflect(j - left)], the row as its left mirror,
// a plain copy and its right mirror
__kernel void reflection_pad_forward(__global const real* x, __global real* y, int h, int w,
                                     int top, int left, int oh, int ow, int run) {
    int i = get_global_id(1), j0, j1; GUARD(i, oh);
    if (!column_run(run, ow, &j0, &j1)) return;
    long pl = get_global_id(2);
    __global const real* xr = x + (pl * h + reflect_index(i, h, top)) * w;
    __global real* yr = y + (pl * oh + i) * ow;
    int a = clamp(left, j0, j1), b = clamp(left + w, a, j1);
    for (int j = j0; j < a; j++) yr[j] = xr[left - j];
    for (int j = a; j < b; j++) yr[j] = xr[j - left];
    for (int j = b; j < j1; j++) yr[j] = xr[2 * (w - 1) + left - j];
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

// dx[u][v] += the sum of dy over the nr rows `rows` and every output column that copies v
inline void reflection_pad_gather(__global const real* dyp, __global real* dxr, int ow, int nr, int* rows,
                                  int v, int w, int left, int right) {
    int cols[3];
    int nc = reflect_outputs(v, w, left, right, cols);
    real acc = 0.0f;
    for (int a = 0; a < nr; a++) {
        for (int b = 0; b < nc; b++) {
            acc += dyp[rows[a] * ow + cols[b]];
        }
    }
    dxr[v] += acc;
}

// backward: dx[u][v] += sum of dy[i][j] over the (at most 3 x 3) outputs that reflect to (u, v).
// Columns left < v < w - 1 - right are copied once, to left + v: a loop over them adds up to
// three dy rows straight (in the same order as the general gather).
__kernel void reflection_pad_backward(__global const real* dy, __global real* dx, int h, int w,
                                      int top, int bottom, int left, int right, int run) {
    int u = get_global_id(1), v0, v1; GUARD(u, h);
    if (!column_run(run, w, &v0, &v1)) return;
    long pl = get_global_id(2);
    int oh = top + h + bottom, ow = left + w + right;
    int rows[3];
    int nr = reflect_outputs(u, h, top, bottom, rows);
    __global const real* dyp = dy + pl * oh * ow;
    __global real* dxr = dx + (pl * h + u) * w;
    int a = clamp(left + 1, v0, v1), b = clamp(w - 1 - right, a, v1);
    for (int v = v0; v < a; v++) reflection_pad_gather(dyp, dxr, ow, nr, rows, v, w, left, right);
    __global const real* d0 = dyp + rows[0] * ow + left;
    __global const real* d1 = dyp + rows[nr > 1 ? 1 : 0] * ow + left;
    __global const real* d2 = dyp + rows[nr > 2 ? 2 : 0] * ow + left;
    if (nr == 1) {
        for (int v = a; v < b; v++) dxr[v] += d0[v];
    } else if (nr == 2) {
        for (int v = a; v < b; v++) dxr[v] += d0[v] + d1[v];
    } else {
        for (int v = a; v < b; v++) dxr[v] += (d0[v] + d1[v]) + d2[v];
    }
    for (int v = b; v < v1; v++) reflection_pad_gather(dyp, dxr, ow, nr, rows, v, w, left, right);
}

// forward: y[p][i][j] = x[p][i / f][j / f], as item (r, u, p) writing the f output rows of input row u
__kernel void upsample_nearest_forward(__global const real* x, __global real* y, int h, int w, int f, int run) {
    int u = get_global_id(1), v0, v1; GUARD(u, h);
    if (!column_run(run, w, &v0, &v1)) return;
    long pl = get_global_id(2);
    int ow = w * f;
    __global const real* xr = x + (pl * h + u) * w;
    __global real* yr = y + (pl * h + u) * f * ow;
    for (int a = 0; a < f; a++, yr += ow) {
        if (f == 2) {
            for (int v = v0; v < v1; v++) vstore2((real2) (xr[v]), v, yr);
        } else {
            for (int v = v0; v < v1; v++) {
                for (int b = 0; b < f; b++) yr[v * f + b] = xr[v];
            }
        }
    }
}

// backward: dx[p][u][v] += sum of dy over the f x f block at (u f, v f)
__kernel void upsample_nearest_backward(__global const real* dy, __global real* dx, int h, int w, int f, int run) {
    int u = get_global_id(1), v0, v1; GUARD(u, h);
    if (!column_run(run, w, &v0, &v1)) return;
    long pl = get_global_id(2);
    int ow = w * f;
    __global const real* block = dy + (pl * h + u) * f * ow;
    __global real* dxr = dx + (pl * h + u) * w;
    if (f == 2) { // the usual factor, in loads a CPU compiler vectorises; same order of sums as below
        for (int v = v0; v < v1; v++) {
            real2 r0 = vload2(v, block), r1 = vload2(v, block + ow);
            dxr[v] += ((r0.x + r0.y) + r1.x) + r1.y;
        }
        return;
    }
    for (int v = v0; v < v1; v++) {
        real acc = 0.0f;
        for (int a = 0; a < f; a++) {
            for (int b = 0; b < f; b++) {
                acc += block[a * ow + v * f + b];
            }
        }
        dxr[v] += acc;
    }
}
