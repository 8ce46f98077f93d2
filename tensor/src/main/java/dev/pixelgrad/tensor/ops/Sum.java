package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/** Sum of all elements: y = sum_i x_i, a scalar. */
public final class Sum extends Op {
    public static Tensor apply(Tensor x) {
        Tensor y = Tensor.zeros(Shape.scalar(), x.backend());
        x.backend().sum(x.data(), x.numel(), y.data());
        return new Sum().record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = sum_i x_i  =>  dx_i = dy
        dy.backend().axpyScalar(1f, dy.data(), gradOf(0), input(0).numel());
    }

    @Override
    public String name() {
        return "sum";
    }
}
