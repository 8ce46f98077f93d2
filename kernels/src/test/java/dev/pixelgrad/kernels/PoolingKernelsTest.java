package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.PoolGeometry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static dev.pixelgrad.kernels.OpenClTestSupport.check;
import static dev.pixelgrad.kernels.OpenClTestSupport.random;

/** Max and average pooling, forward and backward (gathered per input pixel on the device). */
@Tag("opencl")
class PoolingKernelsTest {

    static Stream<PoolGeometry> geometries() {
        return Stream.of(
                new PoolGeometry(1, 3, 224 / 8, 224 / 8, 2, 2, 2, 2, 0, 0),  // VGG
                new PoolGeometry(2, 5, 13, 11, 2, 2, 2, 2, 0, 0),            // odd sizes drop the last row/column
                new PoolGeometry(1, 4, 9, 10, 3, 3, 2, 2, 1, 1),             // overlapping windows with padding
                new PoolGeometry(1, 2, 7, 7, 3, 2, 1, 2, 1, 0),              // rectangular, stride 1 rows
                new PoolGeometry(1, 3, 1, 1, 1, 1, 1, 1, 0, 0),              // 1 x 1
                new PoolGeometry(4, 6, 16, 15, 2, 2, 2, 2, 0, 0),            // VGG's 2x2/2 on a batch of 4
                new PoolGeometry(2, 4, 12, 100, 2, 2, 2, 2, 0, 0),           // 50 windows a row: 16 at a time, then 2
                new PoolGeometry(3, 2, 9, 8, 3, 3, 2, 2, 1, 1));             // overlapping windows, batch 3
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void maxPool(PoolGeometry g) {
        Random rnd = new Random(1);
        float[] x = random(rnd, (int) g.inputSize()), y = random(rnd, (int) g.outputSize());
        float[] dy = random(rnd, (int) g.outputSize()), dx = random(rnd, (int) g.inputSize());
        check("maxPool2dForward " + g, 0, (b, s) -> b.maxPool2dForward(g, s[0], s[1]), x, y);
        check("maxPool2dBackward " + g, 1e-6, (b, s) -> b.maxPool2dBackward(g, s[0], s[1], s[2]), x, dy, dx);
    }

    /** A NaN in a window wins, as in PyTorch: the forward passes it on, the backward routes the gradient to the first one. */
    @Test
    void maxPoolTakesTheFirstNaNOfAWindow() {
        // 35 windows a row: two blocks of 16 as vector lanes, then 3 one by one.
        PoolGeometry g = new PoolGeometry(2, 3, 10, 71, 2, 2, 2, 2, 0, 0);
        Random rnd = new Random(4);
        float[] x = random(rnd, (int) g.inputSize()), y = random(rnd, (int) g.outputSize());
        for (int i = 0; i < x.length; i += 1 + rnd.nextInt(7)) {
            x[i] = Float.NaN;
        }
        float[] dy = random(rnd, (int) g.outputSize()), dx = random(rnd, (int) g.inputSize());
        check("maxPool2dForward with NaNs", 0, (b, s) -> b.maxPool2dForward(g, s[0], s[1]), x, y);
        check("maxPool2dBackward with NaNs", 0, (b, s) -> b.maxPool2dBackward(g, s[0], s[1], s[2]), x, dy, dx);
    }

    @Test
    void maxPoolRoutesTiesToTheFirstMaximum() {
        for (int w : new int[]{4, 40}) { // 2 windows a row, one by one; 20, as vector lanes and one by one
            PoolGeometry g = new PoolGeometry(1, 1, 4, w, 2, 2, 2, 2, 0, 0);
            float[] x = new float[4 * w]; // all equal: every window is a tie
            float[] dy = new float[w], dx = new float[4 * w];
            for (int i = 0; i < dy.length; i++) {
                dy[i] = i + 1;
            }
            check("maxPool2dBackward ties, width " + w, 0, (b, s) -> b.maxPool2dBackward(g, s[0], s[1], s[2]), x, dy, dx);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void avgPool(PoolGeometry g) {
        Random rnd = new Random(2);
        float[] x = random(rnd, (int) g.inputSize()), y = random(rnd, (int) g.outputSize());
        float[] dy = random(rnd, (int) g.outputSize()), dx = random(rnd, (int) g.inputSize());
        check("avgPool2dForward " + g, 1e-6, (b, s) -> b.avgPool2dForward(g, s[0], s[1]), x, y);
        check("avgPool2dBackward " + g, 1e-6, (b, s) -> b.avgPool2dBackward(g, s[0], s[1]), dy, dx);
    }
}
