package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.ReflectionPadGeometry;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.WindowGeometry;

import static dev.pixelgrad.kernels.ClRuntime.buf;
import static dev.pixelgrad.kernels.ClRuntime.n32;

/**
 * Instance normalisation, windows (crop, roll), per-channel clamping and the fused Adam step, on
 * {@code image.cl} and {@code elementwise.cl}; reflection padding and nearest upsampling on
 * {@code resize.cl}. x: (n, c, h, w) seen as planes of h x w.
 */
final class ClImageKernels {
    /**
     * The launch shapes of these kernels on one device. Instance norm: {@code normLocal} work-items
     * per plane (NORM_LOCAL in image.cl, which sizes their local memory; a power of two) reading
     * vectors of {@code normVec} pixels (NORM_VEC: 2, 4, 8 or 16). Resize: {@code wholeRows} for
     * one item per row, else one per column. A GPU wants many items on short neighbouring vectors
     * and columns; a CPU runs a group's items one after another, so it wants few items, each with
     * long loops or a vector of independent sums that fills a SIMD register.
     */
    record Shapes(int normLocal, int normVec, boolean wholeRows) {
        static final Shapes CPU = new Shapes(16, 16, true);

        static Shapes gpu(long maxWorkGroupSize) {
            return new Shapes(Integer.highestOneBit((int) Math.max(1, Math.min(256, maxWorkGroupSize))), 4, false);
        }

        /** GPU shapes where local memory is real, as for {@link Tuning#defaults}, else CPU shapes. */
        static Shapes forDevice(DeviceInfo d) {
            return Tuning.usesLocalMemory(d) ? gpu(d.maxWorkGroupSize()) : CPU;
        }

        /** The {@code -D} options of the base program that go with these shapes. */
        String defines() {
            return "-D NORM_LOCAL=" + normLocal + " -D NORM_VEC=" + normVec;
        }
    }

    /** Rows per work-group of the resize kernels with whole rows: enough that a group costs more than its start. */
    private static final long ROWS_PER_GROUP = 8;
    /** Columns per work-group of the resize kernels with one column per item. */
    private static final long COLUMNS_PER_GROUP = 64;

    private final ClRuntime rt;
    private final Shapes shapes;

    ClImageKernels(ClRuntime rt) {
        this.rt = rt;
        this.shapes = rt.imageShapes();
    }

    /** y = the window of x, or dx[window] += dy when {@code backward}. */
    void window(WindowGeometry g, Storage from, Storage to, boolean backward) {
        long total = g.outputSize();
        rt.run1d(rt.call(backward ? "window_backward" : "window_forward").mem(buf(from)).mem(buf(to))
                .i32(n32(total, "window")).i32(g.h()).i32(g.w()).i32(g.windowH()).i32(g.windowW())
                .i32(g.y0()).i32(g.x0()), total);
    }

    /** y = x padded with its mirror image: one work-item per output column run of each row. */
    void reflectionPadForward(ReflectionPadGeometry g, Storage x, Storage y) {
        n32(g.outputSize(), "reflection_pad");
        runRows(rt.call("reflection_pad_forward").mem(buf(x)).mem(buf(y)).i32(g.h()).i32(g.w())
                .i32(g.top()).i32(g.left()).i32(g.outH()).i32(g.outW()), g.outW(), g.outH(), g.planes());
    }

    /** dx += dy gathered per input pixel from the outputs that copy it, so no two work-items write alike. */
    void reflectionPadBackward(ReflectionPadGeometry g, Storage dy, Storage dx) {
        n32(g.outputSize(), "reflection_pad");
        runRows(rt.call("reflection_pad_backward").mem(buf(dy)).mem(buf(dx)).i32(g.h()).i32(g.w())
                .i32(g.top()).i32(g.bottom()).i32(g.left()).i32(g.right()), g.w(), g.h(), g.planes());
    }

    /** y = x with every pixel a factor x factor block, or dx += the sum of each block of dy when {@code backward}. */
    void upsampleNearest(int planes, int h, int w, int factor, Storage from, Storage to, boolean backward) {
        n32((long) planes * h * w * factor * factor, "upsample_nearest");
        runRows(rt.call(backward ? "upsample_nearest_backward" : "upsample_nearest_forward").mem(buf(from)).mem(buf(to))
                .i32(h).i32(w).i32(factor), w, h, planes);
    }

    /**
     * Launches a kernel of resize.cl over (column runs, rows, planes), passing the run as its last
     * argument: a whole row per item (its loops vectorise on a CPU), or one column per item (a GPU
     * group then reads neighbouring addresses). The local sizes are fixed, as each new one is a new
     * compile on POCL.
     */
    private void runRows(KernelCall call, int cols, int rows, int planes) {
        int run = shapes.wholeRows() ? Math.max(cols, 1) : 1;
        rt.run(call.i32(run), new long[]{(cols + run - 1) / run, rows, planes},
                shapes.wholeRows() ? new long[]{1, ROWS_PER_GROUP, 1} : new long[]{COLUMNS_PER_GROUP, 1, 1});
    }

    /** y = min(max(x, lo[ch]), hi[ch]) over x (n, c, hw). */
    void clampChannels(Storage x, Storage lo, Storage hi, int n, int c, int hw, Storage y) {
        long total = (long) n * c * hw;
        rt.run1d(rt.call("clamp_channels").mem(buf(x)).mem(buf(lo)).mem(buf(hi))
                .i32(n32(total, "clamp")).i32(c).i32(hw).mem(buf(y)), total);
    }

    /** y = gamma (x - mu) invStd + beta per plane: see {@link dev.pixelgrad.tensor.Backend#instanceNormForward}. */
    void instanceNormForward(int n, int c, int hw, float eps, Storage x, Storage gamma, Storage beta,
                             Storage y, Storage mean, Storage invStd) {
        n32((long) n * c * hw, "instance_norm");
        rt.run(rt.call("instance_norm_forward").i32(c).i32(hw).f32(eps).mem(buf(x)).mem(buf(gamma)).mem(buf(beta))
                .mem(buf(y)).mem(buf(mean)).mem(buf(invStd)), groups(n, c), new long[]{shapes.normLocal()});
    }

    /**
     * dx, dgamma, dbeta of instance normalisation (each may be null): one group per plane computes
     * dx and the plane's two sums, then one item per channel adds the sums over n.
     */
    void instanceNormBackward(int n, int c, int hw, Storage x, Storage gamma, Storage mean, Storage invStd,
                              Storage dy, Storage dx, Storage dgamma, Storage dbeta) {
        n32((long) n * c * hw, "instance_norm");
        OpenClStorage planeSums = rt.scratch("instanceNormPlaneSums", 2L * n * c);
        // An absent gradient's slot holds another buffer, never written there (its flag is 0).
        rt.run(rt.call("instance_norm_backward").i32(c).i32(hw).mem(buf(x)).mem(buf(gamma)).mem(buf(mean))
                .mem(buf(invStd)).mem(buf(dy)).mem(buf(dx == null ? dy : dx)).i32(dx != null).mem(planeSums),
                groups(n, c), new long[]{shapes.normLocal()});
        if (dgamma != null || dbeta != null) {
            rt.run1d(rt.call("instance_norm_channel_grads").i32(n).i32(c).mem(planeSums)
                    .mem(buf(dgamma != null ? dgamma : dbeta)).i32(dgamma != null)
                    .mem(buf(dbeta != null ? dbeta : dgamma)).i32(dbeta != null), c);
        }
    }

    /** One work-group of NORM_LOCAL items per plane. */
    private long[] groups(int n, int c) {
        return new long[]{(long) n * c * shapes.normLocal()};
    }

    /** One Adam step: see {@link dev.pixelgrad.tensor.AdamKernel#adamUpdate}. */
    void adamUpdate(Storage p, Storage g, Storage m, Storage v, long n,
                    float lr, float beta1, float beta2, float eps, int t) {
        float c1 = 1f - (float) Math.pow(beta1, t), c2 = 1f - (float) Math.pow(beta2, t);
        rt.run1d(rt.call("adam_update").mem(buf(p)).mem(buf(g)).mem(buf(m)).mem(buf(v)).i32(n32(n, "adam"))
                .f32(lr).f32(beta1).f32(beta2).f32(eps).f32(c1).f32(c2), n);
    }
}
