package dev.pixelgrad.algorithms;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Neural style transfer (Gatys, Ecker and Bethge, "Image style transfer using convolutional
 * neural networks"): an image with the content of one picture and the style of another,
 * <pre>
 * L = alpha 1/2 sum (F^l - P^l)^2           at the content layer(s)
 *   + beta  sum_l w_l E_l                     at the style layers (E_l as in texture synthesis)
 *   + gamma R_{V^beta}(x)                     total variation of the RGB image
 * </pre>
 * P^l are the content image's features, the style Grams Ghat^l come from the style image(s); with
 * several style images Ghat^l = sum_s b_s Ghat^l_s with blend weights b_s summing to 1. Loss terms:
 * {@code content}, {@code style}, {@code tv}.
 */
public final class StyleTransfer {
    /**
     * @param contentLayers content layers (default relu4_2) with weights
     * @param styleLayers   style layers with weights w_l (default 1/L)
     * @param contentWeight alpha
     * @param styleWeight   beta
     * @param tvWeight      gamma
     * @param tvBeta        beta of R_{V^beta}
     */
    public record Options(LayerWeights contentLayers, LayerWeights styleLayers, float contentWeight,
                          float styleWeight, float tvWeight, float tvBeta) {
        /**
         * The defaults for weights with this preprocessing: content {@code relu4_2}, style
         * {@code relu1_1,relu2_1,relu3_1,relu4_1,relu5_1} with w_l = 1/5, tv beta 2, and
         * <pre>
         * torchvision:  alpha = 1, beta = 1e8, gamma = 10    (the PyTorch neural-style tutorial's balance)
         * caffe:        alpha = 1, beta = 5e3, gamma = 1e6   (Johnson's neural-style balance)
         * </pre>
         * Caffe activations are far larger (inputs in [0,255]; the content loss grows with their
         * square, the style loss with their fourth power), hence the other balance. README,
         * "Defaults, and why", derives both.
         */
        public static Options defaults(Preprocessing preprocessing) {
            LayerWeights content = LayerWeights.uniform(List.of("relu4_2"));
            LayerWeights style = LayerWeights.uniform(List.of("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"));
            return switch (preprocessing) {
                case TORCHVISION -> new Options(content, style, 1f, 1e8f, 10f, 2f);
                case CAFFE -> new Options(content, style, 1f, 5e3f, 1e6f, 2f);
            };
        }

        public Options withContentLayers(LayerWeights layers) {
            return new Options(layers, styleLayers, contentWeight, styleWeight, tvWeight, tvBeta);
        }

        public Options withStyleLayers(LayerWeights layers) {
            return new Options(contentLayers, layers, contentWeight, styleWeight, tvWeight, tvBeta);
        }

        /** alpha */
        public Options withContentWeight(float alpha) {
            return new Options(contentLayers, styleLayers, alpha, styleWeight, tvWeight, tvBeta);
        }

        /** beta */
        public Options withStyleWeight(float beta) {
            return new Options(contentLayers, styleLayers, contentWeight, beta, tvWeight, tvBeta);
        }

        /** gamma */
        public Options withTvWeight(float gamma) {
            return new Options(contentLayers, styleLayers, contentWeight, styleWeight, gamma, tvBeta);
        }

        /** beta of R_{V^beta} */
        public Options withTvBeta(float beta) {
            return new Options(contentLayers, styleLayers, contentWeight, styleWeight, tvWeight, beta);
        }
    }

    private final Vgg vgg;
    private final Options options;
    private final List<String> layers;
    private final Map<String, Tensor> contentTargets = new LinkedHashMap<>();
    private final Map<String, Tensor> styleGrams = new LinkedHashMap<>();
    private final RgbTotalVariation tv;

    /**
     * @param content      content image in network space (1, 3, H, W) at the output size
     * @param styles       style images in network space, any sizes
     * @param blendWeights one weight per style image (normalised to sum 1), or null for equal weights
     */
    public StyleTransfer(Vgg vgg, Tensor content, List<Tensor> styles, float[] blendWeights, Options options) {
        this.vgg = vgg;
        this.options = options;
        this.tv = new RgbTotalVariation(vgg.preprocessing(), options.tvBeta());
        Set<String> all = new LinkedHashSet<>(options.contentLayers().names());
        all.addAll(options.styleLayers().names());
        this.layers = new ArrayList<>(all);
        float[] b = blend(styles.size(), blendWeights);
        try (Grad.Scope ignored = Grad.disabled()) {
            contentTargets.putAll(vgg.forward(content, options.contentLayers().names()));
            for (int s = 0; s < styles.size(); s++) {
                Map<String, Tensor> f = vgg.forward(styles.get(s), options.styleLayers().names());
                for (String l : options.styleLayers().names()) {
                    Tensor g = Losses.gramTarget(f.get(l)).scale(b[s]);
                    styleGrams.merge(l, g, Tensor::add);
                }
            }
        }
    }

    private static float[] blend(int n, float[] w) {
        if (n == 0) {
            throw new IllegalArgumentException("style: at least one style image is needed");
        }
        if (w == null) {
            w = new float[n];
            java.util.Arrays.fill(w, 1f);
        }
        if (w.length != n) {
            throw new IllegalArgumentException("style: " + n + " style images but " + w.length + " blend weights; give one per image");
        }
        double sum = 0;
        for (float v : w) {
            if (v < 0) {
                throw new IllegalArgumentException("style: blend weights must not be negative, got " + v);
            }
            sum += v;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("style: blend weights sum to 0");
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (w[i] / sum);
        }
        return out;
    }

    /** content = alpha sum_l w_l 1/2 ||F^l - P^l||^2,  style = beta sum_l w_l E_l,  tv = gamma R(x). */
    public LossTerms loss(Tensor x) {
        Map<String, Tensor> f = vgg.forward(x, layers);
        LossTerms terms = new LossTerms();
        for (String l : options.contentLayers().names()) {
            terms.add("content", Losses.content(f.get(l), contentTargets.get(l))
                    .scale(options.contentWeight() * options.contentLayers().weight(l)));
        }
        for (String l : options.styleLayers().names()) {
            terms.add("style", Losses.style(f.get(l), styleGrams.get(l))
                    .scale(options.styleWeight() * options.styleLayers().weight(l)));
        }
        terms.add("tv", tv.apply(x).scale(options.tvWeight()));
        return terms;
    }
}
