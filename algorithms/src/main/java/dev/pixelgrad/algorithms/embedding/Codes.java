package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.List;

/**
 * An image's code: its activations at one layer as one vector, what feature-space methods compare.
 * A fully connected layer's activations are the code as they are (fc7 after its ReLU, relu7, is the
 * classic choice); a convolutional layer's are averaged over the positions, one value per channel,
 * so images of any size compare.
 */
public final class Codes {
    private Codes() {
    }

    /** relu7 when the weights have the classifier, else the last ReLU before pool5 (relu5_3 or relu5_4). */
    public static String defaultLayer(Vgg vgg) {
        if (vgg.hasClassifier()) {
            return "relu7";
        }
        List<String> names = vgg.layerNames();
        String last = null;
        for (String n : names.subList(0, names.indexOf("pool5"))) {
            if (n.startsWith("relu")) {
                last = n;
            }
        }
        return last;
    }

    /** The code of one image (RGB in [0, 1], at a size the layer can take), without a tape. */
    public static float[] of(Vgg vgg, RgbImage image, String layer) {
        vgg.checkLayer(layer);
        try (Grad.Scope ignored = Grad.disabled();
             Tensor x = vgg.preprocessing().fromRgb(image.rgb(), image.height(), image.width(),
                     vgg.backend())) {
            Tensor a = vgg.forward(x, List.of(layer)).get(layer);
            float[] v = a.toArray();
            Shape s = a.shape();
            a.close();
            if (s.rank() == 2) {
                return v;
            }
            int c = s.dim(1), plane = v.length / c;
            float[] code = new float[c];
            for (int k = 0; k < c; k++) {
                double sum = 0;
                for (int i = 0; i < plane; i++) {
                    sum += v[k * plane + i];
                }
                code[k] = (float) (sum / plane);
            }
            return code;
        }
    }
}
