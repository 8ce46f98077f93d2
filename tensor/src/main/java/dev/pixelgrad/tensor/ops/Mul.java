package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Tensor;

/** Elementwise (Hadamard) product y = a * b of two tensors of the same shape. */
public final class Mul extends Op {
    public static Tensor apply(Tensor a, Tensor b) {
        Backend be = sameBackend("mul", a, b);
        sameShape("mul", a, b);
        Tensor y = Tensor.zeros(a.shape(), be);
        be.mul(a.data(), b.data(), y.data(), a.numel());
        return new Mul().record(y, a, b);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = a * b  =>  da = dy * b, db = dy * a
        if (needsGrad(0)) {
            dy.backend().mulAccumulate(dy.data(), input(1).data(), gradOf(0), dy.numel());
        }
        if (needsGrad(1)) {
            dy.backend().mulAccumulate(dy.data(), input(0).data(), gradOf(1), dy.numel());
        }
    }

    @Override
    public String name() {
        return "mul";
    }
}
