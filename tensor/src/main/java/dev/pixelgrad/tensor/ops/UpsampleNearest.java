package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * Nearest-neighbour upsampling by an integer factor f, as
 * {@code F.interpolate(x, scale_factor=f, mode='nearest')}: every pixel becomes an f x f block.
 * <pre>x: (N, C, H, W)   y: (N, C, f H, f W)   y[n,c,i,j] = x[n,c,i / f,j / f]  (integer division)</pre>
 */
public final class UpsampleNearest extends Op {
    private final int planes, h, w, factor;

    private UpsampleNearest(int planes, int h, int w, int factor) {
        this.planes = planes;
        this.h = h;
        this.w = w;
        this.factor = factor;
    }

    public static Tensor apply(Tensor x, int factor) {
        Shape s = x.shape().requireRank(4, "upsample_nearest", "image (N, C, H, W)");
        if (factor < 1) {
            throw new IllegalArgumentException("upsample_nearest: factor must be an integer >= 1 but is " + factor
                    + " (x=" + s + "); to shrink an image use avgPool2d or resample");
        }
        int h = s.dim(2), w = s.dim(3);
        if ((long) Math.max(h, w) * factor > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("upsample_nearest: " + h + "x" + w + " times " + factor
                    + " is larger than any image can be (x=" + s + ")");
        }
        Tensor y = Tensor.zeros(Shape.of(s.dim(0), s.dim(1), h * factor, w * factor), x.backend());
        x.backend().upsampleNearestForward(s.dim(0) * s.dim(1), h, w, factor, x.data(), y.data());
        return new UpsampleNearest(s.dim(0) * s.dim(1), h, w, factor).record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y[i][j] = x[i / f][j / f]  =>  dx[u][v] += sum of dy over the f x f block at (u f, v f)
        dy.backend().upsampleNearestBackward(planes, h, w, factor, dy.data(), gradOf(0));
    }

    @Override
    public String name() {
        return "upsample_nearest";
    }
}
