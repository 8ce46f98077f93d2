package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.Tensor;

/**
 * Instance normalisation with a learned scale and shift per channel (Ulyanov et al.), as
 * {@code torch.nn.InstanceNorm2d(C, affine=True)} without running statistics: each plane (n, c)
 * is normalised over its own H W pixels,
 * <pre>
 * mu = mean_{i,j} x[n,c,i,j]    var = mean_{i,j} (x[n,c,i,j] - mu)^2   (biased)
 * y[n,c,i,j] = gamma[c] (x[n,c,i,j] - mu) / sqrt(var + eps) + beta[c]
 * </pre>
 * <pre>x: (N, C, H, W)   gamma, beta: (C)   y: (N, C, H, W)</pre>
 * Forward keeps mu and 1 / sqrt(var + eps) per plane for backward, which computes only the
 * gradients that are needed.
 */
public final class InstanceNorm extends Op {
    private final int n, c, hw;
    private Storage mean, invStd;

    private InstanceNorm(int n, int c, int hw, Storage mean, Storage invStd) {
        this.n = n;
        this.c = c;
        this.hw = hw;
        this.mean = mean;
        this.invStd = invStd;
    }

    public static Tensor apply(Tensor x, Tensor gamma, Tensor beta, float eps) {
        Backend be = sameBackend("instance_norm", x, gamma, beta);
        Shape s = x.shape().requireRank(4, "instance_norm", "input x (N, C, H, W)");
        int n = s.dim(0), c = s.dim(1), hw = s.dim(2) * s.dim(3);
        requireChannelVector("gamma", gamma, c, s);
        requireChannelVector("beta", beta, c, s);
        if (!(eps > 0f) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException("instance_norm: eps must be positive and finite, got " + eps
                    + "; PyTorch's default is 1e-5");
        }
        if (hw == 1) {
            throw new IllegalArgumentException("instance_norm: expected more than 1 spatial element per plane, got x="
                    + s + "; a 1x1 plane normalises to beta whatever the input (as PyTorch, this is refused)");
        }
        Tensor y = Tensor.zeros(s, be);
        Storage mean = be.allocate((long) n * c), invStd = be.allocate((long) n * c);
        be.instanceNormForward(n, c, hw, eps, x.data(), gamma.data(), beta.data(), y.data(), mean, invStd);
        InstanceNorm op = new InstanceNorm(n, c, hw, mean, invStd);
        Tensor out = op.record(y, x, gamma, beta);
        if (out.isLeaf()) {
            op.releaseSaved(); // nothing will run backward, so the statistics can go now
        }
        return out;
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: xhat = (x - mu) invStd,  y = gamma xhat + beta   (mu, invStd per plane (n, c))
        //   =>  dbeta[c] += sum_{n,i,j} dy,  dgamma[c] += sum_{n,i,j} dy xhat,
        //       dx = gamma invStd (dy - mean(dy) - xhat mean(dy xhat))   (means over the plane's pixels)
        dy.backend().instanceNormBackward(n, c, hw, input(0).data(), input(1).data(), mean, invStd, dy.data(),
                needsGrad(0) ? gradOf(0) : null, needsGrad(1) ? gradOf(1) : null, needsGrad(2) ? gradOf(2) : null);
    }

    @Override
    protected void releaseSaved() {
        if (mean != null) {
            mean.release();
            invStd.release();
            mean = null;
            invStd = null;
        }
    }

    private static void requireChannelVector(String what, Tensor t, int c, Shape x) {
        if (t == null) {
            throw new IllegalArgumentException("instance_norm: " + what + " is missing; expected a tensor of shape ["
                    + c + "] for x=" + x + " (use ones for gamma, zeros for beta to leave the normalised value as it is)");
        }
        if (t.shape().rank() != 1 || t.shape().dim(0) != c) {
            throw new IllegalArgumentException("instance_norm: " + what + " has shape " + t.shape() + " but x=" + x
                    + " has " + c + " channels; expected [" + c + "]");
        }
    }

    @Override
    public String name() {
        return "instance_norm";
    }
}
