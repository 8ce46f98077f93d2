package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.PoolGeometry;
import dev.pixelgrad.tensor.PoolSpec;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * Max pooling: y[n,c,i,j] = max over the window at (i*stride - pad, j*stride - pad) of x, padding
 * counted as -inf. <pre>x: (N, C, H, W)   y: (N, C, outH, outW)</pre>
 */
public final class MaxPool2d extends Op {
    private final PoolGeometry g;

    private MaxPool2d(PoolGeometry g) {
        this.g = g;
    }

    public static Tensor apply(Tensor x, PoolSpec spec) {
        PoolGeometry g = spec.geometryFor(x.shape(), "max_pool2d");
        Tensor y = Tensor.zeros(Shape.of(g.n(), g.c(), g.outH(), g.outW()), x.backend());
        x.backend().maxPool2dForward(g, x.data(), y.data());
        return new MaxPool2d(g).record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = max_{window} x  =>  dx[argmax] += dy (the first maximum of each window)
        dy.backend().maxPool2dBackward(g, input(0).data(), dy.data(), gradOf(0));
    }

    @Override
    public String name() {
        return "max_pool2d";
    }
}
