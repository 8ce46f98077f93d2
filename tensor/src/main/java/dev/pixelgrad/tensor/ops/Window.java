package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.tensor.WindowGeometry;

/**
 * x seen through a window that wraps around the edges (see {@link WindowGeometry}): a crop
 * (a tile of a large image) or a roll (DeepDream's jitter).
 * <pre>x: (N, C, H, W)   y: (N, C, windowH, windowW)   y[n,c,i,j] = x[n,c,(y0+i) mod H,(x0+j) mod W]</pre>
 */
public final class Window extends Op {
    private final WindowGeometry g;

    private Window(WindowGeometry g) {
        this.g = g;
    }

    /** The th x tw window at (y0, x0), inside the image. */
    public static Tensor crop(Tensor x, int y0, int x0, int th, int tw) {
        return apply(x, WindowGeometry.crop(x.shape(), y0, x0, th, tw));
    }

    /** x rolled down by dy and right by dx pixels, wrapping around (as torch.roll). */
    public static Tensor roll(Tensor x, int dy, int dx) {
        return apply(x, WindowGeometry.roll(x.shape(), dy, dx));
    }

    private static Tensor apply(Tensor x, WindowGeometry g) {
        Shape s = x.shape();
        Tensor y = Tensor.zeros(Shape.of(s.dim(0), s.dim(1), g.windowH(), g.windowW()), x.backend());
        x.backend().windowForward(g, x.data(), y.data());
        return new Window(g).record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: y[i][j] = x[(y0+i) mod H][(x0+j) mod W]  =>  dx[(y0+i) mod H][(x0+j) mod W] += dy[i][j]
        dy.backend().windowBackward(g, dy.data(), gradOf(0));
    }

    @Override
    public String name() {
        return "window";
    }
}
