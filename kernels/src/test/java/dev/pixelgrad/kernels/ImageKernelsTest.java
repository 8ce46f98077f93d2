package dev.pixelgrad.kernels;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.pixelgrad.kernels.OpenClTestSupport.check;
import static dev.pixelgrad.kernels.OpenClTestSupport.random;

/** Clamp, roll, crop and window-add of the optimisation loops. */
@Tag("opencl")
class ImageKernelsTest {
    private final Random rnd = new Random(3);
    private final int n = 2, c = 3, h = 11, w = 13;
    private final float[] x = random(rnd, n * c * h * w);

    @Test
    void clampPerChannel() {
        float[] lo = {-0.5f, -0.1f, -0.9f}, hi = {0.5f, 0.2f, 0.0f};
        check("clampChannelsInPlace", 0, (b, s) -> b.clampChannelsInPlace(s[0], n, c, h * w, lo, hi), x);
        float[] lo2 = {-0.2f, -0.2f, -0.2f};
        check("clampChannelsInPlace (new bounds)", 0, (b, s) -> b.clampChannelsInPlace(s[0], n, c, h * w, lo2, hi), x);
    }

    @Test
    void roll() {
        float[] y = new float[x.length];
        for (int[] shift : new int[][]{{0, 0}, {3, -5}, {-14, 27}, {h, w}}) {
            check("roll " + shift[0] + "," + shift[1], 0, (b, s) -> b.roll(s[0], n, c, h, w, shift[0], shift[1], s[1]), x, y);
        }
    }

    @Test
    void cropAndAddWindow() {
        int th = 5, tw = 7, y0 = 4, x0 = 3;
        float[] tile = random(rnd, n * c * th * tw);
        check("cropWindow", 0, (b, s) -> b.cropWindow(s[0], n, c, h, w, y0, x0, th, tw, s[1]), x, tile);
        check("addWindow", 1e-6, (b, s) -> b.addWindow(s[0], n, c, th, tw, s[1], h, w, y0, x0), tile, x);
    }
}
