package dev.pixelgrad.algorithms.image;

/**
 * Pictures of the maps the lecture's methods compute (a saliency, an occlusion or a gradient map):
 * a map resized onto its image, coloured on a dark-to-bright scale, blended over the image, and a
 * signed per-channel gradient shown around mid-grey.
 */
public final class HeatMaps {
    /** The colour scale from low to high, at evenly spaced stops (close to matplotlib's "inferno"). */
    private static final float[][] SCALE = {
            {0f, 0f, 4f}, {87f, 16f, 110f}, {188f, 55f, 84f}, {249f, 142f, 9f}, {252f, 255f, 164f}};

    private HeatMaps() {
    }

    /** A (h, w) map resized to (height, width) with the image resampler's weights, values not clamped. */
    public static float[] resize(float[] map, int h, int w, int height, int width) {
        if (map.length != h * w) {
            throw new IllegalArgumentException("heat map: " + map.length + " values for a " + w + "x" + h + " map");
        }
        if (h == height && w == width) {
            return map.clone();
        }
        float[] ry = Resampling.matrix(h, height), rx = Resampling.matrix(w, width);
        float[] tmp = new float[h * width], out = new float[height * width];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < width; x++) {
                double acc = 0;
                for (int j = 0; j < w; j++) {
                    acc += rx[x * w + j] * map[y * w + j];
                }
                tmp[y * width + x] = (float) acc;
            }
        }
        for (int y = 0; y < height; y++) {
            for (int i = 0; i < h; i++) {
                float wt = ry[y * h + i];
                if (wt != 0f) {
                    for (int x = 0; x < width; x++) {
                        out[y * width + x] += wt * tmp[i * width + x];
                    }
                }
            }
        }
        return out;
    }

    /** The map coloured from its minimum (dark) to its maximum (bright); a constant map is dark. */
    public static RgbImage colour(float[] map, int h, int w) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float span = hi > lo ? hi - lo : 1f;
        float[] rgb = new float[3 * h * w];
        for (int i = 0; i < h * w; i++) {
            float t = (map[i] - lo) / span * (SCALE.length - 1);
            int k = Math.min((int) t, SCALE.length - 2);
            float f = t - k;
            for (int c = 0; c < 3; c++) {
                rgb[c * h * w + i] = ((1 - f) * SCALE[k][c] + f * SCALE[k + 1][c]) / 255f;
            }
        }
        return new RgbImage(rgb, h, w);
    }

    /** The image with its map (of the image's size) coloured and blended over it: {@code alpha} of the colour. */
    public static RgbImage overlay(RgbImage image, float[] map, float alpha) {
        int h = image.height(), w = image.width();
        RgbImage coloured = colour(map, h, w);
        float[] rgb = new float[3 * h * w];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (1 - alpha) * image.rgb()[i] + alpha * coloured.rgb()[i];
        }
        return new RgbImage(rgb, h, w);
    }

    /** A signed (3, h, w) map as colours around mid-grey: 0.5 + v / (2 max |v|), the same scale for every channel. */
    public static RgbImage signed(float[] chw, int h, int w) {
        if (chw.length != 3 * h * w) {
            throw new IllegalArgumentException("heat map: " + chw.length + " values for a 3x" + h + "x" + w + " map");
        }
        float max = 0f;
        for (float v : chw) {
            max = Math.max(max, Math.abs(v));
        }
        float scale = max > 0 ? 0.5f / max : 0f;
        float[] rgb = new float[chw.length];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = 0.5f + chw[i] * scale;
        }
        return new RgbImage(rgb, h, w);
    }
}
