package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Tensor;

/**
 * y = x + in2(conv2(relu(in1(conv1(x))))), both convolutions 3x3 keeping the channel count and
 * size; no ReLU after the sum (as in pytorch/examples and Gross and Wilber's "Training and
 * investigating residual nets").
 */
public final class ResidualBlock implements Module {
    private final ConvLayer conv1;
    private final InstanceNorm in1;
    private final ConvLayer conv2;
    private final InstanceNorm in2;

    public ResidualBlock(ConvLayer conv1, InstanceNorm in1, ConvLayer conv2, InstanceNorm in2) {
        this.conv1 = conv1;
        this.in1 = in1;
        this.conv2 = conv2;
        this.in2 = in2;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor a = conv1.forward(x);
        Tensor b = Intermediates.free(a, in1.forward(a));
        Tensor y = Intermediates.free(b, Ops.relu(b));
        Tensor c = Intermediates.free(y, conv2.forward(y));
        Tensor d = Intermediates.free(c, in2.forward(c));
        return Intermediates.free(d, d.add(x));
    }
}
