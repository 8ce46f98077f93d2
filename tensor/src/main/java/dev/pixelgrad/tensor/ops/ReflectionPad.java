package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.ReflectionPadGeometry;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * Reflection padding, as torch.nn.ReflectionPad2d: the border is the image's mirror image, the
 * edge pixel not repeated (see {@link ReflectionPadGeometry}). Fast style transfer pads so before
 * each convolution instead of with zeros, which keeps dark frames out of the stylised image.
 * <pre>x: (N, C, H, W)   y: (N, C, top + H + bottom, left + W + right)
 * y[n,c,i,j] = x[n,c,reflect(i - top, H),reflect(j - left, W)]</pre>
 */
public final class ReflectionPad extends Op {
    private final ReflectionPadGeometry g;

    private ReflectionPad(ReflectionPadGeometry g) {
        this.g = g;
    }

    /** x padded by top, bottom, left and right pixels; each pad must be smaller than the size on its axis. */
    public static Tensor apply(Tensor x, int top, int bottom, int left, int right) {
        Shape s = x.shape();
        ReflectionPadGeometry g = ReflectionPadGeometry.of(s, top, bottom, left, right);
        Tensor y = Tensor.zeros(Shape.of(s.dim(0), s.dim(1), g.outH(), g.outW()), x.backend());
        x.backend().reflectionPadForward(g, x.data(), y.data());
        return new ReflectionPad(g).record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y[i][j] = x[reflect(i - top)][reflect(j - left)]
        //   =>  dx[u][v] += sum of dy[i][j] over every (i, j) that reflects to (u, v)
        dy.backend().reflectionPadBackward(g, dy.data(), gradOf(0));
    }

    @Override
    public String name() {
        return "reflection_pad";
    }
}
