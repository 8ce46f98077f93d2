package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.PoolGeometry;
import dev.pixelgrad.tensor.Storage;

import static dev.pixelgrad.kernels.ClRuntime.buf;

/**
 * Max and average pooling on {@code pool.cl}: in general one work-item per output (forward) or
 * input (backward) element; VGG's 2x2, stride-2 windows by kernels of their own, 16 windows per
 * work-item as vector lanes (the general ones divide and loop per element and ran 5x forward and
 * 17x backward slower than the Java backend on POCL at 64 channels of 512²).
 */
final class ClPooling {
    private final ClRuntime rt;

    ClPooling(ClRuntime rt) {
        this.rt = rt;
    }

    private static KernelCall poolShape(KernelCall call, PoolGeometry g) {
        return call.i32(g.n() * g.c()).i32(g.h()).i32(g.w()).i32(g.outH()).i32(g.outW())
                .i32(g.kernelH()).i32(g.kernelW()).i32(g.strideH()).i32(g.strideW()).i32(g.padH()).i32(g.padW());
    }

    void maxForward(PoolGeometry g, Storage x, Storage y) {
        if (g.isVggWindow()) {
            rt.run(rt.call("max_pool2x2_forward").in(buf(x)).mem(buf(y)).i32(g.h()).i32(g.w()).i32(g.outH()).i32(g.outW()),
                    windows2x2(g), WINDOWS_LOCAL);
            return;
        }
        rt.run1d(poolShape(rt.call("max_pool_forward").mem(buf(x)).mem(buf(y)), g), g.outputSize());
    }

    void maxBackward(PoolGeometry g, Storage x, Storage dy, Storage dx) {
        if (g.isVggWindow()) {
            // Windows do not overlap: each work-item adds into one pixel no other one touches.
            rt.run(rt.call("max_pool2x2_backward").in(buf(x)).in(buf(dy)).mem(buf(dx)).i32(g.h()).i32(g.w())
                    .i32(g.outH()).i32(g.outW()), windows2x2(g), WINDOWS_LOCAL);
            return;
        }
        rt.run1d(poolShape(rt.call("max_pool_backward").mem(buf(x)).mem(buf(dy)).mem(buf(dx)), g), g.inputSize());
    }

    /** Work-groups of the 2x2 kernels: one work-item each (a work-item already takes 16 windows as vector lanes). */
    private static final long[] WINDOWS_LOCAL = {1, 1};

    /** The range of the 2x2 kernels: blocks of 16 output columns by (plane, output row). */
    private static long[] windows2x2(PoolGeometry g) {
        return new long[]{(g.outW() + 15) / 16, (long) g.n() * g.c() * g.outH()};
    }

    void avgForward(PoolGeometry g, Storage x, Storage y) {
        rt.run1d(poolShape(rt.call("avg_pool_forward").mem(buf(x)).mem(buf(y)), g), g.outputSize());
    }

    void avgBackward(PoolGeometry g, Storage dy, Storage dx) {
        rt.run1d(poolShape(rt.call("avg_pool_backward").mem(buf(dy)).mem(buf(dx)), g), g.inputSize());
    }
}
