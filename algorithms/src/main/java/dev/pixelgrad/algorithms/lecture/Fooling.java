package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * Fooling images (Szegedy et al. 2014, as the lecture shows them): the small change to an image
 * that makes the classifier predict a chosen target class t, by normalised gradient ascent on the
 * target's unnormalised score, stopping as soon as the network agrees:
 * <pre>
 * s = scores(x)                         stop when argmax s = t (and still so at 8 bits, below)
 * seed: dS = one-hot(t)                 backward to x gives g = dS_t/dx
 * x = clamp(x + eta g / rms(g), 0, 255) eta is the root-mean-square pixel change, in levels
 * </pre>
 * A step normalised by its rms moves the pixels by eta levels whatever the score's scale, so the
 * change grows by about eta per step until the decision flips. A PNG stores whole levels, and
 * rounding can undo a change this small: the run ends only once the image rounded to 8 bits is
 * classified as t; until then it keeps stepping.
 */
public final class Fooling {
    /**
     * @param fooled     whether the 8-bit image is classified as the target
     * @param steps      gradient steps taken
     * @param image      the last image rounded to 8 bits (224 x 224), as it will be written
     * @param predicted  the class of {@code image}
     * @param scores     the scores of {@code image}
     */
    public record Result(boolean fooled, int steps, RgbImage image, int predicted, float[] scores) {
    }

    /** Hears each step: the target's score and the top class before the step. */
    public interface Listener {
        void step(int t, float targetScore, int top);
    }

    private Fooling() {
    }

    /** Fools the classifier with {@code image} (224 x 224) toward class {@code target} in at most maxSteps steps of eta levels. */
    public static Result run(Classifier classifier, RgbImage image, int target, int maxSteps, float eta, Listener listener) {
        Tensor x = classifier.pixels(image).requiresGrad(true);
        try (Tensor lo = Tensor.full(Shape.of(3), 0f, x.backend()); Tensor hi = Tensor.full(Shape.of(3), 255f, x.backend())) {
            for (int t = 0; ; t++) {
                x.zeroGrad();
                Tensor s = classifier.scores(x);
                float[] row = s.toArray();
                if (Classifier.top(row) == target || t == maxSteps) {
                    RgbImage q = quantised(x);
                    float[] qs = classifier.scoresOf(q)[0];
                    int predicted = Classifier.top(qs);
                    if (predicted == target || t == maxSteps) {
                        return new Result(predicted == target, t, q, predicted, qs);
                    }
                }
                listener.step(t, row[target], Classifier.top(row));
                classifier.backwardFromScore(s, target);
                try (Grad.Scope ignored = Grad.disabled()) {
                    Tensor g = x.grad();
                    x.addInPlace(g, (float) (eta / ClassModel.rms(g)));
                }
                x.clampChannelsInPlace(lo, hi);
            }
        } finally {
            x.close();
        }
    }

    /** x in levels rounded to whole levels, as an image: what a PNG keeps of it. */
    static RgbImage quantised(Tensor x) {
        float[] v = x.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.round(Math.min(255f, Math.max(0f, v[i]))) / 255f;
        }
        return new RgbImage(v, x.shape().dim(2), x.shape().dim(3));
    }
}
