package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Storage;

import java.util.Arrays;

import static dev.pixelgrad.kernels.ClRuntime.buf;
import static dev.pixelgrad.kernels.ClRuntime.n32;

/**
 * The image helpers of the optimisation loops (per-channel clamp, roll, crop and add of a window)
 * and the Adam update, on {@code image.cl}. Kept apart because the {@link dev.pixelgrad.tensor.Backend}
 * methods they serve are being replaced; the clamp bounds are cached on the device here.
 * x: (n, c, h, w)
 */
final class ClImageKernels {
    private final ClRuntime rt;
    private float[] clampLo;
    private float[] clampHi;
    private OpenClStorage clampLoBuf;
    private OpenClStorage clampHiBuf;

    ClImageKernels(ClRuntime rt) {
        this.rt = rt;
    }

    /** lo[ch] &lt;= x &lt;= hi[ch] over x (n, c, hw), in place. */
    void clampChannelsInPlace(Storage x, int n, int c, int hw, float[] lo, float[] hi) {
        // The bounds rarely change during a run: upload them only when they do.
        if (clampLoBuf == null || !Arrays.equals(lo, clampLo) || !Arrays.equals(hi, clampHi)) {
            releaseBounds();
            clampLoBuf = rt.upload(lo);
            clampHiBuf = rt.upload(hi);
            clampLo = lo.clone();
            clampHi = hi.clone();
        }
        long total = (long) n * c * hw;
        rt.run1d(rt.call("clamp_channels").mem(buf(x)).i32(n32(total, "clamp")).i32(c).i32(hw)
                .mem(clampLoBuf).mem(clampHiBuf), total);
    }

    /** y = x rolled by (shiftY, shiftX) pixels, wrapping around. */
    void roll(Storage x, int n, int c, int h, int w, int shiftY, int shiftX, Storage y) {
        long total = (long) n * c * h * w;
        rt.run1d(rt.call("roll").mem(buf(x)).mem(buf(y)).i32(n32(total, "roll")).i32(h).i32(w)
                .i32(Math.floorMod(shiftY, h)).i32(Math.floorMod(shiftX, w)), total);
    }

    /** out (n, c, th, tw) = the window of x starting at (y0, x0). */
    void cropWindow(Storage x, int n, int c, int h, int w, int y0, int x0, int th, int tw, Storage out) {
        long total = (long) n * c * th * tw;
        rt.run1d(rt.call("crop_window").mem(buf(x)).mem(buf(out)).i32(n32(total, "crop")).i32(h).i32(w)
                .i32(y0).i32(x0).i32(th).i32(tw), total);
    }

    /** The window of x at (y0, x0) += t (n, c, th, tw). */
    void addWindow(Storage t, int n, int c, int th, int tw, Storage x, int h, int w, int y0, int x0) {
        long total = (long) n * c * th * tw;
        rt.run1d(rt.call("add_window").mem(buf(t)).mem(buf(x)).i32(n32(total, "addWindow")).i32(th).i32(tw)
                .i32(h).i32(w).i32(y0).i32(x0), total);
    }

    /** One Adam step: see {@link dev.pixelgrad.tensor.Backend#adamUpdate}. */
    void adamUpdate(Storage p, Storage g, Storage m, Storage v, long n,
                    float lr, float beta1, float beta2, float eps, int t) {
        float c1 = 1f - (float) Math.pow(beta1, t), c2 = 1f - (float) Math.pow(beta2, t);
        rt.run1d(rt.call("adam_update").mem(buf(p)).mem(buf(g)).mem(buf(m)).mem(buf(v)).i32(n32(n, "adam"))
                .f32(lr).f32(beta1).f32(beta2).f32(eps).f32(c1).f32(c2), n);
    }

    /** Frees the cached clamp bounds. */
    void releaseBounds() {
        if (clampLoBuf != null) {
            clampLoBuf.release();
            clampHiBuf.release();
            clampLoBuf = null;
        }
    }
}
