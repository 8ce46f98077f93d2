package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class PreprocessingTest {
    private final Backend be = Backends.java();

    /** The tape version (0-255 batches) computes what the image version computes, sample by sample. */
    @ParameterizedTest
    @EnumSource(Preprocessing.class)
    void fromRgb255MatchesFromRgbAndCarriesTheGradient(Preprocessing pre) {
        int h = 5, w = 7, hw = h * w;
        Random r = new Random(3);
        float[][] rgb = new float[2][3 * hw];
        float[] batch = new float[2 * 3 * hw];
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 3 * hw; i++) {
                rgb[n][i] = r.nextFloat();
                batch[n * 3 * hw + i] = rgb[n][i] * 255f;
            }
        }
        Tensor x = Tensor.of(batch, Shape.of(2, 3, h, w), be).requiresGrad(true);
        Tensor y = pre.fromRgb255(x);
        float[] got = y.toArray();
        for (int n = 0; n < 2; n++) {
            float[] want = pre.fromRgb(rgb[n], h, w, be).toArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[n * 3 * hw + i], 1e-4f * Math.max(1f, Math.abs(want[i])), pre + " sample " + n + " at " + i);
            }
        }
        y.sum().backward();
        assertNotNull(x.grad(), "the gradient reaches the 0-255 images");
        float[] g = x.grad().toArray();
        float[] scale = pre.rgbScale();   // std / range per network channel; d(network)/d(rgb255) = range / (255 std)
        for (int ch = 0; ch < 3; ch++) {
            int rgbCh = pre == Preprocessing.CAFFE ? 2 - ch : ch;
            assertEquals(1f / (255f * scale[ch]), g[rgbCh * hw], 1e-5f * Math.abs(g[rgbCh * hw]), pre + " channel " + ch);
        }
    }
}
