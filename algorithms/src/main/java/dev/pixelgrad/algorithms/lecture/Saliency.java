package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.tensor.Tensor;

import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Image-specific class saliency (Simonyan, Vedaldi and Zisserman 2014): how strongly each pixel
 * moves the unnormalised score S_k of class k, M(y, x) = max over the colour channels c of
 * |dS_k / dI(c, y, x)|, from one forward pass, a one-hot seed at score k, and one backward pass to
 * the image.
 *
 * <p>SmoothGrad (Smilkov et al. 2017) replaces the gradient by its average over n copies of the
 * image with Gaussian noise N(0, sigma^2) added, (1/n) sum_i dS_k/dI (I + noise_i), then takes the
 * same map. The noise is sigma times the pixel range (the paper suggests sigma = 0.15), the noisy
 * pixels are not clamped, and the copies go through the network {@link #BATCH} at a time.
 */
public final class Saliency {
    /** Noisy copies per forward and backward pass. */
    public static final int BATCH = 8;

    private Saliency() {
    }

    /** The saliency map (SIZE x SIZE, row-major) of class k for an image already SIZE x SIZE. */
    public static float[] map(Classifier net, RgbImage image, int k) {
        return smoothGrad(net, image, k, 1, 0f, 0L, done -> { });
    }

    /**
     * The SmoothGrad map of class k: n copies with noise of standard deviation sigma (a fraction of
     * the pixel range), drawn from {@code seed}; {@code progress} hears the number of copies done.
     */
    public static float[] smoothGrad(Classifier net, RgbImage image, int k, int n, float sigma, long seed, IntConsumer progress) {
        float[] g = averageGradient(net, image, k, n, sigma, seed, progress);
        return maxAbsOverChannels(g, Classifier.SIZE, Classifier.SIZE);
    }

    /** dS_k/dI averaged over n noisy copies: (3, SIZE, SIZE), per unit of a 0-255 pixel level. */
    public static float[] averageGradient(Classifier net, RgbImage image, int k, int n, float sigma, long seed,
                                          IntConsumer progress) {
        if (n < 1) {
            throw new IllegalArgumentException("SmoothGrad: need at least 1 copy, got " + n);
        }
        Random random = new Random(seed);
        float[] sum = new float[image.rgb().length];
        for (int done = 0; done < n; ) {
            RgbImage[] batch = new RgbImage[Math.min(BATCH, n - done)];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = noisy(image, sigma, random);
            }
            try (Tensor pixels = net.pixels(batch).requiresGrad(true); Tensor scores = net.scores(pixels)) {
                net.backwardFromScore(scores, k);
                float[] g = pixels.grad().toArray();   // (B, 3, SIZE, SIZE): copy i's gradient in row i
                for (int j = 0; j < g.length; j++) {
                    sum[j % sum.length] += g[j];
                }
            }
            done += batch.length;
            progress.accept(done);
        }
        for (int j = 0; j < sum.length; j++) {
            sum[j] /= n;
        }
        return sum;
    }

    /** The image plus sigma N(0, 1) per value, in [0, 1] units; the image itself when sigma is 0. */
    private static RgbImage noisy(RgbImage image, float sigma, Random random) {
        if (sigma == 0f) {
            return image;
        }
        float[] rgb = image.rgb().clone();
        for (int j = 0; j < rgb.length; j++) {
            rgb[j] += (float) (sigma * random.nextGaussian());
        }
        return new RgbImage(rgb, image.height(), image.width());
    }

    /** M(y, x) = max_c |g(c, y, x)| for g of (3, h, w). */
    public static float[] maxAbsOverChannels(float[] g, int h, int w) {
        float[] m = new float[h * w];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < m.length; i++) {
                m[i] = Math.max(m[i], Math.abs(g[c * m.length + i]));
            }
        }
        return m;
    }
}
