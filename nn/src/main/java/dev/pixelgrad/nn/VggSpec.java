package dev.pixelgrad.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shape of a VGG network, as torchvision's config lists: convolutions per block and the
 * channel width of each block. The standard widths are 64, 128, 256, 512, 512 with fully
 * connected layers of 4096 and 1000 classes; tests use the same structure with smaller widths.
 *
 * <p>Layer names follow the paper: conv1_1, relu1_1, conv1_2, relu1_2, pool1, ..., pool5, then
 * fc6, relu6, fc7, relu7, fc8. Parameters are named {@code <layer>.weight} and {@code <layer>.bias}.
 */
public record VggSpec(Arch arch, int[] widths, int fcWidth, int classes) {

    /** The two depths: convolutions per block. */
    public enum Arch {
        VGG16(2, 2, 3, 3, 3), VGG19(2, 2, 4, 4, 4);

        private final int[] convsPerBlock;

        Arch(int... convsPerBlock) {
            this.convsPerBlock = convsPerBlock;
        }

        public int convs(int block) {
            return convsPerBlock[block];
        }

        public int totalConvs() {
            return Arrays.stream(convsPerBlock).sum();
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Arch parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("arch: unknown architecture '" + s + "'; expected vgg16 or vgg19");
            }
        }
    }

    /** Spatial size of pool5 for a 224 x 224 input: fc6 sees 512 x 7 x 7 values. */
    public static final int POOL5_SIZE = 7;

    public VggSpec {
        if (widths.length != 5) {
            throw new IllegalArgumentException("VggSpec: need 5 block widths, got " + widths.length);
        }
        widths = widths.clone();
    }

    public static VggSpec standard(Arch arch) {
        return new VggSpec(arch, new int[]{64, 128, 256, 512, 512}, 4096, 1000);
    }

    public boolean isStandard() {
        return equals(standard(arch));
    }

    /** Names of the feature layers (conv, relu, pool), in order. */
    public List<String> featureLayerNames() {
        List<String> names = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            for (int i = 1; i <= arch.convs(b); i++) {
                names.add("conv" + (b + 1) + "_" + i);
                names.add("relu" + (b + 1) + "_" + i);
            }
            names.add("pool" + (b + 1));
        }
        return names;
    }

    public static List<String> classifierLayerNames() {
        return List.of("fc6", "relu6", "fc7", "relu7", "fc8");
    }

    /** Expected shape of every parameter, by name, in network order. */
    public Map<String, int[]> parameterShapes(boolean withClassifier) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int c = 3;
        for (int b = 0; b < 5; b++) {
            for (int i = 1; i <= arch.convs(b); i++) {
                String name = "conv" + (b + 1) + "_" + i;
                shapes.put(name + ".weight", new int[]{widths[b], c, 3, 3});
                shapes.put(name + ".bias", new int[]{widths[b]});
                c = widths[b];
            }
        }
        if (withClassifier) {
            int in = c * POOL5_SIZE * POOL5_SIZE;
            shapes.put("fc6.weight", new int[]{fcWidth, in});
            shapes.put("fc6.bias", new int[]{fcWidth});
            shapes.put("fc7.weight", new int[]{fcWidth, fcWidth});
            shapes.put("fc7.bias", new int[]{fcWidth});
            shapes.put("fc8.weight", new int[]{classes, fcWidth});
            shapes.put("fc8.bias", new int[]{classes});
        }
        return shapes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VggSpec v && v.arch == arch && Arrays.equals(v.widths, widths)
                && v.fcWidth == fcWidth && v.classes == classes;
    }

    @Override
    public int hashCode() {
        return arch.hashCode() * 31 + Arrays.hashCode(widths);
    }

    @Override
    public String toString() {
        return arch.id() + (isStandard() ? "" : " widths=" + Arrays.toString(widths) + " fc=" + fcWidth + " classes=" + classes);
    }
}
