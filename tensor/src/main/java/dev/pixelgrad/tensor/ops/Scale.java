package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Tensor;

/** Multiplication by a constant: y = alpha x (loss weights, normalisations). */
public final class Scale extends Op {
    private final float alpha;

    private Scale(float alpha) {
        this.alpha = alpha;
    }

    public static Tensor apply(Tensor x, float alpha) {
        Tensor y = Tensor.zeros(x.shape(), x.backend());
        x.backend().scale(x.data(), alpha, y.data(), x.numel());
        return new Scale(alpha).record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = alpha x  =>  dx = alpha dy
        dy.backend().axpy(alpha, dy.data(), gradOf(0), dy.numel());
    }

    @Override
    public String name() {
        return "scale";
    }
}
