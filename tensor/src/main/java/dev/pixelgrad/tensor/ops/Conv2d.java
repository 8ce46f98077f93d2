package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as every CNN framework):
 * y[n,k,i,j] = b[k] + sum_{c,r,s} w[k,c,r,s] x[n,c, i*stride+r-pad, j*stride+s-pad], zero outside x.
 * <pre>x: (N, C, H, W)   w: (K, C, R, S)   b: (K)   y: (N, K, outH, outW)</pre>
 * Backward computes dx only when x needs it and dw, db only when the weights are trainable, so a
 * frozen VGG costs one backward convolution per layer.
 */
public final class Conv2d extends Op {
    private final ConvGeometry g;

    private Conv2d(ConvGeometry g) {
        this.g = g;
    }

    public static Tensor apply(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec) {
        Backend be = sameBackend("conv2d", x, w, bias);
        ConvGeometry g = geometry(x.shape(), w.shape(), bias == null ? null : bias.shape(), spec);
        Tensor y = Tensor.zeros(Shape.of(g.n(), g.k(), g.outH(), g.outW()), be);
        be.conv2dForward(g, x.data(), w.data(), bias == null ? null : bias.data(), y.data());
        return new Conv2d(g).record(y, x, w, bias);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y = x (*) w + b  =>  dx = dy (*)^T w,  dw = x (*) dy,  db = sum dy
        Backend be = dy.backend();
        if (needsGrad(0)) {
            be.conv2dBackwardData(g, dy.data(), input(1).data(), gradOf(0));
        }
        if (needsGrad(1) || needsGrad(2)) {
            be.conv2dBackwardWeights(g, input(0).data(), dy.data(),
                    needsGrad(1) ? gradOf(1) : null, needsGrad(2) ? gradOf(2) : null);
        }
    }

    /** Checks the operand shapes and derives the geometry; errors say what was expected. */
    public static ConvGeometry geometry(Shape x, Shape w, Shape bias, Conv2dSpec spec) {
        x.requireRank(4, "conv2d", "input x (N, C, H, W)");
        w.requireRank(4, "conv2d", "weight w (K, C, R, S)");
        if (x.dim(1) != w.dim(1)) {
            String hint = x.dim(1) == 4 && w.dim(1) == 3 ? "; drop the alpha channel?" : "";
            throw new IllegalArgumentException("conv2d: input has " + x.dim(1) + " channels but weight expects "
                    + w.dim(1) + " (x=" + x + ", w=" + w + ")" + hint);
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException("conv2d: bias has shape " + bias + " but the weight has "
                    + w.dim(0) + " output channels; expected [" + w.dim(0) + "]");
        }
        if (x.dim(2) + 2 * spec.padH() < w.dim(2) || x.dim(3) + 2 * spec.padW() < w.dim(3)) {
            throw new IllegalArgumentException("conv2d: input " + x + " with padding (" + spec.padH() + ","
                    + spec.padW() + ") is smaller than the " + w.dim(2) + "x" + w.dim(3) + " kernel");
        }
        return new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3),
                spec.strideH(), spec.strideW(), spec.padH(), spec.padW());
    }

    @Override
    public String name() {
        return "conv2d";
    }
}
