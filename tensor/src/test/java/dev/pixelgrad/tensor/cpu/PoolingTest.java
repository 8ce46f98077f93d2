package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.PoolGeometry;
import dev.pixelgrad.tensor.PoolSpec;
import dev.pixelgrad.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** VGG's 2x2 stride-2 max pooling takes a branch-free path; it must give what the general window scan gives. */
class PoolingTest {
    @Test
    void the2x2PathMatchesTheGeneralScanWithNaNsAndOddSizes() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int[] hw : new int[][]{{8, 8}, {7, 9}, {2, 3}, {13, 6}}) {
            PoolGeometry g = PoolSpec.of(2, 2, 0).geometryFor(Shape.of(2, 3, hw[0], hw[1]), "test");
            float[] x = new float[2 * 3 * hw[0] * hw[1]];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextInt(10) == 0 ? Float.NaN : (float) rnd.nextGaussian();
            }
            float[] fast = new float[g.n() * g.c() * g.outH() * g.outW()];
            Pooling.maxForward(g, x, fast);
            int planeX = hw[0] * hw[1], planeY = g.outH() * g.outW();
            for (int pl = 0; pl < g.n() * g.c(); pl++) {
                for (int i = 0; i < g.outH(); i++) {
                    for (int j = 0; j < g.outW(); j++) {
                        float want = x[pl * planeX + Pooling.argmax(g, x, pl * planeX, i, j)];
                        assertEquals(want, fast[pl * planeY + i * g.outW() + j], 0f, "plane " + pl + " at " + i + "," + j);
                    }
                }
            }
        }
    }
}
