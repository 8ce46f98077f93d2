package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * Gram matrix of feature maps: G = alpha F F^T, with F the (C, H*W) matrix of one image's
 * features, so G[i][j] = alpha sum_p F[i][p] F[j][p] measures which channels fire together.
 * <pre>x: (N, C, H, W) or (C, M)   G: (N, C, C) or (C, C)</pre>
 */
public final class Gram extends Op {
    private final float alpha;
    private final int batch, c, m;

    private Gram(float alpha, int batch, int c, int m) {
        this.alpha = alpha;
        this.batch = batch;
        this.c = c;
        this.m = m;
    }

    /** G = F F^T. */
    public static Tensor apply(Tensor x) {
        return apply(x, 1f);
    }

    /** G = alpha F F^T; alpha is the normalisation factor, e.g. 1/(C H W). */
    public static Tensor apply(Tensor x, float alpha) {
        Shape s = x.shape();
        int batch, c, m;
        Shape out;
        if (s.rank() == 4) {
            batch = s.dim(0);
            c = s.dim(1);
            m = s.dim(2) * s.dim(3);
            out = Shape.of(batch, c, c);
        } else if (s.rank() == 2) {
            batch = 1;
            c = s.dim(0);
            m = s.dim(1);
            out = Shape.of(c, c);
        } else {
            throw new IllegalArgumentException("gram: input must be (N, C, H, W) or (C, M) but has shape " + s);
        }
        Backend be = x.backend();
        Tensor g = Tensor.zeros(out, be);
        for (int b = 0; b < batch; b++) {
            be.gram(x.data(), (long) b * c * m, c, m, alpha, g.data(), (long) b * c * c);
        }
        return new Gram(alpha, batch, c, m).record(g, x);
    }

    @Override
    protected void backward(Tensor dG) {
        // forward: G = alpha F F^T  =>  dF = alpha (dG + dG^T) F
        Backend be = dG.backend();
        Tensor f = input(0);
        for (int b = 0; b < batch; b++) {
            long offF = (long) b * c * m, offG = (long) b * c * c;
            be.gemm(false, false, c, m, c, alpha, dG.data(), offG, f.data(), offF, 1f, gradOf(0), offF);
            be.gemm(true, false, c, m, c, alpha, dG.data(), offG, f.data(), offF, 1f, gradOf(0), offF);
        }
    }

    @Override
    public String name() {
        return "gram";
    }
}
