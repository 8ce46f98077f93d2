package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Tensor;

/**
 * Nearest-neighbour upsampling by an integer factor, then a {@link ConvLayer}: the fast-style
 * network's way up, which avoids the checkerboard a strided transposed convolution leaves
 * (Odena et al., "Deconvolution and Checkerboard Artifacts", Distill 2016).
 */
public final class UpsampleConvLayer implements Module {
    private final int factor;
    private final ConvLayer conv;

    public UpsampleConvLayer(int factor, ConvLayer conv) {
        this.factor = factor;
        this.conv = conv;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor up = Ops.upsampleNearest(x, factor);
        return Intermediates.free(up, conv.forward(up));
    }
}
