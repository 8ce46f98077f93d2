package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Tensor;

/** Rectified linear unit: y = max(x, 0). */
public final class Relu extends Op {
    private Tensor y;

    public static Tensor apply(Tensor x) {
        Tensor y = Tensor.zeros(x.shape(), x.backend());
        x.backend().reluForward(x.data(), y.data(), x.numel());
        Relu op = new Relu();
        op.y = y;
        return op.record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = max(x, 0)  =>  dx = dy * [y > 0]
        dy.backend().reluBackward(y.data(), dy.data(), gradOf(0), dy.numel());
    }

    @Override
    protected void releaseSaved() {
        y = null;
    }

    @Override
    public String name() {
        return "relu";
    }
}
