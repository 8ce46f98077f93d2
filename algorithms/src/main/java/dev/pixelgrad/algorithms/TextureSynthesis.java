package dev.pixelgrad.algorithms;

import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Texture synthesis (Gatys, Ecker and Bethge, "Texture synthesis using convolutional neural
 * networks"): find an image whose Gram matrices match the texture's on each chosen layer,
 * <pre>
 * G^l = F^l F^l^T,   E_l = 1/(4 N_l^2 M_l^2) sum_ij (G^l_ij - Ghat^l_ij)^2,   L = sum_l w_l E_l
 * </pre>
 * with F^l the N_l x M_l feature matrix (channels x positions) and w_l = 1/(number of layers)
 * unless given. Gram matrices discard where features are, so the output may have any size.
 * Loss term: {@code texture}.
 */
public final class TextureSynthesis {
    /** @param layers the Gram layers with weights w_l */
    public record Options(LayerWeights layers) {
        /**
         * Gatys et al.'s layers {@code relu1_1,pool1,pool2,pool3,pool4}, w_l = 1/5. Their code
         * reads Caffe blobs after in-place ReLUs, so the paper's "conv1_1" is the rectified
         * output, {@code relu1_1} here (the other four are pools, after a ReLU either way). Grams
         * compare average co-activations, so (unlike style and inversion) no weight depends on the
         * preprocessing.
         */
        public static Options defaults() {
            return new Options(LayerWeights.uniform(List.of("relu1_1", "pool1", "pool2", "pool3", "pool4")));
        }

        public Options withLayers(LayerWeights layers) {
            return new Options(layers);
        }
    }

    private final Vgg vgg;
    private final Options options;
    private final Map<String, Tensor> targetGrams = new LinkedHashMap<>();

    /** @param texture the example texture in network space (1, 3, H, W), any size */
    public TextureSynthesis(Vgg vgg, Tensor texture, Options options) {
        this.vgg = vgg;
        this.options = options;
        try (Grad.Scope ignored = Grad.disabled()) {
            vgg.forward(texture, options.layers().names()).forEach((l, f) -> targetGrams.put(l, Losses.gramTarget(f)));
        }
    }

    /** texture = sum_l w_l E_l. */
    public LossTerms loss(Tensor x) {
        LossTerms terms = new LossTerms();
        vgg.forward(x, options.layers().names()).forEach((layer, f) -> terms.add("texture",
                Losses.style(f, targetGrams.get(layer)).scale(options.layers().weight(layer))));
        return terms;
    }
}
