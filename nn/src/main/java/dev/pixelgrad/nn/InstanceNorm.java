package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Tensor;

/**
 * Instance normalisation with a learned scale and shift per channel, as nn.InstanceNorm2d(C,
 * affine=True): each (n, c) plane is normalised by its own mean and biased variance, then
 * y = gamma[c] x_hat + beta[c]. No running statistics: training and inference compute the same.
 */
public final class InstanceNorm implements Module {
    private final Tensor gamma;
    private final Tensor beta;
    private final float eps;

    /** gamma, beta: (C). */
    public InstanceNorm(Tensor gamma, Tensor beta, float eps) {
        gamma.shape().requireRank(1, "InstanceNorm", "weight (C)");
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.instanceNorm(x, gamma, beta, eps);
    }
}
