package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.RgbImage;

import java.util.function.IntConsumer;

/**
 * Occlusion sensitivity (Zeiler and Fergus 2014, "Visualizing and understanding convolutional
 * networks", section 4.2): slide a grey square over the image and watch the probability of a class.
 * Where covering the image makes the probability fall, the network was looking.
 *
 * <ol>
 *   <li>Patch positions every {@code stride} pixels along each axis, the last one flush with the
 *       far edge, so every pixel is covered.</li>
 *   <li>For each position, a copy of the image with the patch set to {@link #GREY}; {@code batch}
 *       copies go through the network in one forward pass.</li>
 *   <li>Softmax of the scores gives p(class | occluded image).</li>
 *   <li>Each pixel gets the mean probability over the patches that covered it: a map at the
 *       image's resolution, smooth where patches overlap.</li>
 * </ol>
 */
public final class Occlusion {
    /**
     * The patch colour, mid-grey in [0, 1] RGB (127.5 of 255): close to the mean the weights subtract
     * (ImageNet's 124, 117, 104), so after preprocessing the patch is near zero, "no signal".
     */
    public static final float GREY = 0.5f;

    /** Class scores (unnormalised, one row of {@code classes} per image) of a batch of images. */
    @FunctionalInterface
    public interface Scorer {
        float[][] scores(RgbImage... batch);
    }

    private final int patch, stride, batch;

    public Occlusion(int patch, int stride, int batch) {
        if (patch < 1 || stride < 1 || batch < 1) {
            throw new IllegalArgumentException("occlusion: patch, stride and batch must be positive, got " + patch + ", " + stride
                    + ", " + batch);
        }
        if (stride > patch) {
            throw new IllegalArgumentException("occlusion: a stride of " + stride + " px with a " + patch + " px patch leaves "
                    + "pixels no patch covers; use a stride of at most the patch");
        }
        this.patch = patch;
        this.stride = stride;
        this.batch = batch;
    }

    /** Patch starts along a side: 0, stride, 2 stride, ..., and side - patch last (flush with the edge). */
    public static int[] positions(int side, int patch, int stride) {
        if (patch > side) {
            throw new IllegalArgumentException("occlusion: a " + patch + " px patch does not fit in " + side + " px");
        }
        int n = (side - patch + stride - 1) / stride + 1;
        int[] starts = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = Math.min(i * stride, side - patch);
        }
        return starts;
    }

    /** How many patches {@link #map} scores for an h x w image. */
    public int patches(int h, int w) {
        return positions(h, patch, stride).length * positions(w, patch, stride).length;
    }

    /**
     * The occlusion map of class {@code k}: per pixel, the mean probability of k over the occluded
     * copies whose patch covers the pixel, (h, w) row-major.
     *
     * @param progress told the number of patches scored so far, after each batch
     */
    public float[] map(RgbImage image, int k, Scorer scorer, IntConsumer progress) {
        int h = image.height(), w = image.width();
        int[] ys = positions(h, patch, stride), xs = positions(w, patch, stride);
        int total = ys.length * xs.length;
        double[] sum = new double[h * w];
        int[] count = new int[h * w];
        for (int from = 0; from < total; from += batch) {
            int n = Math.min(batch, total - from);
            RgbImage[] copies = new RgbImage[n];
            for (int i = 0; i < n; i++) {
                copies[i] = occluded(image, ys[(from + i) / xs.length], xs[(from + i) % xs.length]);
            }
            float[][] scores = scorer.scores(copies);
            for (int i = 0; i < n; i++) {
                double p = Classifier.probabilities(scores[i])[k];
                int y0 = ys[(from + i) / xs.length], x0 = xs[(from + i) % xs.length];
                for (int y = y0; y < y0 + patch; y++) {
                    for (int x = x0; x < x0 + patch; x++) {
                        sum[y * w + x] += p;
                        count[y * w + x]++;
                    }
                }
            }
            progress.accept(from + n);
        }
        float[] mean = new float[h * w];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (sum[i] / count[i]);
        }
        return mean;
    }

    /** A copy of the image with the patch at (y0, x0) grey. */
    private RgbImage occluded(RgbImage image, int y0, int x0) {
        int h = image.height(), w = image.width();
        float[] rgb = image.rgb().clone();
        for (int c = 0; c < 3; c++) {
            for (int y = y0; y < y0 + patch; y++) {
                java.util.Arrays.fill(rgb, (c * h + y) * w + x0, (c * h + y) * w + x0 + patch, GREY);
            }
        }
        return new RgbImage(rgb, h, w);
    }
}
