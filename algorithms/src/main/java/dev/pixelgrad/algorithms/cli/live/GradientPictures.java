package dev.pixelgrad.algorithms.cli.live;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;

/**
 * The image gradient dL/dx as a picture, so a learner sees what backward computed. Gradients
 * have no natural scale, so each picture is scaled by a robust size of its own values: four times
 * their mean absolute value maps to full strength (a few large values saturate rather than turn
 * everything else grey).
 */
final class GradientPictures {
    private static final float SPREAD = 4f;

    private GradientPictures() {
    }

    /**
     * Signed, per channel: grey is 0, brighter than grey in a channel means that the loss rises
     * as the channel brightens (descent will darken it), darker means the opposite.
     * g: (1, 3, H, W) in network channel order, which {@code pre} maps to RGB.
     */
    static RgbImage signed(float[] g, int h, int w, Preprocessing pre) {
        int n = h * w;
        double meanAbs = 0;
        for (float v : g) {
            meanAbs += Math.abs(v);
        }
        float s = scale(meanAbs / g.length);
        float[] rgb = new float[3 * n];
        for (int ch = 0; ch < 3; ch++) {
            int to = pre.rgbChannel(ch) * n, from = ch * n;
            for (int i = 0; i < n; i++) {
                rgb[to + i] = clamp(0.5f + 0.5f * g[from + i] / s);
            }
        }
        return new RgbImage(rgb, h, w);
    }

    /** Magnitude: |g| over the three channels at each pixel, black (0) to white. */
    static RgbImage magnitude(float[] g, int h, int w) {
        int n = h * w;
        float[] m = new float[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            m[i] = (float) Math.sqrt(g[i] * g[i] + g[n + i] * g[n + i] + g[2 * n + i] * g[2 * n + i]);
            mean += m[i];
        }
        float s = scale(mean / n);
        float[] rgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            float v = clamp(m[i] / s);
            rgb[i] = v;
            rgb[n + i] = v;
            rgb[2 * n + i] = v;
        }
        return new RgbImage(rgb, h, w);
    }

    private static float scale(double mean) {
        return (float) Math.max(SPREAD * mean, 1e-30);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
