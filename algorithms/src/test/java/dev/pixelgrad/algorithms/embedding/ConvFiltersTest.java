package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.algorithms.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConvFiltersTest {
    @Test
    void greyIsTheMeanOverInputChannelsNormalisedPerFilter() {
        // K=2, C=2, 1x2: filter 0 has channels (0, 2) and (4, 2), mean (2, 2): flat, so mid-grey;
        // filter 1 has (0, 10) and (2, 30), mean (1, 20): normalised (0, 1)
        float[] w = {0, 2, 4, 2, /* filter 1 */ 0, 10, 2, 30};
        List<float[]> cells = ConvFilters.grey(w, 2, 2, 1, 2);
        assertArrayEquals(new float[]{0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, cells.get(0));
        assertArrayEquals(new float[]{0, 1, 0, 1, 0, 1}, cells.get(1));
    }

    @Test
    void colourPutsEachNetworkChannelOnItsRgbChannelWithItsGain() {
        float[] w = {1, 0, 0, 2};   // K=1, C=3 of 1x1 needs 3 values, not 4
        assertThrows(IllegalArgumentException.class, () -> ConvFilters.colour(w, 1, 1, 1, new int[]{0, 1, 2}, new float[]{1, 1, 1}));
        float[] bgr = {1, 2, 3};
        float[] cell = ConvFilters.colour(bgr, 1, 1, 1, new int[]{2, 1, 0}, new float[]{1, 1, 0.5f}).get(0);
        // network (B=1, G=2, R=3 * 0.5 = 1.5) -> RGB (1.5, 2, 1) -> normalised (0.5, 1, 0)
        assertArrayEquals(new float[]{0.5f, 1, 0}, cell);
    }

    @Test
    void gridMagnifiesWithGapsOfOnePixel() {
        float[] black = new float[3 * 2], white = {1, 1, 1, 1, 1, 1};
        RgbImage g = ConvFilters.grid(List.of(black, black, black), 1, 2, 3);   // 3 cells of 1x2 -> 2 x 2 grid, last empty
        assertEquals(2 * 3 + 1, g.height());
        assertEquals(2 * 6 + 1, g.width());
        assertEquals(0f, g.rgb()[0]);
        assertEquals(1f, g.rgb()[6], "the gap column");
        assertEquals(0f, g.rgb()[7]);
        assertEquals(1f, g.rgb()[3 * 13], "the gap row");
        assertEquals(1f, g.rgb()[4 * 13 + 7], "the empty cell");
        assertEquals(1, ConvFilters.grid(List.of(white), 1, 2, 1).height());
        assertThrows(IllegalArgumentException.class, () -> ConvFilters.grid(List.of(), 1, 1, 1));
    }
}
