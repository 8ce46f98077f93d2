package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Tensor;

/** Elementwise square: y = x^2. */
public final class Square extends Op {
    public static Tensor apply(Tensor x) {
        Tensor y = Tensor.zeros(x.shape(), x.backend());
        x.backend().mul(x.data(), x.data(), y.data(), x.numel());
        return new Square().record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = x^2  =>  dx = 2 x dy
        dy.backend().powBackward(input(0).data(), 2f, dy.data(), gradOf(0), dy.numel());
    }

    @Override
    public String name() {
        return "square";
    }
}
