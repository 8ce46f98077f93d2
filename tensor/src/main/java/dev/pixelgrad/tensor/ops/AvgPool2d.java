package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.PoolGeometry;
import dev.pixelgrad.tensor.PoolSpec;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * Average pooling: y[n,c,i,j] = (1 / (kH kW)) sum over the window of x, zero padding included in
 * the count (PyTorch's default). <pre>x: (N, C, H, W)   y: (N, C, outH, outW)</pre>
 */
public final class AvgPool2d extends Op {
    private final PoolGeometry g;

    private AvgPool2d(PoolGeometry g) {
        this.g = g;
    }

    public static Tensor apply(Tensor x, PoolSpec spec) {
        PoolGeometry g = spec.geometryFor(x.shape(), "avg_pool2d");
        Tensor y = Tensor.zeros(Shape.of(g.n(), g.c(), g.outH(), g.outW()), x.backend());
        x.backend().avgPool2dForward(g, x.data(), y.data());
        return new AvgPool2d(g).record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = mean_{window} x  =>  dx += dy / (kH kW) over each window
        dy.backend().avgPool2dBackward(g, dy.data(), gradOf(0));
    }

    @Override
    public String name() {
        return "avg_pool2d";
    }
}
