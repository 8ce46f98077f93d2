package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.WindowGeometry;

import static dev.pixelgrad.kernels.ClRuntime.buf;
import static dev.pixelgrad.kernels.ClRuntime.n32;

/**
 * Windows (crop, roll), per-channel clamping and the fused Adam step, on {@code image.cl} and
 * {@code elementwise.cl}. x: (n, c, h, w) seen as planes of h x w.
 */
final class ClImageKernels {
    private final ClRuntime rt;

    ClImageKernels(ClRuntime rt) {
        this.rt = rt;
    }

    /** y = the window of x, or dx[window] += dy when {@code backward}. */
    void window(WindowGeometry g, Storage from, Storage to, boolean backward) {
        long total = g.outputSize();
        rt.run1d(rt.call(backward ? "window_backward" : "window_forward").mem(buf(from)).mem(buf(to))
                .i32(n32(total, "window")).i32(g.h()).i32(g.w()).i32(g.windowH()).i32(g.windowW())
                .i32(g.y0()).i32(g.x0()), total);
    }

    /** y = min(max(x, lo[ch]), hi[ch]) over x (n, c, hw). */
    void clampChannels(Storage x, Storage lo, Storage hi, int n, int c, int hw, Storage y) {
        long total = (long) n * c * hw;
        rt.run1d(rt.call("clamp_channels").mem(buf(x)).mem(buf(lo)).mem(buf(hi))
                .i32(n32(total, "clamp")).i32(c).i32(hw).mem(buf(y)), total);
    }

    /** One Adam step: see {@link dev.pixelgrad.tensor.AdamKernel#adamUpdate}. */
    void adamUpdate(Storage p, Storage g, Storage m, Storage v, long n,
                    float lr, float beta1, float beta2, float eps, int t) {
        float c1 = 1f - (float) Math.pow(beta1, t), c2 = 1f - (float) Math.pow(beta2, t);
        rt.run1d(rt.call("adam_update").mem(buf(p)).mem(buf(g)).mem(buf(m)).mem(buf(v)).i32(n32(n, "adam"))
                .f32(lr).f32(beta1).f32(beta2).f32(eps).f32(c1).f32(c2), n);
    }
}
