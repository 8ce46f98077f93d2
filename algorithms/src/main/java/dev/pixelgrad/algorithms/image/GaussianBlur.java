package dev.pixelgrad.algorithms.image;

/**
 * A Gaussian blur of planes of h x w values, as two passes of a 1-D kernel (rows, then columns):
 * w_i = exp(-i^2 / (2 sigma^2)) / sum, for |i| up to 4 sigma (scipy's gaussian_filter1d), with
 * the edge mirrored (d c b a | a b c d, scipy's "reflect") so that the border keeps its brightness.
 */
public final class GaussianBlur {
    private GaussianBlur() {
    }

    /** The blurred copy of {@code planes} planes of h x w values, stored one after another. */
    public static float[] apply(float[] v, int planes, int h, int w, float sigma) {
        if (v.length != planes * h * w || !(sigma > 0)) {
            throw new IllegalArgumentException("gaussian blur: " + v.length + " values for " + planes + " planes of " + w + "x" + h
                    + ", sigma " + sigma + " (must be above 0)");
        }
        float[] k = kernel(sigma);
        int r = k.length / 2;
        float[] rows = new float[v.length], out = new float[v.length];
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int i = -r; i <= r; i++) {
                        acc += k[i + r] * v[base + y * w + mirror(x + i, w)];
                    }
                    rows[base + y * w + x] = (float) acc;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int i = -r; i <= r; i++) {
                        acc += k[i + r] * rows[base + mirror(y + i, h) * w + x];
                    }
                    out[base + y * w + x] = (float) acc;
                }
            }
        }
        return out;
    }

    /** The normalised 1-D kernel, radius round(4 sigma) (at least 1). */
    static float[] kernel(float sigma) {
        int r = Math.max(1, Math.round(4 * sigma));
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            sum += k[i + r] = (float) Math.exp(-i * i / (2.0 * sigma * sigma));
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    /** Index i folded into [0, n): -1 -> 0, n -> n - 1 (the edge value repeated, then mirrored). */
    private static int mirror(int i, int n) {
        int period = 2 * n;
        i = ((i % period) + period) % period;
        return i < n ? i : period - 1 - i;
    }
}
