package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.algorithms.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeaturePcaTest {
    /** (c, h, w) features: the left half one vector, the right half another, plus a little noise. */
    private static float[] twoRegions(int c, int h, int w, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int i = 0; i < w; i++) {
                    float base = i < w / 2 ? ch % 3 : 2 - ch % 3;
                    x[(ch * h + y) * w + i] = base + 0.01f * (float) rnd.nextGaussian();
                }
            }
        }
        return x;
    }

    @Test
    void theFirstComponentSeparatesTheRegionsAndCarriesAlmostAllVariance() {
        int c = 5, h = 6, w = 10;
        FeaturePca p = FeaturePca.of(twoRegions(c, h, w, 1), c, h, w);
        assertEquals(3, p.ratios().length);
        assertTrue(p.ratios()[0] > 0.99, "PC1 " + p.ratios()[0]);
        int n = h * w;
        float left = p.rgb()[0], right = p.rgb()[w - 1];
        // the noise puts a few positions beyond the percentiles; the two regions are still ~0 and ~1
        assertEquals(1f, Math.abs(left - right), 0.05f, "red spans [0, 1] between the regions");
        for (int y = 0; y < h; y++) {
            assertEquals(left, p.rgb()[y * w + 2], 0.05f);
            assertEquals(right, p.rgb()[y * w + 7], 0.05f);
        }
        assertEquals(n, p.positions());
        assertEquals(n, p.fitted());
        RgbImage big = p.resized(24, 40);
        assertEquals(24, big.height());
        for (float v : big.rgb()) {
            assertTrue(v >= 0 && v <= 1, "clamped: " + v);
        }
    }

    @Test
    void constantFeaturesAndSinglePositionsAreMidGrey() {
        float[] flat = new float[2 * 3 * 4];
        java.util.Arrays.fill(flat, 7f);
        FeaturePca p = FeaturePca.of(flat, 2, 3, 4);
        for (float v : p.rgb()) {
            assertEquals(0.5f, v);
        }
        FeaturePca one = FeaturePca.of(new float[]{1, 2, 3, 4}, 4, 1, 1);   // one position: one component, no spread
        assertEquals(1, one.ratios().length);
        assertArrayEquals(new float[]{0.5f, 0.5f, 0.5f}, one.rgb());
    }

    @Test
    void manyPositionsAreSubsampledForTheFitButAllAreProjected() {
        int c = 3, h = 150, w = 120;   // 18000 positions, more than MAX_FIT_POSITIONS
        FeaturePca p = FeaturePca.of(twoRegions(c, h, w, 2), c, h, w);
        assertEquals(FeaturePca.MAX_FIT_POSITIONS, p.fitted());
        assertEquals(h * w, p.positions());
        assertEquals(1f, Math.abs(p.rgb()[0] - p.rgb()[h * w - 1]), 0.05f);
    }

    @Test
    void percentilesIgnoreTheExtremePercent() {
        float[] v = new float[201];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        v[200] = 1e6f;
        assertArrayEquals(new float[]{2, 198}, FeaturePca.percentiles(v));
        assertArrayEquals(new float[]{0, 5}, FeaturePca.percentiles(new float[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 5}));
    }

    @Test
    void rejectsAMismatchedShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeaturePca.of(new float[5], 2, 1, 2));
        assertTrue(e.getMessage().contains("5 values for 2 channels of 1x2"), e.getMessage());
    }
}
