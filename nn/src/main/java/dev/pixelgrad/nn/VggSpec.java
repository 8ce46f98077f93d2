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
 * <p>{@link #layers(boolean)} walks the table once and describes every layer; layer names,
 * parameter shapes and the built {@link Vgg} all come from that list. Layer names follow the paper:
 * conv1_1, relu1_1, conv1_2, relu1_2, pool1, ..., pool5, then fc6, relu6, fc7, relu7, fc8.
 * Parameters are named {@code <layer>.weight} and {@code <layer>.bias}.
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

    /**
     * Every layer in network order, from one walk over the config table as torchvision's
     * {@code make_layers(cfg)}: in block b, each convolution is conv{b}_{i} (3x3, to the block's
     * width) and relu{b}_{i}, and the block ends with pool{b}. The classifier follows on pool5
     * flattened to C * 7 * 7 values: fc6, relu6, fc7, relu7, fc8.
     */
    public List<VggLayer> layers(boolean withClassifier) {
        List<VggLayer> layers = new ArrayList<>();
        int c = 3;
        for (int b = 1; b <= 5; b++) {
            for (int i = 1; i <= arch.convs(b - 1); i++) {
                layers.add(VggLayer.conv("conv" + b + "_" + i, c, widths[b - 1]));
                c = widths[b - 1];
                layers.add(VggLayer.relu("relu" + b + "_" + i, c));
            }
            layers.add(VggLayer.pool("pool" + b, c));
        }
        if (withClassifier) {
            layers.add(VggLayer.fc("fc6", c * POOL5_SIZE * POOL5_SIZE, fcWidth));
            layers.add(VggLayer.relu("relu6", fcWidth));
            layers.add(VggLayer.fc("fc7", fcWidth, fcWidth));
            layers.add(VggLayer.relu("relu7", fcWidth));
            layers.add(VggLayer.fc("fc8", fcWidth, classes));
        }
        return layers;
    }

    /** Names of the feature layers (conv, relu, pool), in order. */
    public List<String> featureLayerNames() {
        return names(layers(false));
    }

    /** fc6, relu6, fc7, relu7, fc8: the layers the classifier adds, named alike in every spec. */
    public static List<String> classifierLayerNames() {
        VggSpec any = standard(Arch.VGG16);
        List<String> all = names(any.layers(true));
        return List.copyOf(all.subList(any.layers(false).size(), all.size()));
    }

    /** Expected shape of every parameter, by name, in network order. */
    public Map<String, int[]> parameterShapes(boolean withClassifier) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        layers(withClassifier).forEach(layer -> shapes.putAll(layer.parameterShapes()));
        return shapes;
    }

    private static List<String> names(List<VggLayer> layers) {
        return layers.stream().map(VggLayer::name).toList();
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
