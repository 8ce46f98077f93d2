package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.ReflectionPadGeometry;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.WindowGeometry;

import static dev.pixelgrad.kernels.ClRuntime.buf;
import static dev.pixelgrad.kernels.ClRuntime.n32;

/**
 * Windows (crop, roll), per-channel clamping and the fused Adam step, on {@code image.cl} and
 * {@code elementwise.cl}; reflection padding and nearest upsampling on {@code resize.cl}.
 * x: (n, c, h, w) seen as planes of h x w.
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

    /** y = x padded with its mirror image: one work-item per output pixel. */
    void reflectionPadForward(ReflectionPadGeometry g, Storage x, Storage y) {
        long total = g.outputSize();
        rt.run1d(rt.call("reflection_pad_forward").mem(buf(x)).mem(buf(y)).i32(n32(total, "reflection_pad"))
                .i32(g.h()).i32(g.w()).i32(g.top()).i32(g.left()).i32(g.outH()).i32(g.outW()), total);
    }

    /** dx += dy gathered per input pixel from the outputs that copy it, so no two work-items write alike. */
    void reflectionPadBackward(ReflectionPadGeometry g, Storage dy, Storage dx) {
        long total = g.inputSize();
        rt.run1d(rt.call("reflection_pad_backward").mem(buf(dy)).mem(buf(dx)).i32(n32(total, "reflection_pad"))
                .i32(g.h()).i32(g.w()).i32(g.top()).i32(g.bottom()).i32(g.left()).i32(g.right()), total);
    }

    /** y = x with every pixel a factor x factor block, or dx += the sum of each block of dy when {@code backward}. */
    void upsampleNearest(int planes, int h, int w, int factor, Storage from, Storage to, boolean backward) {
        long total = (long) planes * h * w * (backward ? 1 : (long) factor * factor);
        rt.run1d(rt.call(backward ? "upsample_nearest_backward" : "upsample_nearest_forward").mem(buf(from)).mem(buf(to))
                .i32(n32(total, "upsample_nearest")).i32(h).i32(w).i32(factor), total);
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
