package dev.pixelgrad.algorithms;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feature inversion (Mahendran and Vedaldi, "Understanding deep image representations by
 * inverting them"): find the image whose features match those of a given image,
 * <pre>x* = argmin_x  ||Phi(x) - Phi_0||^2 + lambda R_{V^beta}(x)</pre>
 * where Phi_0 are the features of the image at the chosen layer(s) (with several layers the
 * distances add, each times its weight) and R_{V^beta} is the total variation of the RGB image.
 * Loss terms: {@code feature}, {@code tv}.
 */
public final class FeatureInversion {
    /**
     * @param layers   the layer(s) whose features are matched, with weights
     * @param tvWeight lambda
     * @param tvBeta   beta of R_{V^beta} (2: smooth; below 2 keeps edges sharper)
     */
    public record Options(LayerWeights layers, float tvWeight, float tvBeta) {
        /**
         * The defaults for weights with this preprocessing: layer {@code relu4_2} (weight 1),
         * beta = 2, and lambda = 5 for torchvision, 2e5 for caffe weights. Either is a small
         * fraction of the feature distance at relu4_2, enough to remove the high-frequency noise
         * the features do not constrain; Caffe's features, from inputs in [0,255], are far larger.
         */
        public static Options defaults(Preprocessing preprocessing) {
            LayerWeights layers = LayerWeights.uniform(List.of("relu4_2"));
            return switch (preprocessing) {
                case TORCHVISION -> new Options(layers, 5f, 2f);
                case CAFFE -> new Options(layers, 2e5f, 2f);
            };
        }

        public Options withLayers(LayerWeights layers) {
            return new Options(layers, tvWeight, tvBeta);
        }

        /** lambda */
        public Options withTvWeight(float lambda) {
            return new Options(layers, lambda, tvBeta);
        }

        /** beta of R_{V^beta} */
        public Options withTvBeta(float beta) {
            return new Options(layers, tvWeight, beta);
        }
    }

    private final Vgg vgg;
    private final Options options;
    private final Map<String, Tensor> phi0 = new LinkedHashMap<>();
    private final RgbTotalVariation tv;

    /** @param image the image to invert, in network space (1, 3, H, W) */
    public FeatureInversion(Vgg vgg, Tensor image, Options options) {
        this.vgg = vgg;
        this.options = options;
        this.tv = new RgbTotalVariation(vgg.preprocessing(), options.tvBeta());
        try (Grad.Scope ignored = Grad.disabled()) {
            phi0.putAll(vgg.forward(image, options.layers().names()));
        }
    }

    /** feature = sum_l w_l ||Phi_l(x) - Phi0_l||^2,  tv = lambda R_{V^beta}(x). */
    public LossTerms loss(Tensor x) {
        Map<String, Tensor> phi = vgg.forward(x, options.layers().names());
        LossTerms terms = new LossTerms();
        phi.forEach((layer, f) -> terms.add("feature",
                Losses.featureDistance(f, phi0.get(layer)).scale(options.layers().weight(layer))));
        terms.add("tv", tv.apply(x).scale(options.tvWeight()));
        return terms;
    }
}
