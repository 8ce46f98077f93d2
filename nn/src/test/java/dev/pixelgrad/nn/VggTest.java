package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VggTest {
    private final Backend be = Backends.java();

    /** A VGG shaped network with narrow blocks. */
    static VggSpec tiny(VggSpec.Arch arch) {
        return new VggSpec(arch, new int[]{4, 6, 8, 8, 8}, 16, 10);
    }

    @Test
    void withoutTheClassifierTheConvLayersAreTheSame() {
        VggSpec spec = tiny(VggSpec.Arch.VGG16);
        Map<String, Tensor> params = Vgg.randomParameters(spec, true, be, 5);
        Vgg full = Vgg.of(spec, params, Preprocessing.TORCHVISION, PoolingMode.MAX);
        Vgg convs = full.withoutClassifier();
        assertFalse(convs.hasClassifier());
        assertFalse(convs.layerNames().contains("fc6"));
        assertTrue(convs.parameters().keySet().stream().noneMatch(n -> n.startsWith("fc")));
        assertThrows(IllegalStateException.class, () -> params.get("fc6.weight").data(), "the classifier's tensors are freed");
        assertSame(convs, convs.withoutClassifier());
        float[] x = new float[3 * 32 * 32];
        java.util.Arrays.fill(x, 0.3f);
        try (Tensor in = Tensor.of(x, Shape.of(1, 3, 32, 32), be)) {
            assertArrayEquals(full.forward(in, List.of("relu5_3")).get("relu5_3").toArray(),
                    convs.forward(in, List.of("relu5_3")).get("relu5_3").toArray());
        }
    }

    @Test
    void layerNamesFollowThePaper() {
        List<String> names = VggSpec.standard(VggSpec.Arch.VGG19).featureLayerNames();
        assertEquals(37, names.size());
        assertEquals(List.of("conv1_1", "relu1_1", "conv1_2", "relu1_2", "pool1"), names.subList(0, 5));
        assertEquals("pool5", names.get(names.size() - 1));
        assertEquals(31, VggSpec.standard(VggSpec.Arch.VGG16).featureLayerNames().size());
    }

    @Test
    void forwardReturnsRequestedTapsWithTheirShapes() {
        VggSpec spec = tiny(VggSpec.Arch.VGG19);
        Vgg vgg = Vgg.of(spec, Vgg.randomParameters(spec, false, be, 1), Preprocessing.TORCHVISION, PoolingMode.MAX);
        Tensor x = Tensor.full(Shape.of(1, 3, 32, 48), 0.5f, be);
        Map<String, Tensor> out = vgg.forward(x, List.of("relu3_1", "relu1_1"));
        assertEquals(List.of("relu1_1", "relu3_1"), List.copyOf(out.keySet()));
        assertArrayEquals(new int[]{1, 4, 32, 48}, out.get("relu1_1").shape().dims());
        assertArrayEquals(new int[]{1, 8, 8, 12}, out.get("relu3_1").shape().dims());
    }

    @Test
    void classifierRunsOn224Inputs() {
        VggSpec spec = tiny(VggSpec.Arch.VGG16);
        Vgg vgg = Vgg.of(spec, Vgg.randomParameters(spec, true, be, 2), Preprocessing.CAFFE, PoolingMode.MAX);
        assertTrue(vgg.hasClassifier());
        Tensor logits = vgg.forward(Tensor.full(Shape.of(1, 3, 224, 224), 1f, be));
        assertArrayEquals(new int[]{1, 10}, logits.shape().dims());
    }

    @Test
    void unknownLayerListsTheValidOnes() {
        VggSpec spec = tiny(VggSpec.Arch.VGG19);
        Vgg vgg = Vgg.of(spec, Vgg.randomParameters(spec, false, be, 1), Preprocessing.TORCHVISION, PoolingMode.AVG);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vgg.checkLayer("relu9_9"));
        assertTrue(e.getMessage().contains("relu9_9") && e.getMessage().contains("relu4_2"), e.getMessage());
    }

    @Test
    void wrongOrMissingParametersAreNamed() {
        VggSpec spec = tiny(VggSpec.Arch.VGG19);
        Map<String, Tensor> p = Vgg.randomParameters(spec, false, be, 1);
        p.put("conv2_1.weight", Tensor.zeros(Shape.of(6, 5, 3, 3), be));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vgg.of(spec, p, Preprocessing.TORCHVISION, PoolingMode.MAX));
        assertTrue(e.getMessage().contains("conv2_1.weight") && e.getMessage().contains("[6, 4, 3, 3]"), e.getMessage());
        p.remove("conv2_1.weight");
        e = assertThrows(IllegalArgumentException.class, () -> Vgg.of(spec, p, Preprocessing.TORCHVISION, PoolingMode.MAX));
        assertTrue(e.getMessage().contains("conv2_1.weight is missing"), e.getMessage());
    }

    @Test
    void preprocessingRoundTrips() {
        float[] rgb = new float[3 * 2 * 2];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = i / (float) rgb.length;
        }
        for (Preprocessing p : Preprocessing.values()) {
            float[] back = p.toRgb(p.fromRgb(rgb, 2, 2, be));
            assertArrayEquals(rgb, back, 1e-5f, p.id());
        }
        // Caffe: network channel 0 is blue, in [0,255] minus its mean.
        Tensor x = Preprocessing.CAFFE.fromRgb(rgb, 2, 2, be);
        assertEquals(rgb[8] * 255f - 103.939f, x.toArray()[0], 1e-3f);
    }
}
