package dev.pixelgrad.algorithms.faststyle;

import dev.pixelgrad.algorithms.LossTerms;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Johnson et al.'s perceptual loss, as pytorch/examples {@code fast_neural_style} computes it, for a
 * batch of stylised images y and their content images x, both (N, 3, H, W) in 0-255 RGB:
 * <pre>
 * content = alpha * mse(phi_c(y), phi_c(x))                        (mean over N C H W)
 * style   = beta  * sum_l mse(G_l(y), G_l(s))                      (mean over N C C, s repeated over N)
 * tv      = gamma * R_{V^2}(y / 255)                               (0 by default, as theirs)
 * G(F)    = F F^T / (C H W) per sample
 * </pre>
 * The VGG is fixed: it needs no gradient for its weights, only for its input.
 */
public final class PerceptualLoss {
    /** Layers and weights; {@link #pytorchExamples()} is their script's. */
    public record Options(List<String> contentLayers, List<String> styleLayers,
                          float contentWeight, float styleWeight, float tvWeight) {
        public Options {
            contentLayers = List.copyOf(contentLayers);
            styleLayers = List.copyOf(styleLayers);
        }

        /** pytorch/examples: content relu2_2, style relu1_2, relu2_2, relu3_3, relu4_3, weights 1e5 and 1e10, no TV. */
        public static Options pytorchExamples() {
            return new Options(List.of("relu2_2"), List.of("relu1_2", "relu2_2", "relu3_3", "relu4_3"), 1e5f, 1e10f, 0f);
        }

        public Options withContentWeight(float w) {
            return new Options(contentLayers, styleLayers, w, styleWeight, tvWeight);
        }

        public Options withStyleWeight(float w) {
            return new Options(contentLayers, styleLayers, contentWeight, w, tvWeight);
        }

        public Options withTvWeight(float w) {
            return new Options(contentLayers, styleLayers, contentWeight, styleWeight, w);
        }

        public Options withContentLayers(List<String> layers) {
            return new Options(layers, styleLayers, contentWeight, styleWeight, tvWeight);
        }

        public Options withStyleLayers(List<String> layers) {
            return new Options(contentLayers, layers, contentWeight, styleWeight, tvWeight);
        }
    }

    private final Vgg vgg;
    private final Options options;
    private final List<String> layers;
    private final Map<String, Tensor> styleGrams = new HashMap<>();   // (1, C, C) each
    private final Map<Integer, Map<String, Tensor>> repeatedGrams = new HashMap<>();   // per batch size

    /** @param style255 the style image, (1, 3, H, W) in 0-255 RGB, at the size the Grams are taken */
    public PerceptualLoss(Vgg vgg, Tensor style255, Options options) {
        this.vgg = vgg;
        this.options = options;
        Set<String> all = new LinkedHashSet<>(options.contentLayers());
        all.addAll(options.styleLayers());
        for (String l : all) {
            vgg.checkLayer(l);
        }
        this.layers = new ArrayList<>(all);
        try (Grad.Scope ignored = Grad.disabled()) {
            Map<String, Tensor> f = vgg.forward(vgg.preprocessing().fromRgb255(style255), options.styleLayers());
            for (String l : options.styleLayers()) {
                styleGrams.put(l, gram(f.get(l)).detach());
            }
        }
    }

    public Options options() {
        return options;
    }

    /** G = F F^T / (C H W) for each sample: (N, C, H, W) -> (N, C, C). */
    static Tensor gram(Tensor f) {
        Shape s = f.shape().requireRank(4, "perceptual loss", "features (N, C, H, W)");
        return Ops.gram(f, 1f / ((float) s.dim(1) * s.dim(2) * s.dim(3)));
    }

    /** The loss terms for stylised images y and the content images x they came from (x needs no gradient). */
    public LossTerms loss(Tensor y255, Tensor x255) {
        int n = y255.shape().dim(0);
        Map<String, Tensor> fy = vgg.forward(vgg.preprocessing().fromRgb255(y255), layers);
        Map<String, Tensor> fx;
        try (Grad.Scope ignored = Grad.disabled()) {
            fx = vgg.forward(vgg.preprocessing().fromRgb255(x255.detach()), options.contentLayers());
        }
        LossTerms terms = new LossTerms();
        for (String l : options.contentLayers()) {
            terms.add("content", Ops.mse(fy.get(l), fx.get(l)).scale(options.contentWeight()));
        }
        Map<String, Tensor> targets = repeatedGrams.computeIfAbsent(n, this::repeated);
        for (String l : options.styleLayers()) {
            terms.add("style", Ops.mse(gram(fy.get(l)), targets.get(l)).scale(options.styleWeight()));
        }
        if (options.tvWeight() != 0f) {
            terms.add("tv", Ops.totalVariation(y255.scale(1f / 255f), 2f).scale(options.tvWeight()));
        }
        return terms;
    }

    /** The style Grams repeated for a batch of n (the target of every sample is the same). */
    private Map<String, Tensor> repeated(int n) {
        Map<String, Tensor> out = new HashMap<>();
        styleGrams.forEach((l, g) -> {
            float[] one = g.toArray();
            float[] all = new float[n * one.length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(one, 0, all, i * one.length, one.length);
            }
            int c = g.shape().dim(1);
            out.put(l, Tensor.of(all, Shape.of(n, c, c), g.backend()));
        });
        return out;
    }
}
