package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.PoolSpec;
import dev.pixelgrad.tensor.Tensor;

/** Max pooling over windows of {@link PoolSpec}. */
public record MaxPool2d(PoolSpec spec) implements Module {
    @Override
    public Tensor forward(Tensor x) {
        return Ops.maxPool2d(x, spec);
    }
}
