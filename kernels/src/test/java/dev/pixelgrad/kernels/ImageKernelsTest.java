package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.WindowGeometry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.pixelgrad.kernels.OpenClTestSupport.check;
import static dev.pixelgrad.kernels.OpenClTestSupport.random;

/** Windows (crop, roll, forward and backward) and per-channel clamping. */
@Tag("opencl")
class ImageKernelsTest {
    private final Random rnd = new Random(3);
    private final int n = 2, c = 3, h = 11, w = 13;
    private final Shape shape = Shape.of(n, c, h, w);
    private final float[] x = random(rnd, n * c * h * w);

    @Test
    void clampPerChannel() {
        float[] lo = {-0.5f, -0.1f, -0.9f}, hi = {0.5f, 0.2f, 0.0f};
        float[] y = new float[x.length];
        check("clampChannels", 0, (b, s) -> b.clampChannels(s[0], s[1], s[2], n, c, h * w, s[3]), x, lo, hi, y);
        check("clampChannels in place", 0, (b, s) -> b.clampChannels(s[0], s[1], s[2], n, c, h * w, s[0]), x, lo, hi);
    }

    @Test
    void rollForwardAndBackward() {
        float[] y = new float[x.length];
        for (int[] shift : new int[][]{{0, 0}, {3, -5}, {-14, 27}, {h, w}}) {
            WindowGeometry g = WindowGeometry.roll(shape, shift[0], shift[1]);
            check("roll " + shift[0] + "," + shift[1], 0, (b, s) -> b.windowForward(g, s[0], s[1]), x, y);
            check("roll backward " + shift[0] + "," + shift[1], 1e-6, (b, s) -> b.windowBackward(g, s[0], s[1]), x, y);
        }
    }

    @Test
    void cropForwardAndBackward() {
        int th = 5, tw = 7, y0 = 4, x0 = 3;
        float[] tile = random(rnd, n * c * th * tw);
        WindowGeometry g = WindowGeometry.crop(shape, y0, x0, th, tw);
        check("crop", 0, (b, s) -> b.windowForward(g, s[0], s[1]), x, tile);
        check("crop backward", 1e-6, (b, s) -> b.windowBackward(g, s[0], s[1]), tile, x);
    }

    @Test
    void windowThatWrapsAroundBothEdges() {
        float[] tile = random(rnd, n * c * 9 * 10);
        WindowGeometry g = new WindowGeometry(n * c, h, w, 9, 10, 8, 6);
        check("wrapping window", 0, (b, s) -> b.windowForward(g, s[0], s[1]), x, tile);
        check("wrapping window backward", 1e-6, (b, s) -> b.windowBackward(g, s[0], s[1]), tile, x);
    }
}
