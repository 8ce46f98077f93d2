package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.PoolSpec;
import dev.pixelgrad.tensor.Tensor;

/** Average pooling over windows of {@link PoolSpec} (Gatys et al. prefer it for synthesis). */
public record AvgPool2d(PoolSpec spec) implements Module {
    @Override
    public Tensor forward(Tensor x) {
        return Ops.avgPool2d(x, spec);
    }
}
