package dev.pixelgrad.algorithms;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * The total-variation regulariser R_{V^beta} measured on the RGB image in [0,1], whatever the
 * network's preprocessing: each network channel is first multiplied by
 * {@link Preprocessing#rgbScale()} (TV sees only differences, so the mean drops out), then
 * {@link Ops#totalVariation} applies:
 * <pre>R(x) = sum_{c,i,j} ((x[i][j+1] - x[i][j])^2 + (x[i+1][j] - x[i][j])^2)^(beta/2)</pre>
 * The same weight therefore means the same smoothness for torchvision and Caffe weights.
 */
public final class RgbTotalVariation {
    private final Preprocessing preprocessing;
    private final float beta;
    private Tensor scale;   // (1, 3, H, W): rgbScale()[c] everywhere in channel c

    public RgbTotalVariation(Preprocessing preprocessing, float beta) {
        this.preprocessing = preprocessing;
        this.beta = beta;
    }

    public Tensor apply(Tensor x) {
        if (scale == null || !scale.shape().equals(x.shape()) || scale.backend() != x.backend()) {
            scale = channelConstant(x.shape(), preprocessing.rgbScale(), x);
        }
        return Ops.totalVariation(x.mul(scale), beta);
    }

    private static Tensor channelConstant(Shape s, float[] perChannel, Tensor like) {
        int hw = s.dim(2) * s.dim(3);
        float[] v = new float[s.numel()];
        for (int c = 0; c < s.dim(1); c++) {
            java.util.Arrays.fill(v, c * hw, (c + 1) * hw, perChannel[c]);
        }
        return Tensor.of(v, s, like.backend());
    }
}
