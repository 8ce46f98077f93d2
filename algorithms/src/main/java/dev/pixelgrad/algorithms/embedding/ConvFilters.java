package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.algorithms.image.RgbImage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The filters of a convolution as small pictures, each normalised to [0, 1] by its own minimum and
 * maximum (so the pattern shows, not the scale), laid out in a grid of about as many columns as
 * rows with a 1 px white gap between cells.
 *
 * <pre>
 *   w: (K, C, R, S)    one cell per output channel k, R x S pixels, magnified by nearest neighbour
 * </pre>
 */
public final class ConvFilters {
    private static final float GAP = 1f;   // white

    private ConvFilters() {
    }

    /**
     * First-layer filters (C = 3) as colours. {@code rgbOf[ch]} is the RGB channel that network
     * channel ch reads (Caffe weights read BGR), and {@code gain[ch]} scales it, so the cell is the
     * pattern on [0, 1] pixels that the filter responds to most: with x = (range rgb - mean) / std,
     * dy/d rgb = w range / std.
     *
     * @return each filter as planar RGB (3, R, S) in [0, 1]
     */
    public static List<float[]> colour(float[] w, int k, int r, int s, int[] rgbOf, float[] gain) {
        int rs = r * s;
        check(w, k, 3, r, s);
        List<float[]> cells = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            float[] cell = new float[3 * rs];
            for (int ch = 0; ch < 3; ch++) {
                for (int i = 0; i < rs; i++) {
                    cell[rgbOf[ch] * rs + i] = w[(f * 3 + ch) * rs + i] * gain[ch];
                }
            }
            cells.add(normalisedInPlace(cell));
        }
        return cells;
    }

    /**
     * Filters of a deeper layer as grey: the mean over the C input channels of each filter (a single
     * channel of 64 or more says little on its own; their mean shows the spatial bias they share).
     *
     * @return each filter as planar RGB (3, R, S) in [0, 1], the three planes equal
     */
    public static List<float[]> grey(float[] w, int k, int c, int r, int s) {
        int rs = r * s;
        check(w, k, c, r, s);
        List<float[]> cells = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            float[] mean = new float[rs];
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < rs; i++) {
                    mean[i] += w[(f * c + ch) * rs + i] / c;
                }
            }
            normalisedInPlace(mean);
            float[] cell = new float[3 * rs];
            for (int ch = 0; ch < 3; ch++) {
                System.arraycopy(mean, 0, cell, ch * rs, rs);
            }
            cells.add(cell);
        }
        return cells;
    }

    /**
     * The cells (planar RGB (3, R, S) each) in a grid of ceil(sqrt(n)) columns, each pixel a
     * {@code scale} x {@code scale} block, cells 1 px apart: the picture is
     * {@code cols (S scale + 1) - 1} wide and {@code rows (R scale + 1) - 1} high.
     */
    public static RgbImage grid(List<float[]> cells, int r, int s, int scale) {
        if (cells.isEmpty() || scale < 1) {
            throw new IllegalArgumentException("filter grid: " + cells.size() + " cells at scale " + scale
                    + "; expected at least one cell and a scale of 1 or more");
        }
        int n = cells.size(), cols = (int) Math.ceil(Math.sqrt(n)), rows = (n + cols - 1) / cols;
        int cellH = r * scale, cellW = s * scale;
        int height = rows * (cellH + 1) - 1, width = cols * (cellW + 1) - 1, hw = height * width;
        float[] rgb = new float[3 * hw];
        Arrays.fill(rgb, GAP);
        for (int f = 0; f < n; f++) {
            float[] cell = cells.get(f);
            int y0 = (f / cols) * (cellH + 1), x0 = (f % cols) * (cellW + 1);
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < cellH; y++) {
                    for (int x = 0; x < cellW; x++) {
                        rgb[ch * hw + (y0 + y) * width + x0 + x] = cell[(ch * r + y / scale) * s + x / scale];
                    }
                }
            }
        }
        return new RgbImage(rgb, height, width);
    }

    /** v mapped from [min, max] onto [0, 1]; a constant filter becomes mid-grey. */
    static float[] normalisedInPlace(float[] v) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        float span = hi - lo;
        for (int i = 0; i < v.length; i++) {
            v[i] = span > 0 ? (v[i] - lo) / span : 0.5f;
        }
        return v;
    }

    private static void check(float[] w, int k, int c, int r, int s) {
        if (w.length != (long) k * c * r * s) {
            throw new IllegalArgumentException("conv filters: " + w.length + " weights for shape [" + k + ", " + c + ", " + r
                    + ", " + s + "]");
        }
    }
}
