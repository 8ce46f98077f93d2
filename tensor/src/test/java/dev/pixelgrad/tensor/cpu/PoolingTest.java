package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.PoolGeometry;
import dev.pixelgrad.tensor.PoolSpec;
import dev.pixelgrad.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** VGG's 2x2 stride-2 max pooling takes paths of its own, forward and backward; they must give what the general window scan gives. */
class PoolingTest {
    @Test
    void the2x2PathsMatchTheGeneralScanWithNaNsAndOddSizes() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int[] hw : new int[][]{{8, 8}, {7, 9}, {2, 3}, {13, 6}}) {
            PoolGeometry g = PoolSpec.of(2, 2, 0).geometryFor(Shape.of(2, 3, hw[0], hw[1]), "test");
            float[] x = new float[2 * 3 * hw[0] * hw[1]];
            for (int i = 0; i < x.length; i++) {
                int kind = rnd.nextInt(10); // NaNs, ties (small integers) and distinct values
                x[i] = kind == 0 ? Float.NaN : kind < 4 ? rnd.nextInt(3) : (float) rnd.nextGaussian();
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
            // Backward: each window's gradient to the element the general scan picks.
            float[] dy = new float[fast.length], got = new float[x.length], want = new float[x.length];
            for (int i = 0; i < dy.length; i++) {
                dy[i] = 1 + rnd.nextInt(100);
            }
            Pooling.maxBackward(g, x, dy, got);
            for (int pl = 0; pl < g.n() * g.c(); pl++) {
                for (int i = 0; i < g.outH(); i++) {
                    for (int j = 0; j < g.outW(); j++) {
                        want[pl * planeX + Pooling.argmax(g, x, pl * planeX, i, j)] += dy[pl * planeY + i * g.outW() + j];
                    }
                }
            }
            for (int i = 0; i < x.length; i++) {
                assertEquals(want[i], got[i], 0f, "backward, element " + i);
            }
        }
    }
}
