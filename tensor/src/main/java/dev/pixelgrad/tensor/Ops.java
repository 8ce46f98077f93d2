package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.ops.AvgPool2d;
import dev.pixelgrad.tensor.ops.Conv2d;
import dev.pixelgrad.tensor.ops.Gram;
import dev.pixelgrad.tensor.ops.InstanceNorm;
import dev.pixelgrad.tensor.ops.MaxPool2d;
import dev.pixelgrad.tensor.ops.ReflectionPad;
import dev.pixelgrad.tensor.ops.Relu;
import dev.pixelgrad.tensor.ops.Resample;
import dev.pixelgrad.tensor.ops.SquaredError;
import dev.pixelgrad.tensor.ops.TotalVariation;
import dev.pixelgrad.tensor.ops.UpsampleNearest;
import dev.pixelgrad.tensor.ops.Window;

/**
 * The layers, losses and image operations of the course, for code that reads like the math:
 * {@code Ops.relu(Ops.conv2d(x, w, b, spec))}. Each delegates to the op class of the same name,
 * where forward and backward sit side by side. Arithmetic, reductions and reshapes are methods of
 * {@link Tensor} instead ({@code a.sub(b).square().sum()}); every op has exactly one front door.
 */
public final class Ops {
    private Ops() {
    }

    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec) {
        return Conv2d.apply(x, w, bias, spec);
    }

    /** max(x, 0). */
    public static Tensor relu(Tensor x) {
        return Relu.apply(x);
    }

    public static Tensor maxPool2d(Tensor x, PoolSpec spec) {
        return MaxPool2d.apply(x, spec);
    }

    public static Tensor avgPool2d(Tensor x, PoolSpec spec) {
        return AvgPool2d.apply(x, spec);
    }

    /**
     * Instance normalisation of x (N, C, H, W): each plane (n, c) scaled to zero mean and unit
     * (biased) variance over its H W pixels, then y = gamma[c] xhat + beta[c], as PyTorch's
     * {@code InstanceNorm2d(C, affine=True)}; eps (1e-5 in PyTorch) guards flat planes.
     */
    public static Tensor instanceNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        return InstanceNorm.apply(x, gamma, beta, eps);
    }

    /** G = alpha F F^T per image. */
    public static Tensor gram(Tensor x, float alpha) {
        return Gram.apply(x, alpha);
    }

    /** (1/N) sum (a - b)^2. */
    public static Tensor mse(Tensor a, Tensor b) {
        return SquaredError.mse(a, b);
    }

    /** sum (a - b)^2. */
    public static Tensor sse(Tensor a, Tensor b) {
        return SquaredError.sse(a, b);
    }

    /** The total-variation regulariser R_{V^beta}. */
    public static Tensor totalVariation(Tensor x, float beta) {
        return TotalVariation.apply(x, beta);
    }

    /** The th x tw window of x (N, C, H, W) at (y0, x0); its gradient is added back at the window. */
    public static Tensor crop(Tensor x, int y0, int x0, int th, int tw) {
        return Window.crop(x, y0, x0, th, tw);
    }

    /** x (N, C, H, W) rolled down by dy and right by dx pixels, wrapping around (as torch.roll). */
    public static Tensor roll(Tensor x, int dy, int dx) {
        return Window.roll(x, dy, dx);
    }

    /** Every plane of x (N, C, H, W) resampled as R_y X R_x^T, for constant weight matrices. */
    public static Tensor resample(Tensor x, Tensor ry, Tensor rx) {
        return Resample.apply(x, ry, rx);
    }

    /** x (N, C, H, W) padded by {@code pad} pixels on every side with its mirror image (as nn.ReflectionPad2d(pad)). */
    public static Tensor reflectionPad(Tensor x, int pad) {
        return ReflectionPad.apply(x, pad, pad, pad, pad);
    }

    /**
     * x (N, C, H, W) padded with its mirror image, the edge not repeated (as nn.ReflectionPad2d((left, right,
     * top, bottom))); each pad must be smaller than the size on its axis.
     */
    public static Tensor reflectionPad(Tensor x, int top, int bottom, int left, int right) {
        return ReflectionPad.apply(x, top, bottom, left, right);
    }

    /** Every pixel of x (N, C, H, W) repeated as a factor x factor block (as F.interpolate(mode='nearest')). */
    public static Tensor upsampleNearest(Tensor x, int factor) {
        return UpsampleNearest.apply(x, factor);
    }
}
