package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Tensor;

/** Elementwise sum y = a + b of two tensors of the same shape. */
public final class Add extends Op {
    public static Tensor apply(Tensor a, Tensor b) {
        Backend be = sameBackend("add", a, b);
        sameShape("add", a, b);
        Tensor y = Tensor.zeros(a.shape(), be);
        be.add(a.data(), b.data(), y.data(), a.numel());
        return new Add().record(y, a, b);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = a + b  =>  da = dy, db = dy
        for (int i = 0; i < 2; i++) {
            if (needsGrad(i)) {
                dy.backend().axpy(1f, dy.data(), gradOf(i), dy.numel());
            }
        }
    }

    @Override
    public String name() {
        return "add";
    }
}
