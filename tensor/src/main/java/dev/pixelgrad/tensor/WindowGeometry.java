package dev.pixelgrad.tensor;

/**
 * A window of windowH x windowW pixels read from each of {@code planes} planes of h x w, starting
 * at row y0 and column x0 and wrapping around the edges:
 * <pre>
 * y[p][i][j] = x[p][(y0 + i) mod h][(x0 + j) mod w]      i &lt; windowH, j &lt; windowW
 * </pre>
 * A crop is a window that stays inside the plane; a roll by (dy, dx) is the full-size window that
 * starts at (-dy, -dx). The window is never larger than the plane, so no two window pixels come
 * from the same input pixel and the backward (a scatter-add) is race-free.
 */
public record WindowGeometry(int planes, int h, int w, int windowH, int windowW, int y0, int x0) {

    public WindowGeometry {
        if (planes < 0 || h < 1 || w < 1 || windowH < 0 || windowW < 0 || windowH > h || windowW > w) {
            throw new IllegalArgumentException("window: a " + windowH + "x" + windowW + " window does not fit in "
                    + planes + " planes of " + h + "x" + w);
        }
        if (y0 < 0 || y0 >= h || x0 < 0 || x0 >= w) {
            throw new IllegalArgumentException("window: start (" + y0 + ", " + x0 + ") lies outside the " + h + "x" + w
                    + " plane; reduce it modulo the size");
        }
    }

    /** The window of x (N, C, H, W) at (y0, x0) of th x tw pixels, which must lie inside the image. */
    public static WindowGeometry crop(Shape x, int y0, int x0, int th, int tw) {
        x.requireRank(4, "crop", "image (N, C, H, W)");
        int h = x.dim(2), w = x.dim(3);
        if (th < 1 || tw < 1 || y0 < 0 || x0 < 0 || y0 + th > h || x0 + tw > w) {
            throw new IllegalArgumentException("crop: window of " + th + "x" + tw + " at (" + y0 + ", " + x0
                    + ") does not lie inside the " + h + "x" + w + " image " + x);
        }
        return new WindowGeometry(x.dim(0) * x.dim(1), h, w, th, tw, y0, x0);
    }

    /** x (N, C, H, W) rolled down by dy and right by dx pixels, wrapping around (as torch.roll). */
    public static WindowGeometry roll(Shape x, int dy, int dx) {
        x.requireRank(4, "roll", "image (N, C, H, W)");
        int h = x.dim(2), w = x.dim(3);
        return new WindowGeometry(x.dim(0) * x.dim(1), h, w, h, w, Math.floorMod(-dy, h), Math.floorMod(-dx, w));
    }

    public long inputSize() {
        return (long) planes * h * w;
    }

    public long outputSize() {
        return (long) planes * windowH * windowW;
    }
}
