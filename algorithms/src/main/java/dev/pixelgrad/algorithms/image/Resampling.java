package dev.pixelgrad.algorithms.image;

/**
 * Resizing one axis at a time with a weight matrix R (out x in), so that a plane P (h x w)
 * becomes R_y P R_x^T. The same matrices serve images on the host ({@link #resize}) and on a
 * device, where the two products are GEMMs.
 *
 * <ul>
 * <li>Shrinking averages areas: output pixel i covers [i s, (i+1) s) of the input (s = in/out)
 * and each input pixel weighs by how much of it lies inside. No input pixel is skipped, so
 * there is no aliasing.</li>
 * <li>Growing is bicubic (Keys, a = -0.5, as PIL and OpenCV), sampling at pixel centres
 * ((i + 0.5) s - 0.5) with edge pixels repeated.</li>
 * <li>Equal sizes give the identity: an image already at its size is never resampled.</li>
 * </ul>
 */
public final class Resampling {
    private Resampling() {
    }

    /** The (out x in) row-major weight matrix taking a line of {@code in} pixels to {@code out}; rows sum to 1. */
    public static float[] matrix(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("resample: sizes must be positive, got " + in + " -> " + out);
        }
        float[] r = new float[out * in];
        if (out == in) {
            for (int i = 0; i < in; i++) {
                r[i * in + i] = 1f;
            }
        } else if (out < in) {
            areaAverage(in, out, r);
        } else {
            bicubic(in, out, r);
        }
        return r;
    }

    private static void areaAverage(int in, int out, float[] r) {
        double s = (double) in / out;
        for (int i = 0; i < out; i++) {
            double lo = i * s, hi = (i + 1) * s;
            for (int j = (int) Math.floor(lo); j < Math.min(in, (int) Math.ceil(hi)); j++) {
                double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
                if (overlap > 0) {
                    r[i * in + j] += (float) (overlap / s);
                }
            }
        }
    }

    private static void bicubic(int in, int out, float[] r) {
        double s = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = (i + 0.5) * s - 0.5;
            int j0 = (int) Math.floor(src);
            double t = src - j0;
            for (int k = -1; k <= 2; k++) {
                int j = Math.min(in - 1, Math.max(0, j0 + k));
                r[i * in + j] += (float) keys(k - t);
            }
        }
    }

    /** Keys' cubic convolution kernel with a = -0.5. */
    private static double keys(double x) {
        final double a = -0.5;
        x = Math.abs(x);
        if (x <= 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return 0;
    }

    /** The image at (height, width); the same instance when it already has that size. */
    public static RgbImage resize(RgbImage img, int height, int width) {
        if (img.height() == height && img.width() == width) {
            return img;
        }
        float[] ry = matrix(img.height(), height);
        float[] rx = matrix(img.width(), width);
        int h = img.height(), w = img.width();
        int[][] by = band(ry, height, h), bx = band(rx, width, w);   // each row's nonzero span: O(size), not O(size^2)
        float[] out = new float[3 * height * width];
        float[] tmp = new float[h * width];
        for (int c = 0; c < 3; c++) {
            int base = c * h * w;
            // tmp (h x width) = P R_x^T
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < width; x++) {
                    double acc = 0;
                    for (int j = bx[0][x]; j < bx[1][x]; j++) {
                        acc += rx[x * w + j] * img.rgb()[base + y * w + j];
                    }
                    tmp[y * width + x] = (float) acc;
                }
            }
            // out (height x width) = R_y tmp
            int obase = c * height * width;
            for (int y = 0; y < height; y++) {
                for (int i = by[0][y]; i < by[1][y]; i++) {
                    float wt = ry[y * h + i];
                    for (int x = 0; x < width; x++) {
                        out[obase + y * width + x] += wt * tmp[i * width + x];
                    }
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, out[i]));   // bicubic overshoots a little at edges
        }
        return new RgbImage(out, height, width);
    }

    /** For each of the {@code rows} rows of r (rows x cols), the first and one past the last nonzero column. */
    private static int[][] band(float[] r, int rows, int cols) {
        int[] lo = new int[rows], hi = new int[rows];
        for (int i = 0; i < rows; i++) {
            int a = 0, b = cols;
            while (a < b && r[i * cols + a] == 0f) {
                a++;
            }
            while (b > a && r[i * cols + b - 1] == 0f) {
                b--;
            }
            lo[i] = a;
            hi[i] = b;
        }
        return new int[][]{lo, hi};
    }

    /** The (height, width) with the given long side, aspect ratio kept (each side at least 1). */
    public static int[] sizeForLongSide(int height, int width, int longSide) {
        if (longSide <= 0) {
            throw new IllegalArgumentException("resize: the long side must be positive, got " + longSide);
        }
        if (height >= width) {
            return new int[]{longSide, Math.max(1, (int) Math.round((double) width * longSide / height))};
        }
        return new int[]{Math.max(1, (int) Math.round((double) height * longSide / width)), longSide};
    }

    /** The image scaled so that its long side is {@code longSide}; the same instance when it already is. */
    public static RgbImage resizeLongSide(RgbImage img, int longSide) {
        int[] hw = sizeForLongSide(img.height(), img.width(), longSide);
        return resize(img, hw[0], hw[1]);
    }
}
