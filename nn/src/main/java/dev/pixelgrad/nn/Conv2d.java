package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Tensor;

/** A convolution layer with its weight w: (K, C, R, S) and optional bias b: (K). */
public final class Conv2d implements Module {
    private final Tensor weight;
    private final Tensor bias;
    private final Conv2dSpec spec;

    public Conv2d(Tensor weight, Tensor bias, Conv2dSpec spec) {
        weight.shape().requireRank(4, "Conv2d", "weight (K, C, R, S)");
        this.weight = weight;
        this.bias = bias;
        this.spec = spec;
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.conv2d(x, weight, bias, spec);
    }

    /** dx and dw need x and w, never y. */
    @Override
    public boolean backwardReadsOutput() {
        return false;
    }
}
