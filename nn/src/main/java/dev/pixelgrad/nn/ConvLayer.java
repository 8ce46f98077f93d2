package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Tensor;

/**
 * The fast-style network's convolution: reflection padding by k/2, then an unpadded convolution
 * with stride s, so a stride-1 layer keeps the size and the border sees mirrored pixels instead of
 * zeros (which would print a frame on the stylised image). w: (K, C, k, k), b: (K).
 */
public final class ConvLayer implements Module {
    private final Tensor weight;
    private final Tensor bias;
    private final int stride;
    private final int pad;

    public ConvLayer(Tensor weight, Tensor bias, int stride) {
        weight.shape().requireRank(4, "ConvLayer", "weight (K, C, k, k)");
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.pad = weight.shape().dim(2) / 2;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor padded = Ops.reflectionPad(x, pad);
        return Intermediates.free(padded, Ops.conv2d(padded, weight, bias, Conv2dSpec.of(stride, 0)));
    }
}
