package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * Squared error between two tensors of the same shape, summed or averaged:
 * sse = sum_i (a_i - b_i)^2,   mse = sse / N.
 */
public final class SquaredError extends Op {
    /** How the squared differences are reduced. */
    public enum Reduction { SUM, MEAN }

    private final Reduction reduction;

    private SquaredError(Reduction reduction) {
        this.reduction = reduction;
    }

    /** mse(a, b) = (1/N) sum_i (a_i - b_i)^2. */
    public static Tensor mse(Tensor a, Tensor b) {
        return apply(a, b, Reduction.MEAN);
    }

    /** sse(a, b) = sum_i (a_i - b_i)^2. */
    public static Tensor sse(Tensor a, Tensor b) {
        return apply(a, b, Reduction.SUM);
    }

    public static Tensor apply(Tensor a, Tensor b, Reduction reduction) {
        String name = reduction == Reduction.MEAN ? "mse" : "sse";
        Backend be = sameBackend(name, a, b);
        sameShape(name, a, b);
        Tensor y = Tensor.zeros(Shape.scalar(), be);
        be.sumSquaredDiff(a.data(), b.data(), a.numel(), y.data());
        if (reduction == Reduction.MEAN) {
            be.scale(y.data(), 1f / a.numel(), y.data(), 1);
        }
        return new SquaredError(reduction).record(y, a, b);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = c sum_i (a_i - b_i)^2, c = 1 or 1/N  =>  da = 2c dy (a - b),  db = -da
        Tensor a = input(0), b = input(1);
        int n = a.numel();
        float c = reduction == Reduction.MEAN ? 2f / n : 2f;
        Backend be = dy.backend();
        if (needsGrad(0)) {
            be.diffAccumulate(c, dy.data(), a.data(), b.data(), gradOf(0), n);
        }
        if (needsGrad(1)) {
            be.diffAccumulate(-c, dy.data(), a.data(), b.data(), gradOf(1), n);
        }
    }

    @Override
    public String name() {
        return reduction == Reduction.MEAN ? "mse" : "sse";
    }
}
