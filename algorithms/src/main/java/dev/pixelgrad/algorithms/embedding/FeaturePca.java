package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.algorithms.image.HeatMaps;
import dev.pixelgrad.algorithms.image.RgbImage;

import java.util.Arrays;

/**
 * The first three principal components of one layer's features as colours: every position of the
 * (C, h, w) activation is a sample of C values, so positions the layer sees alike get alike
 * colours. Component i becomes colour channel i (red, green, blue), each mapped from its 1st to
 * its 99th percentile over the positions onto [0, 1], so a few extreme positions do not wash the
 * rest out. Components are signed by {@link Pca}'s convention, so the same features give the same
 * picture.
 *
 * @param rgb      planar RGB in [0, 1] on the layer's grid, (3, h, w)
 * @param height   h, the layer's grid
 * @param width    w
 * @param ratios   the explained-variance ratio of each component shown (up to 3)
 * @param fitted   how many positions the components were fitted on (at most {@link #MAX_FIT_POSITIONS})
 * @param positions h w
 */
public record FeaturePca(float[] rgb, int height, int width, double[] ratios, int fitted, int positions) {
    /**
     * Positions beyond this are subsampled (evenly) for the fit, then all are projected: the
     * components of 16k samples of at most 512 channels are already stable, and the double copy of
     * relu1_1 at 1000 x 750 px would take 400 MB.
     */
    public static final int MAX_FIT_POSITIONS = 16384;

    /** The components that become red, green and blue. */
    public static final int COLOURS = 3;

    /** Value of a colour channel with no component behind it (fewer than 3 positions or channels) or no spread. */
    private static final float FLAT = 0.5f;

    /** The picture of an activation {@code x}: (c, h, w) planar floats. */
    public static FeaturePca of(float[] x, int c, int h, int w) {
        int n = h * w;
        if (c < 1 || n < 1 || x.length != c * n) {
            throw new IllegalArgumentException("feature pca: " + x.length + " values for " + c + " channels of " + h + "x" + w);
        }
        int fitted = Math.min(n, MAX_FIT_POSITIONS);
        double[][] sample = new double[fitted][];
        for (int i = 0; i < fitted; i++) {
            sample[i] = position(x, c, n, (int) ((long) i * n / fitted));
        }
        Pca pca = Pca.fit(sample);
        int k = Math.min(COLOURS, pca.components().length);

        float[] rgb = new float[COLOURS * n];
        Arrays.fill(rgb, FLAT);
        float[][] z = new float[k][n];
        for (int start = 0; start < n; start += MAX_FIT_POSITIONS) {   // in chunks, to keep the double copy small
            int end = Math.min(n, start + MAX_FIT_POSITIONS);
            double[][] rows = new double[end - start][];
            for (int p = start; p < end; p++) {
                rows[p - start] = position(x, c, n, p);
            }
            double[][] zr = pca.transform(rows, k);
            for (int p = start; p < end; p++) {
                for (int j = 0; j < k; j++) {
                    z[j][p] = (float) zr[p - start][j];
                }
            }
        }
        for (int j = 0; j < k; j++) {
            float[] lohi = percentiles(z[j]);
            float span = lohi[1] - lohi[0];
            for (int p = 0; p < n; p++) {
                rgb[j * n + p] = span > 0 ? clamp01((z[j][p] - lohi[0]) / span) : FLAT;
            }
        }
        return new FeaturePca(rgb, h, w, Arrays.copyOf(pca.explainedVarianceRatio(), k), fitted, n);
    }

    /** The picture resized to (height, width) with the image resampler, each channel clamped to [0, 1]. */
    public RgbImage resized(int toHeight, int toWidth) {
        int n = height * width, m = toHeight * toWidth;
        float[] out = new float[COLOURS * m];
        for (int ch = 0; ch < COLOURS; ch++) {
            float[] plane = HeatMaps.resize(Arrays.copyOfRange(rgb, ch * n, (ch + 1) * n), height, width, toHeight, toWidth);
            for (int i = 0; i < m; i++) {
                out[ch * m + i] = clamp01(plane[i]);   // bicubic overshoots a little at edges
            }
        }
        return new RgbImage(out, toHeight, toWidth);
    }

    private static double[] position(float[] x, int c, int n, int p) {
        double[] v = new double[c];
        for (int ch = 0; ch < c; ch++) {
            v[ch] = x[ch * n + p];
        }
        return v;
    }

    /**
     * The 1st and 99th percentiles (nearest rank); the minimum and maximum when those coincide,
     * so a component that is flat in most places still shows where it is not.
     */
    static float[] percentiles(float[] v) {
        float[] s = v.clone();
        Arrays.sort(s);
        int last = s.length - 1;
        float lo = s[(int) Math.round(0.01 * last)], hi = s[(int) Math.round(0.99 * last)];
        return hi > lo ? new float[]{lo, hi} : new float[]{s[0], s[last]};
    }

    private static float clamp01(float v) {
        return Math.min(1f, Math.max(0f, v));
    }
}
