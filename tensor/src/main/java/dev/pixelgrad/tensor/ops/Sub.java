package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Tensor;

/** Elementwise difference y = a - b of two tensors of the same shape. */
public final class Sub extends Op {
    public static Tensor apply(Tensor a, Tensor b) {
        Backend be = sameBackend("sub", a, b);
        sameShape("sub", a, b);
        Tensor y = Tensor.zeros(a.shape(), be);
        be.sub(a.data(), b.data(), y.data(), a.numel());
        return new Sub().record(y, a, b);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = a - b  =>  da = dy, db = -dy
        if (needsGrad(0)) {
            dy.backend().axpy(1f, dy.data(), gradOf(0), dy.numel());
        }
        if (needsGrad(1)) {
            dy.backend().axpy(-1f, dy.data(), gradOf(1), dy.numel());
        }
    }

    @Override
    public String name() {
        return "sub";
    }
}
