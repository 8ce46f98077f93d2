package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayList;
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
        return of(vgg, List.of(image), layer)[0];
    }

    /**
     * The codes of images of one size, in one forward pass without a tape (a batch: the fully
     * connected layers then read their weights once for all of them).
     */
    public static float[][] of(Vgg vgg, List<RgbImage> images, String layer) {
        vgg.checkLayer(layer);
        RgbImage first = images.get(0);
        List<float[]> rgb = new ArrayList<>();
        for (RgbImage image : images) {
            if (image.height() != first.height() || image.width() != first.width()) {
                throw new IllegalArgumentException("codes: a batch needs images of one size, got " + first.sizeText()
                        + " and " + image.sizeText());
            }
            rgb.add(image.rgb());
        }
        try (Grad.Scope ignored = Grad.disabled();
             Tensor x = vgg.preprocessing().fromRgb(rgb, first.height(), first.width(), vgg.backend());
             Tensor a = vgg.forward(x, List.of(layer)).get(layer)) {
            return perImage(a.toArray(), a.shape());
        }
    }

    /** Rows of a layer's output (N, D) as they are; a conv output (N, C, H, W) averaged over H W. */
    private static float[][] perImage(float[] v, Shape s) {
        int n = s.dim(0), c = s.dim(1), plane = s.rank() == 2 ? 1 : s.dim(2) * s.dim(3);
        float[][] codes = new float[n][c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                double sum = 0;
                for (int j = 0, at = (i * c + k) * plane; j < plane; j++) {
                    sum += v[at + j];
                }
                codes[i][k] = (float) (sum / plane);
            }
        }
        return codes;
    }
}
