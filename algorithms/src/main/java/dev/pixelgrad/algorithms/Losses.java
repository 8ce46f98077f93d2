package dev.pixelgrad.algorithms;

import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * The losses of backprop to the image, as the papers define them. Feature maps F are (1, N, H, W):
 * N channels over M = H W positions.
 */
public final class Losses {
    private Losses() {
    }

    /** Content (feature reconstruction) loss: 1/2 sum (F - P)^2 (Gatys et al.). */
    public static Tensor content(Tensor f, Tensor p) {
        return Ops.sse(f, p).scale(0.5f);
    }

    /** Feature inversion loss: ||Phi(x) - Phi_0||^2 (Mahendran and Vedaldi). */
    public static Tensor featureDistance(Tensor phi, Tensor phi0) {
        return Ops.sse(phi, phi0);
    }

    /**
     * The normalised Gram matrix G / (N M), G = F F^T: which channels fire together, averaged
     * over positions so that images of different sizes compare.
     */
    public static Tensor gram(Tensor f) {
        Shape s = f.shape().requireRank(4, "gram", "features (1, N, H, W)");
        float nm = (float) s.dim(1) * s.dim(2) * s.dim(3);
        return Ops.gram(f, 1f / nm);
    }

    /** A style target: the normalised Gram of the style image's features, off the tape. */
    public static Tensor gramTarget(Tensor f) {
        try (Grad.Scope ignored = Grad.disabled()) {
            return gram(f.detach());
        }
    }

    /**
     * Style loss of one layer (Gatys et al.):
     * <pre>E = 1/(4 N^2 M^2) sum_ij (G_ij - Ghat_ij)^2  =  1/4 sum_ij (G_ij/(NM) - Ghat_ij/(NM))^2</pre>
     * computed in the second form from {@code targetGram} = Ghat/(N M) ({@link #gramTarget}), which
     * keeps the numbers small. When the style image has another size, Ghat is divided by its own
     * M, so that E compares average co-activations.
     */
    public static Tensor style(Tensor f, Tensor targetGram) {
        return Ops.sse(gram(f), targetGram).scale(0.25f);
    }
}
