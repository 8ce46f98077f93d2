package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.Resampling;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.weights.ImageNetClasses;

/**
 * A VGG with its classifier (fc6-fc8), as the lecture's class-score methods use it: images go in
 * resized to {@link #SIZE} x {@link #SIZE} (the whole picture, so that a map computed on it can be
 * resized back onto the image) as pixels in 0-255 RGB, class scores come out unnormalised (the
 * logits of fc8), and the gradient of one class score reaches the pixels by seeding backward with
 * a one-hot vector.
 */
public final class Classifier {
    /** The input side the classifier takes: pool5 must be 7 x 7 for fc6. */
    public static final int SIZE = 224;

    private final Vgg vgg;
    private final Backend backend;

    private Classifier(Vgg vgg) {
        this.vgg = vgg;
        this.backend = vgg.backend();
    }

    /**
     * @param command the command that needs it, for the message when the weights have no classifier
     * @throws IllegalArgumentException when the weights have convolutions only
     */
    public static Classifier of(Vgg vgg, String command) {
        if (!vgg.hasClassifier()) {
            throw new IllegalArgumentException(command + " needs VGG weights with the classifier (fc6, fc7, fc8), and these have "
                    + "the convolutions only. The published files have it: torchvision's vgg16-397923af.pth and "
                    + "vgg19-dcbb9e9d.pth (pixelgrad weights fetch vgg19) and the Caffe VGG_ILSVRC_16_layers.caffemodel "
                    + "and VGG_ILSVRC_19_layers.caffemodel (--source caffe); pass one with --weights");
        }
        return new Classifier(vgg);
    }

    public Vgg vgg() {
        return vgg;
    }

    public Backend backend() {
        return backend;
    }

    /** Number of classes (fc8's outputs; 1000 for ImageNet). */
    public int classes() {
        return vgg.spec().classes();
    }

    /** The class's name ("class K" for a network that is not ImageNet's). */
    public String name(int k) {
        return ImageNetClasses.name(k, classes());
    }

    /** The image resized to SIZE x SIZE, as RGB in [0, 1]. */
    public static RgbImage fit(RgbImage img) {
        return img.height() == SIZE && img.width() == SIZE ? img : Resampling.resize(img, SIZE, SIZE);
    }

    /**
     * Images already SIZE x SIZE as one batch of pixels in 0-255 RGB, (N, 3, SIZE, SIZE): a leaf, so
     * a gradient taken to it is per pixel level, whatever preprocessing the weights expect.
     */
    public Tensor pixels(RgbImage... images) {
        float[] all = new float[images.length * 3 * SIZE * SIZE];
        for (int i = 0; i < images.length; i++) {
            if (images[i].height() != SIZE || images[i].width() != SIZE) {
                throw new IllegalArgumentException("classifier: image " + i + " is " + images[i].sizeText() + ", expected "
                        + SIZE + "x" + SIZE + " (see fit)");
            }
            float[] rgb = images[i].rgb();
            for (int j = 0; j < rgb.length; j++) {
                all[i * rgb.length + j] = 255f * rgb[j];
            }
        }
        return Tensor.of(all, Shape.of(images.length, 3, SIZE, SIZE), backend);
    }

    /**
     * Class scores (N, classes), unnormalised, of pixels (N, 3, SIZE, SIZE) in 0-255 RGB; recorded
     * for backward when grad is on (the preprocessing is on the tape too).
     */
    public Tensor scores(Tensor pixels255) {
        return vgg.forward(vgg.preprocessing().fromRgb255(pixels255));
    }

    /** Scores of images without a tape, row by row: [N][classes]. */
    public float[][] scoresOf(RgbImage... images) {
        try (Grad.Scope ignored = Grad.disabled(); Tensor in = pixels(images); Tensor s = scores(in)) {
            float[] flat = s.toArray();
            int c = classes();
            float[][] rows = new float[images.length][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = java.util.Arrays.copyOfRange(flat, i * c, (i + 1) * c);
            }
            return rows;
        }
    }

    /** Backward from the sum over the batch of score k: d(score_k)/d(input) lands in the input's gradient. */
    public void backwardFromScore(Tensor scores, int k) {
        int n = scores.shape().dim(0), c = scores.shape().dim(1);
        float[] seed = new float[n * c];
        for (int i = 0; i < n; i++) {
            seed[i * c + k] = 1f;
        }
        try (Tensor s = Tensor.of(seed, scores.shape(), backend)) {
            scores.backward(s);
        }
    }

    /** Softmax probabilities of one row of scores (in double, shifted by the maximum). */
    public static double[] probabilities(float[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        double[] p = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(scores[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The index of the largest value (the first of equals). */
    public static int top(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }
}
