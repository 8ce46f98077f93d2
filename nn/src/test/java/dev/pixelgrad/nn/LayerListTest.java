package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Backends;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerListTest {
    private final VggSpec spec = VggTest.tiny(VggSpec.Arch.VGG16);
    private final Vgg vgg = Vgg.of(spec, Vgg.randomParameters(spec, false, Backends.java(), 1), Preprocessing.TORCHVISION, PoolingMode.MAX);

    @Test
    void namesWithAndWithoutWeightsInTheOrderWritten() {
        assertEquals(List.of(new LayerList.Entry("relu4_2", 1f), new LayerList.Entry("relu1_1", null), new LayerList.Entry("pool5", 0.5f)),
                LayerList.parse(" relu4_2:1 ,relu1_1,, pool5 : 0.5", vgg));
        assertEquals(List.of("relu3_1", "conv1_1"), vgg.parseLayers("relu3_1, conv1_1"));
    }

    @Test
    void mistakesAreErrorsThatSayWhatToWrite() {
        assertMessage(() -> LayerList.parse("relu4_2,relu9_9", vgg), "unknown layer 'relu9_9'", "relu5_3");
        assertMessage(() -> LayerList.parse(" , ", vgg), "none given", "conv1_1, relu1_1");
        assertMessage(() -> LayerList.parse("relu4_2:half", vgg), "weight of relu4_2 is 'half'", "relu4_2:0.5");
        assertMessage(() -> LayerList.parse("relu4_2:1:2", vgg), "cannot read 'relu4_2:1:2'", "name:weight");
        assertMessage(() -> vgg.parseLayers("relu1_1:0.5"), "relu1_1 has a weight", "names only");
    }

    private static void assertMessage(Runnable parse, String... parts) {
        String message = assertThrows(IllegalArgumentException.class, parse::run).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), message);
        }
    }
}
