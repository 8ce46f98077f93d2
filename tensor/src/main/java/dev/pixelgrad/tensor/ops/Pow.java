package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Tensor;

/** Elementwise power with a constant exponent: y = x^p (x must be positive unless p is an integer). */
public final class Pow extends Op {
    private final float p;

    private Pow(float p) {
        this.p = p;
    }

    public static Tensor apply(Tensor x, float p) {
        Tensor y = Tensor.zeros(x.shape(), x.backend());
        x.backend().powForward(x.data(), p, y.data(), x.numel());
        return new Pow(p).record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = x^p  =>  dx = p x^(p-1) dy
        dy.backend().powBackward(input(0).data(), p, dy.data(), gradOf(0), dy.numel());
    }

    @Override
    public String name() {
        return "pow";
    }
}
