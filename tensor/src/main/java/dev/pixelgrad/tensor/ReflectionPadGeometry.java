package dev.pixelgrad.tensor;

/**
 * Each of {@code planes} planes of h x w, padded with its own mirror image (the edge pixel is not
 * repeated, as torch.nn.ReflectionPad2d), by {@code top}, {@code bottom}, {@code left} and
 * {@code right} pixels:
 * <pre>
 * y[p][i][j] = x[p][reflect(i - top, h)][reflect(j - left, w)]      i &lt; outH, j &lt; outW
 * reflect(s, size) = -s for s &lt; 0,  2 (size - 1) - s for s &gt;= size,  s otherwise
 * </pre>
 * Each pad is smaller than the size on its axis (PyTorch's rule), so one reflection always lands
 * inside the plane. An input row then feeds at most three output rows (its own, its mirror in the
 * top pad, its mirror in the bottom pad), and likewise for columns, so a backward that gathers per
 * input pixel reads at most 3 x 3 outputs (all nine when h, w = 3 and every pad is 2).
 */
public record ReflectionPadGeometry(int planes, int h, int w, int top, int bottom, int left, int right) {

    public ReflectionPadGeometry {
        if (planes < 0 || h < 1 || w < 1) {
            throw new IllegalArgumentException("reflection_pad: " + planes + " planes of " + h + "x" + w
                    + " is not an image; sizes must be at least 1");
        }
        if (!fits(top, h) || !fits(bottom, h) || !fits(left, w) || !fits(right, w)) {
            throw new IllegalArgumentException("reflection_pad: pads top " + top + ", bottom " + bottom + ", left " + left
                    + ", right " + right + " must each be >= 0 and smaller than the " + h + "x" + w
                    + " plane on their axis (as PyTorch); pad by less, or pad again after the first pad");
        }
    }

    private static boolean fits(int pad, int size) {
        return pad >= 0 && pad < size;
    }

    /** x (N, C, H, W) padded by the four amounts. */
    public static ReflectionPadGeometry of(Shape x, int top, int bottom, int left, int right) {
        x.requireRank(4, "reflection_pad", "image (N, C, H, W)");
        return new ReflectionPadGeometry(x.dim(0) * x.dim(1), x.dim(2), x.dim(3), top, bottom, left, right);
    }

    public int outH() {
        return top + h + bottom;
    }

    public int outW() {
        return left + w + right;
    }

    public long inputSize() {
        return (long) planes * h * w;
    }

    public long outputSize() {
        return (long) planes * outH() * outW();
    }

    /** The input index that output index {@code o} copies, on an axis of {@code size} padded by {@code before}. */
    public static int reflect(int o, int size, int before) {
        int s = o - before;
        return s < 0 ? -s : s >= size ? 2 * (size - 1) - s : s;
    }
}
