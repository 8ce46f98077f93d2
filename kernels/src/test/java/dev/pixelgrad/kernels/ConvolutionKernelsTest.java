package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.ConvGeometry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static dev.pixelgrad.kernels.OpenClTestSupport.check;
import static dev.pixelgrad.kernels.OpenClTestSupport.random;

/** conv2d forward, backward-to-data and backward-to-weights against the Java backend. */
@Tag("opencl")
class ConvolutionKernelsTest {

    // x: (n, c, h, w)   w: (k, c, r, s); sizes avoid multiples of the tiles (16 VK channels, PX pixels)
    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                new ConvGeometry(1, 3, 13, 17, 5, 3, 3, 1, 1, 1, 1),     // C = 3, odd sizes
                new ConvGeometry(2, 7, 11, 9, 33, 3, 3, 1, 1, 1, 1),     // K just over a tile, batch 2
                new ConvGeometry(1, 16, 10, 14, 40, 1, 1, 1, 1, 0, 0),   // 1 x 1 kernel
                new ConvGeometry(1, 4, 23, 19, 6, 9, 9, 1, 1, 4, 4),     // 9 x 9 kernel
                new ConvGeometry(1, 5, 15, 16, 7, 3, 3, 2, 2, 1, 1),     // stride 2
                new ConvGeometry(2, 3, 12, 13, 9, 4, 3, 2, 3, 0, 2),     // rectangular kernel, mixed stride/pad
                new ConvGeometry(1, 6, 1, 1, 17, 1, 1, 1, 1, 0, 0),      // 1 x 1 input
                new ConvGeometry(4, 75, 1, 1, 19, 1, 1, 1, 1, 0, 0),     // a fully connected layer over a batch
                new ConvGeometry(1, 6, 7, 7, 20, 3, 3, 1, 1, 1, 1),      // 7 x 7 input
                new ConvGeometry(1, 2, 7, 7, 3, 7, 7, 1, 1, 0, 0),       // kernel as large as the input
                new ConvGeometry(1, 64, 20, 21, 64, 3, 3, 1, 1, 1, 1),   // VGG-like channels
                // fast style transfer's TransformerNet in small, in batches
                new ConvGeometry(3, 6, 17, 16, 10, 3, 3, 2, 2, 1, 1),    // 3x3 stride 2 pad 1, batch 3
                new ConvGeometry(2, 3, 19, 18, 8, 9, 9, 1, 1, 4, 4),     // 9x9 from RGB, batch 2
                new ConvGeometry(2, 8, 18, 19, 3, 9, 9, 1, 1, 4, 4),     // 9x9 to RGB, batch 2
                new ConvGeometry(4, 3, 20, 21, 5, 9, 9, 1, 1, 0, 0),     // 9x9 on a reflection-padded input, batch 4
                new ConvGeometry(2, 4, 9, 70, 3, 3, 3, 1, 1, 1, 1),      // wide rows: whole 16-pixel vectors and a tail, 3 outputs
                new ConvGeometry(1, 5, 8, 41, 12, 5, 5, 1, 1, 2, 2),     // 5 kernel columns: a partial column block in dw
                new ConvGeometry(2, 3, 9, 75, 6, 3, 3, 2, 2, 1, 1));     // stride 2 on wide rows: inputs read 32 at a time
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardWithAndWithoutBias(ConvGeometry g) {
        Random rnd = new Random(1);
        float[] x = random(rnd, (int) g.inputSize()), w = random(rnd, (int) g.weightSize());
        float[] bias = random(rnd, g.k()), y = random(rnd, (int) g.outputSize());
        check("conv2dForward " + g, 1e-4, (b, s) -> b.conv2dForward(g, s[0], s[1], s[2], s[3]), x, w, bias, y);
        check("conv2dForward (no bias) " + g, 1e-4, (b, s) -> b.conv2dForward(g, s[0], s[1], null, s[2]), x, w, y);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardData(ConvGeometry g) {
        Random rnd = new Random(2);
        float[] dy = random(rnd, (int) g.outputSize()), w = random(rnd, (int) g.weightSize());
        float[] dx = random(rnd, (int) g.inputSize());
        check("conv2dBackwardData " + g, 1e-4, (b, s) -> b.conv2dBackwardData(g, s[0], s[1], s[2]), dy, w, dx);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardWeightsAndBias(ConvGeometry g) {
        Random rnd = new Random(3);
        float[] x = random(rnd, (int) g.inputSize()), dy = random(rnd, (int) g.outputSize());
        float[] dw = random(rnd, (int) g.weightSize()), db = random(rnd, g.k());
        check("conv2dBackwardWeights " + g, 1e-4, (b, s) -> b.conv2dBackwardWeights(g, s[0], s[1], s[2], s[3]), x, dy, dw, db);
        check("conv2dBackwardWeights (no bias) " + g, 1e-4, (b, s) -> b.conv2dBackwardWeights(g, s[0], s[1], s[2], null), x, dy, dw);
    }
}
