package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The smallest image a forward pass to the chosen layers takes, and that it is exactly the smallest. */
class VggSmallestInputTest {
    private final Backend be = Backends.java();
    private final VggSpec spec = new VggSpec(VggSpec.Arch.VGG16, new int[]{2, 2, 2, 2, 2}, 4, 3);
    private final Vgg vgg = Vgg.of(spec, Vgg.randomParameters(spec, false, be, 1), Preprocessing.TORCHVISION, PoolingMode.MAX);

    @Test
    void eachPoolUpToTheDeepestLayerHalvesIt() {
        assertEquals(1, vgg.smallestInputSide(List.of("conv1_1", "relu1_2")));
        assertEquals(2, vgg.smallestInputSide(List.of("pool1")));
        assertEquals(8, vgg.smallestInputSide(List.of("relu1_1", "relu4_2")));
        assertEquals(16, vgg.smallestInputSide(List.of("relu5_1", "relu1_1")));
        assertEquals(32, vgg.smallestInputSide(List.of("pool5")));
        assertThrows(IllegalArgumentException.class, () -> vgg.smallestInputSide(List.of("relu9_1")));
    }

    @Test
    void theClassifierNeedsTheFullSize() {
        Vgg withFc = Vgg.of(spec, Vgg.randomParameters(spec, true, be, 2), Preprocessing.TORCHVISION, PoolingMode.MAX);
        assertEquals(224, withFc.smallestInputSide(List.of("fc8")));
    }

    /** The number is the real limit: a forward pass at that size works, one pixel less fails. */
    @Test
    void oneLessFails() {
        for (String layer : List.of("pool1", "relu3_1", "relu5_1", "pool5")) {
            int min = vgg.smallestInputSide(List.of(layer));
            assertDoesNotThrow(() -> vgg.forward(image(min, min + 3), List.of(layer)), layer);
            if (min > 1) {
                assertThrows(IllegalArgumentException.class, () -> vgg.forward(image(min - 1, min + 3), List.of(layer)), layer);
            }
        }
    }

    private Tensor image(int h, int w) {
        return Tensor.of(new float[3 * h * w], Shape.of(1, 3, h, w), be);
    }
}
