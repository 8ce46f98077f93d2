package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * A fully connected layer y = W flatten(x) + b with W: (out, in). It runs as a 1x1 convolution
 * over the flattened input seen as (N, in, 1, 1), so it shares the convolution kernels.
 */
public final class Linear implements Module {
    private final Tensor weight;
    private final Tensor bias;
    private final int in;

    /** weight: (out, in) or already (out, in, 1, 1); bias: (out). */
    public Linear(Tensor weight, Tensor bias) {
        int out = weight.shape().dim(0);
        this.in = weight.numel() / out;
        this.weight = weight.shape().rank() == 4 ? weight : weight.reshape(out, in, 1, 1);
        this.bias = bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        int n = x.shape().dim(0);
        if (x.numel() != n * in) {
            throw new IllegalArgumentException("Linear: input " + x.shape() + " has " + x.numel() / n
                    + " features per item but the weight expects " + in);
        }
        Tensor flat = x.shape().equals(Shape.of(n, in, 1, 1)) ? x : x.reshape(n, in, 1, 1);
        return Ops.conv2d(flat, weight, bias, Conv2dSpec.of(1, 0)).reshape(n, weight.shape().dim(0));
    }

    /** dx and dw need x and w, never y. */
    @Override
    public boolean backwardReadsOutput() {
        return false;
    }
}
