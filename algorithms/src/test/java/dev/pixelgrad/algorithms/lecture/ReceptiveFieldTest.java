package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.nn.VggSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ReceptiveFieldTest {
    private static final Map<String, ReceptiveField> VGG16 =
            ReceptiveField.of(VggSpec.standard(VggSpec.Arch.VGG16).layers(true));

    @Test
    void vgg16FieldsGrowByTwoJumpsPerConvolutionAndPoolsDoubleTheJump() {
        Map<String, Integer> sizes = Map.of("conv1_1", 3, "relu1_2", 5, "pool1", 6, "conv2_1", 10, "relu2_2", 14,
                "pool2", 16, "relu3_3", 40, "relu4_3", 92, "relu5_3", 196);
        sizes.forEach((layer, size) -> assertEquals(size, VGG16.get(layer).size(), layer));
        assertEquals(1, VGG16.get("relu1_2").jump());
        assertEquals(2, VGG16.get("pool1").jump());
        assertEquals(16, VGG16.get("relu5_3").jump());
        assertEquals(32, VGG16.get("pool5").jump());
        assertFalse(VGG16.containsKey("fc6"), "fully connected layers have no field in the image");
    }

    @Test
    void unitZeroReachesIntoThePaddingAndNeighboursAreOneJumpApart() {
        ReceptiveField conv11 = VGG16.get("conv1_1");
        assertEquals(-1, conv11.start(0));   // 3x3 around pixel 0
        ReceptiveField pool1 = VGG16.get("pool1");
        assertEquals(-2, pool1.start(0));    // conv1_2 units 0 and 1, each 5 wide around them
        assertEquals(0, pool1.start(1));
        ReceptiveField conv21 = VGG16.get("conv2_1");
        assertEquals(-4, conv21.start(0));
        assertEquals(-4 + 2 * 7, conv21.start(7));
    }

    @Test
    void boxesAreClippedToTheImage() {
        // size 92, jump 8; unit 0's centre is 3.5 (each of the three pools shifts it by half its input's jump)
        ReceptiveField r43 = VGG16.get("relu4_3");
        assertEquals(-42, r43.start(0));
        assertEquals(3.5, r43.start(0) + (r43.size() - 1) / 2.0);
        assertArrayEquals(new int[]{0, 0, 50, 50}, r43.clippedBox(0, 0, 224, 224));
        assertArrayEquals(new int[]{38, 38, 92, 92}, r43.clippedBox(10, 10, 224, 224));
        assertArrayEquals(new int[]{174, 0, 50, 50}, r43.clippedBox(27, 0, 224, 224));
    }
}
