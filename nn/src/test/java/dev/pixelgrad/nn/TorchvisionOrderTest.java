package dev.pixelgrad.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The walk of {@link VggSpec#layers(boolean)} against torchvision's published VGG. The config
 * lists "D" (VGG-16) and "E" (VGG-19) and the module order are those of torchvision/models/vgg.py:
 * {@code make_layers(cfg)} appends Conv2d(3x3) and ReLU per number and MaxPool2d per "M" to
 * {@code features}; {@code classifier} is Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear. So
 * the state_dict runs features.0.weight ... classifier.6.bias, and our names must run conv1_1.weight
 * ... fc8.bias beside it, layer for layer and shape for shape.
 */
class TorchvisionOrderTest {
    private static final List<Object> CFG_D = List.of(64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
            512, 512, 512, "M", 512, 512, 512, "M");
    private static final List<Object> CFG_E = List.of(64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M",
            512, 512, 512, 512, "M", 512, 512, 512, 512, "M");
    private static final Map<VggLayer.Kind, String> TORCH_CLASS = Map.of(VggLayer.Kind.CONV, "Conv2d",
            VggLayer.Kind.RELU, "ReLU", VggLayer.Kind.POOL, "MaxPool2d", VggLayer.Kind.FC, "Linear");

    /** One torchvision module: its path in the state_dict, its class, and its weight's shape (null: no parameters). */
    private record TorchModule(String path, String type, int[] weight) {
    }

    /** torchvision's modules in order, as make_layers(cfg) and VGG.__init__ create them. */
    private static List<TorchModule> torchvision(VggSpec.Arch arch) {
        List<TorchModule> modules = new ArrayList<>();
        int c = 3;
        for (Object v : arch == VggSpec.Arch.VGG16 ? CFG_D : CFG_E) {
            if (v.equals("M")) {
                modules.add(new TorchModule("features." + modules.size(), "MaxPool2d", null));
            } else {
                int k = (Integer) v;
                modules.add(new TorchModule("features." + modules.size(), "Conv2d", new int[]{k, c, 3, 3}));
                modules.add(new TorchModule("features." + modules.size(), "ReLU", null));
                c = k;
            }
        }
        modules.add(new TorchModule("classifier.0", "Linear", new int[]{4096, 512 * 7 * 7}));
        modules.add(new TorchModule("classifier.1", "ReLU", null));
        modules.add(new TorchModule("classifier.2", "Dropout", null));
        modules.add(new TorchModule("classifier.3", "Linear", new int[]{4096, 4096}));
        modules.add(new TorchModule("classifier.4", "ReLU", null));
        modules.add(new TorchModule("classifier.5", "Dropout", null));
        modules.add(new TorchModule("classifier.6", "Linear", new int[]{1000, 4096}));
        return modules;
    }

    /** Our layer name for each torchvision module path, pairing the two lists in order (Dropout has no counterpart). */
    private static Map<String, String> ourNames(VggSpec.Arch arch) {
        List<TorchModule> theirs = torchvision(arch).stream().filter(m -> !m.type().equals("Dropout")).toList();
        List<VggLayer> ours = VggSpec.standard(arch).layers(true);
        assertEquals(theirs.size(), ours.size(), arch + ": layer count");
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < ours.size(); i++) {
            assertEquals(theirs.get(i).type(), TORCH_CLASS.get(ours.get(i).kind()), ours.get(i).name() + " vs " + theirs.get(i).path());
            names.put(theirs.get(i).path(), ours.get(i).name());
        }
        return names;
    }

    @ParameterizedTest
    @EnumSource(VggSpec.Arch.class)
    void parametersRunInStateDictOrderWithItsShapes(VggSpec.Arch arch) {
        Map<String, String> names = ourNames(arch);
        Map<String, int[]> expected = new LinkedHashMap<>();
        for (TorchModule m : torchvision(arch)) {
            if (m.weight() != null) {
                expected.put(names.get(m.path()) + ".weight", m.weight());
                expected.put(names.get(m.path()) + ".bias", new int[]{m.weight()[0]});
            }
        }
        Map<String, int[]> actual = VggSpec.standard(arch).parameterShapes(true);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        expected.forEach((name, shape) -> assertArrayEquals(shape, actual.get(name), name));
    }

    @Test
    void torchvisionPathsNameTheLayersOfThePaper() {
        Map<String, String> vgg16 = ourNames(VggSpec.Arch.VGG16);
        assertEquals("conv1_1", vgg16.get("features.0"));
        assertEquals("pool1", vgg16.get("features.4"));
        assertEquals("conv2_1", vgg16.get("features.5"));
        assertEquals("conv5_3", vgg16.get("features.28"));
        assertEquals("pool5", vgg16.get("features.30"));
        assertEquals(List.of("fc6", "relu6", "fc7", "relu7", "fc8"), List.copyOf(vgg16.values()).subList(31, 36));
        Map<String, String> vgg19 = ourNames(VggSpec.Arch.VGG19);
        assertEquals("conv3_4", vgg19.get("features.16"));
        assertEquals("conv5_4", vgg19.get("features.34"));
        assertEquals("fc8", vgg19.get("classifier.6"));
    }

    @Test
    void parameterCountsAreTheTorchvisionDocsFigures() {
        assertEquals(138_357_544L, parameterCount(VggSpec.Arch.VGG16));
        assertEquals(143_667_240L, parameterCount(VggSpec.Arch.VGG19));
    }

    private static long parameterCount(VggSpec.Arch arch) {
        return VggSpec.standard(arch).parameterShapes(true).values().stream()
                .mapToLong(s -> Arrays.stream(s).asLongStream().reduce(1, (a, b) -> a * b)).sum();
    }
}
