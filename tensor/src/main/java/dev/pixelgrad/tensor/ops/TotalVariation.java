package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * Total variation regulariser of Mahendran and Vedaldi:
 * <pre>
 * R(x) = sum_{n, c, i &lt; H-1, j &lt; W-1} ((x[i][j+1] - x[i][j])^2 + (x[i+1][j] - x[i][j])^2 + eps)^(beta/2)
 * </pre>
 * For beta &lt; 2 the power has an infinite slope at zero, so {@link #EPS} = 1e-8 sits inside it;
 * for beta &ge; 2 eps is 0 and R is exact.
 */
public final class TotalVariation extends Op {
    /** Added inside the power when beta &lt; 2, keeping the gradient finite where the image is flat. */
    public static final float EPS = 1e-8f;

    private final float beta;
    private final float eps;

    private TotalVariation(float beta) {
        this.beta = beta;
        this.eps = epsFor(beta);
    }

    public static float epsFor(float beta) {
        return beta < 2f ? EPS : 0f;
    }

    public static Tensor apply(Tensor x, float beta) {
        Shape s = x.shape().requireRank(4, "total_variation", "input x (N, C, H, W)");
        if (!(beta > 0f)) {
            throw new IllegalArgumentException("total_variation: beta must be positive, got " + beta);
        }
        Tensor y = Tensor.zeros(Shape.scalar(), x.backend());
        x.backend().totalVariationForward(x.data(), s.dim(0), s.dim(1), s.dim(2), s.dim(3), beta, epsFor(beta), y.data());
        return new TotalVariation(beta).record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: R = sum_p q_p^(beta/2), q_p = dr_p^2 + dd_p^2 + eps
        //   =>  dR/dx[i][j] gathers beta q^(beta/2-1) (-(dr + dd)) at p=(i,j),
        //       + beta q^(beta/2-1) dr at (i, j-1) and + beta q^(beta/2-1) dd at (i-1, j); times dy
        Shape s = input(0).shape();
        dy.backend().totalVariationBackward(input(0).data(), s.dim(0), s.dim(1), s.dim(2), s.dim(3),
                beta, eps, dy.data(), gradOf(0));
    }

    @Override
    public String name() {
        return "total_variation";
    }
}
