package dev.pixelgrad.algorithms.image;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GaussianBlurTest {
    @Test
    void keepsAConstantAndSpreadsAnImpulseByTheKernel() {
        int h = 9, w = 11;
        float[] flat = new float[2 * h * w];
        Arrays.fill(flat, 0.3f);
        for (float v : GaussianBlur.apply(flat, 2, h, w, 1.2f)) {
            assertEquals(0.3f, v, 1e-6f, "a constant, edges included (mirrored)");
        }
        float[] impulse = new float[h * w];
        impulse[4 * w + 5] = 1f;
        float[] b = GaussianBlur.apply(impulse, 1, h, w, 0.5f);
        float[] k = GaussianBlur.kernel(0.5f);   // radius 2
        assertEquals(5, k.length);
        double sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float want = Math.abs(y - 4) <= 2 && Math.abs(x - 5) <= 2 ? k[y - 4 + 2] * k[x - 5 + 2] : 0f;
                assertEquals(want, b[y * w + x], 1e-6f);
                sum += b[y * w + x];
            }
        }
        assertEquals(1.0, sum, 1e-5, "the blur keeps the total");
        assertEquals(Math.exp(-2), k[1] / k[2], 1e-6, "exp(-i^2 / (2 sigma^2)) at i = 1, sigma 0.5");
    }
}
