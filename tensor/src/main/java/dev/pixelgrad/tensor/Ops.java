package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.ops.AvgPool2d;
import dev.pixelgrad.tensor.ops.Conv2d;
import dev.pixelgrad.tensor.ops.Gram;
import dev.pixelgrad.tensor.ops.MaxPool2d;
import dev.pixelgrad.tensor.ops.SquaredError;
import dev.pixelgrad.tensor.ops.TotalVariation;

/**
 * The differentiable ops in one place, for code that reads like the math. Each delegates to the
 * op class of the same name, where forward and backward sit side by side.
 */
public final class Ops {
    private Ops() {
    }

    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec) {
        return Conv2d.apply(x, w, bias, spec);
    }

    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    public static Tensor maxPool2d(Tensor x, PoolSpec spec) {
        return MaxPool2d.apply(x, spec);
    }

    public static Tensor avgPool2d(Tensor x, PoolSpec spec) {
        return AvgPool2d.apply(x, spec);
    }

    /** G = alpha F F^T per image. */
    public static Tensor gram(Tensor x, float alpha) {
        return Gram.apply(x, alpha);
    }

    /** (1/N) sum (a - b)^2. */
    public static Tensor mse(Tensor a, Tensor b) {
        return SquaredError.mse(a, b);
    }

    /** sum (a - b)^2. */
    public static Tensor sse(Tensor a, Tensor b) {
        return SquaredError.sse(a, b);
    }

    /** The total-variation regulariser R_{V^beta}. */
    public static Tensor totalVariation(Tensor x, float beta) {
        return TotalVariation.apply(x, beta);
    }
}
