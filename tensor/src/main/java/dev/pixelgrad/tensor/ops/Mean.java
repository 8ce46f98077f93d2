package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/** Mean of all elements: y = (1/N) sum_i x_i, a scalar. */
public final class Mean extends Op {
    public static Tensor apply(Tensor x) {
        Tensor y = Tensor.zeros(Shape.scalar(), x.backend());
        x.backend().sum(x.data(), x.numel(), y.data());
        x.backend().scale(y.data(), 1f / x.numel(), y.data(), 1);
        return new Mean().record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = (1/N) sum_i x_i  =>  dx_i = dy / N
        int n = input(0).numel();
        dy.backend().axpyScalar(1f / n, dy.data(), gradOf(0), n);
    }

    @Override
    public String name() {
        return "mean";
    }
}
