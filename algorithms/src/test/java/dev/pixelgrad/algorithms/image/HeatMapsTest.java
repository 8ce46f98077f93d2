package dev.pixelgrad.algorithms.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeatMapsTest {
    @Test
    void theLowestValueIsDarkAndTheHighestBright() {
        RgbImage c = HeatMaps.colour(new float[]{-3f, 0f, 5f}, 1, 3);
        float dark = c.rgb()[0] + c.rgb()[3] + c.rgb()[6], bright = c.rgb()[2] + c.rgb()[5] + c.rgb()[8];
        assertTrue(dark < 0.05f && bright > 2.5f, dark + " " + bright);
    }

    @Test
    void resizingKeepsAConstantMapAndValuesOutsideZeroToOne() {
        float[] up = HeatMaps.resize(new float[]{7f, 7f, 7f, 7f}, 2, 2, 5, 3);
        assertEquals(15, up.length);
        for (float v : up) {
            assertEquals(7f, v, 1e-5f);
        }
        assertArrayEquals(new float[]{1f, 2f}, HeatMaps.resize(new float[]{1f, 2f}, 1, 2, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> HeatMaps.resize(new float[3], 2, 2, 4, 4));
    }

    @Test
    void signedMapsCentreOnGrey() {
        RgbImage s = HeatMaps.signed(new float[]{-2f, 0f, 1f}, 1, 1);
        assertArrayEquals(new float[]{0f, 0.5f, 0.75f}, s.rgb(), 1e-6f);
    }

    @Test
    void anOverlayBlendsTheColourOverTheImage() {
        RgbImage white = new RgbImage(new float[]{1f, 1f, 1f, 1f, 1f, 1f}, 1, 2);
        RgbImage o = HeatMaps.overlay(white, new float[]{0f, 1f}, 0.5f);
        assertTrue(o.rgb()[0] < 0.55f && o.rgb()[0] > 0.45f, "dark over white gives mid-grey: " + o.rgb()[0]);
    }
}
