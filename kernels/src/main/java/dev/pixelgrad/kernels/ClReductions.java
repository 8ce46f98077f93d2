package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Storage;

import static dev.pixelgrad.kernels.ClRuntime.buf;
import static dev.pixelgrad.kernels.ClRuntime.n32;

/**
 * Reductions into a scalar buffer that stays on the device, in two stages: a fixed number of
 * work-items ({@link #REDUCE_GROUPS}) each sum a strided part into a partial buffer, then one
 * work-item adds the partials in order. The fixed split keeps every sum bit-reproducible.
 */
final class ClReductions {
    /** Work-items of the first reduction stage. */
    static final int REDUCE_GROUPS = 4096;

    private final ClRuntime rt;

    ClReductions(ClRuntime rt) {
        this.rt = rt;
    }

    /** out[0] = sum_i x_i. */
    void sum(Storage x, long n, Storage out) {
        reduce(rt.call("sum_stage1").mem(buf(x)).i32(n), out);
    }

    /** out[0] = sum_i |x_i|. */
    void sumAbs(Storage x, long n, Storage out) {
        reduce(rt.call("sum_abs_stage1").mem(buf(x)).i32(n), out);
    }

    /** out[0] = sum_i (a_i - b_i)^2. */
    void sumSquaredDiff(Storage a, Storage b, long n, Storage out) {
        reduce(rt.call("ssd_stage1").mem(buf(a)).mem(buf(b)).i32(n), out);
    }

    /** out[0] = sum_i a_i b_i. */
    void dot(Storage a, Storage b, long n, Storage out) {
        reduce(rt.call("dot_stage1").mem(buf(a)).mem(buf(b)).i32(n), out);
    }

    /** out[0] = total variation of x (n, c, h, w): see {@link dev.pixelgrad.tensor.Backend#totalVariationForward}. */
    void totalVariation(Storage x, int n, int c, int h, int w, float beta, float eps, Storage out) {
        long total = (long) n * c * h * w;
        reduce(rt.call("tv_stage1").mem(buf(x)).i32(n32(total, "tv")).i32(h).i32(w).f32(beta).f32(eps), out);
    }

    /** How many of x[0:n] are NaN or infinite; read back to the host (one scalar read). */
    long countNonFinite(Storage x, long n) {
        OpenClStorage partial = rt.scratch("count", REDUCE_GROUPS);
        OpenClStorage count = rt.scratch("countOut", 1);
        rt.run(rt.call("count_nonfinite_stage1").mem(buf(x)).i32(n).mem(partial),
                new long[]{REDUCE_GROUPS}, new long[]{ClRuntime.LOCAL_1D});
        rt.run(rt.call("count_finish").mem(partial).i32(REDUCE_GROUPS).mem(count), new long[]{1}, new long[]{1});
        return rt.readInt(count);
    }

    /** Runs a stage-1 kernel whose last argument is the partial buffer, then sums the partials into out[0]. */
    private void reduce(KernelCall stage1, Storage out) {
        OpenClStorage partial = rt.scratch("reduce", REDUCE_GROUPS);
        rt.run(stage1.mem(partial), new long[]{REDUCE_GROUPS}, new long[]{ClRuntime.LOCAL_1D});
        rt.run(rt.call("reduce_finish").mem(partial).i32(REDUCE_GROUPS).mem(buf(out)), new long[]{1}, new long[]{1});
    }
}
