package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggLayer;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ReluBackward;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.List;

/**
 * Guided backpropagation (Springenberg et al. 2015): the image gradient of one channel of a layer,
 * d(sum of the channel's activations)/dI, where every ReLU on the way back passes only positive
 * gradients at positive inputs (see {@link ReluBackward}), which leaves the pixel patterns that
 * excite the channel. Forward to the layer, seed the gradient with ones on the channel, backward to
 * the image in the guided mode.
 */
public final class GuidedBackprop {
    private GuidedBackprop() {
    }

    /**
     * @param gradient (3, H, W) at the image's size, per unit of a 0-255 pixel level
     * @param channel  the channel it starts from
     * @param mean     that channel's mean activation
     */
    public record Result(float[] gradient, int channel, float mean) {
    }

    /** Channels (or units, for fc layers) of a layer of the network, for checking a choice before any work. */
    public static int channels(Vgg vgg, String layer) {
        vgg.checkLayer(layer);
        return vgg.spec().layers(vgg.hasClassifier()).stream().filter(l -> l.name().equals(layer))
                .mapToInt(VggLayer::out).findFirst().orElseThrow();
    }

    /**
     * @param channel the channel to start from, or -1 for the one with the largest mean activation
     */
    public static Result compute(Vgg vgg, Backend be, RgbImage image, String layer, int channel) {
        int h = image.height(), w = image.width();
        float[] levels = image.rgb().clone();
        for (int j = 0; j < levels.length; j++) {
            levels[j] *= 255f;
        }
        try (Tensor pixels = Tensor.of(levels, Shape.of(1, 3, h, w), be).requiresGrad(true)) {
            Tensor a = vgg.forward(vgg.preprocessing().fromRgb255(pixels), List.of(layer)).get(layer);
            // a: (1, C, h', w') for conv, relu and pool layers, (1, C) for fc layers
            int c = a.shape().dim(1), plane = a.numel() / c;
            float[] means = channelMeans(a.toArray(), c, plane);
            int k = channel >= 0 ? channel : Classifier.top(means);
            float[] seed = new float[a.numel()];
            java.util.Arrays.fill(seed, k * plane, (k + 1) * plane, 1f);
            try (ReluBackward.Scope guided = ReluBackward.guided(); Tensor s = Tensor.of(seed, a.shape(), be)) {
                a.backward(s);
            }
            float[] g = pixels.grad().toArray();
            a.close();
            return new Result(g, k, means[k]);
        }
    }

    private static float[] channelMeans(float[] a, int c, int plane) {
        float[] means = new float[c];
        for (int k = 0; k < c; k++) {
            double s = 0;
            for (int i = 0; i < plane; i++) {
                s += a[k * plane + i];
            }
            means[k] = (float) (s / plane);
        }
        return means;
    }
}
