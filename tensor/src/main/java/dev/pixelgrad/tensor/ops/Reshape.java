package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/** The same elements seen with another shape of equal size (a copy, so backward may free either). */
public final class Reshape extends Op {
    public static Tensor apply(Tensor x, Shape shape) {
        if (shape.numel() != x.numel()) {
            throw new IllegalArgumentException("reshape: cannot view " + x.shape() + " (" + x.numel()
                    + " elements) as " + shape + " (" + shape.numel() + " elements)");
        }
        Tensor y = Tensor.zeros(shape, x.backend());
        x.backend().copy(x.data(), y.data(), x.numel());
        return new Reshape().record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = x viewed with another shape  =>  dx = dy viewed back
        dy.backend().axpy(1f, dy.data(), gradOf(0), dy.numel());
    }

    @Override
    public String name() {
        return "reshape";
    }
}
