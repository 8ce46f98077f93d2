package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Tensor;

/** y = max(x, 0). */
public final class Relu implements Module {
    @Override
    public Tensor forward(Tensor x) {
        return Ops.relu(x);
    }

    /** dx = dy [y > 0] reads y, not x. */
    @Override
    public boolean backwardReadsInput() {
        return false;
    }
}
