package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.GaussianBlur;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.Random;

/**
 * Class model visualisation (Simonyan, Vedaldi and Zisserman 2014, with the regularisers of Yosinski
 * et al. 2015): the image x (pixels in levels of 255) that the classifier finds most like class k,
 * by gradient ascent on the unnormalised class score with an L2 decay toward the mean colour mu:
 * <pre>
 * objective   J(x) = S_k(x) - lambda ||x - mu||^2
 * s = scores(roll(x))              a random roll (jitter), undone by the roll's backward
 * seed: dS = one-hot(k)            backward to x gives dS_k/dx
 * g = dS_k/dx - 2 lambda (x - mu)
 * x = x + eta g / rms(g)           eta is the root-mean-square pixel change, in levels
 * x = clamp(x, 0, 255)             every blurEvery steps also a small Gaussian blur
 * </pre>
 * The defaults are CS231n's class visualisation (assignment 3, NetworkVisualization): 100 steps of
 * 25 normalised units with L2 weight 1e-3, jitter 16 px, a blur of sigma 0.5 px every 10 steps,
 * from N(0, 1) noise. Their unit is one standard deviation of ImageNet's pixels, U = 0.226 x 255
 * = 57.6 levels, and their step is g / ||g|| over 3 x 224 x 224 values, so here the step is
 * 25 U / sqrt(3 x 224 x 224) = 3.7 levels rms, lambda = 1e-3 / U^2 = 3e-7 per squared level
 * (the same direction of g), and the start is N(mu, U) clamped to [0, 255].
 */
public final class ClassModel {
    /** One normalised unit of CS231n's images (the mean of ImageNet's channel deviations), in levels. */
    public static final float UNIT = 0.226f * 255f;

    /** ImageNet's mean colour in levels of 255: where the L2 decay pulls and the start noise is centred. */
    private static final float[] MEAN = {0.485f * 255f, 0.456f * 255f, 0.406f * 255f};

    /**
     * @param iterations   gradient steps
     * @param learningRate eta, the rms pixel change of one step, in levels of 255
     * @param l2           lambda, per squared level
     * @param blurEvery    blur every this many steps (0 = never)
     * @param blurSigma    the blur's standard deviation, in pixels
     * @param jitter       largest random roll, in pixels
     */
    public record Options(int iterations, float learningRate, float l2, int blurEvery, float blurSigma, int jitter) {
        public Options {
            if (iterations < 1 || !(learningRate > 0) || !(l2 >= 0) || blurEvery < 0 || !(blurSigma > 0) || jitter < 0) {
                throw new IllegalArgumentException("class model: iterations and learning rate must be above 0, the blur's sigma "
                        + "above 0, l2, blur period and jitter 0 or more; got " + this);
            }
        }

        /** CS231n's settings in this project's units (see the class comment). */
        public static Options defaults() {
            return new Options(100, 3.7f, 3e-7f, 10, 0.5f, 16);
        }
    }

    /** Hears each step: the class score before the step, and the image after it (1, 3, 224, 224) in levels. */
    public interface Listener {
        void step(int t, float score, Tensor x);
    }

    private final Classifier classifier;
    private final Options options;
    private final Random rnd;

    public ClassModel(Classifier classifier, Options options, long seed) {
        this.classifier = classifier;
        this.options = options;
        this.rnd = new Random(seed);
    }

    /** The start: N(mu, UNIT) noise, clamped to [0, 255], (1, 3, 224, 224). */
    public Tensor start() {
        int n = Classifier.SIZE * Classifier.SIZE;
        float[] x = new float[3 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.min(255, Math.max(0, MEAN[i / n] + UNIT * rnd.nextGaussian()));
        }
        return Tensor.of(x, Shape.of(1, 3, Classifier.SIZE, Classifier.SIZE), classifier.backend());
    }

    /** Runs the ascent for class k on x (from {@link #start} or any (1, 3, 224, 224) image in levels), in place; returns x. */
    public Tensor run(Tensor x, int k, Listener listener) {
        Backend be = classifier.backend();
        x.requiresGrad(true);
        try (Tensor lo = Tensor.full(Shape.of(3), 0f, be); Tensor hi = Tensor.full(Shape.of(3), 255f, be);
             Tensor mu = meanImage(be)) {
            for (int t = 0; t < options.iterations(); t++) {
                x.zeroGrad();
                Tensor s = classifier.scores(Ops.roll(x, roll(), roll()));
                float score = s.toArray()[k];
                classifier.backwardFromScore(s, k);
                try (Grad.Scope ignored = Grad.disabled(); Tensor decay = x.detach().sub(mu)) {
                    Tensor g = x.grad().addInPlace(decay, -2f * options.l2());
                    x.addInPlace(g, (float) (options.learningRate() / rms(g)));
                }
                x.clampChannelsInPlace(lo, hi);
                if (options.blurEvery() > 0 && t % options.blurEvery() == 0) {
                    blurInPlace(x, options.blurSigma());
                }
                listener.step(t, score, x);
            }
        }
        return x;
    }

    /** The class score of x as it is (no jitter, no tape). */
    public float score(Tensor x, int k) {
        try (Grad.Scope ignored = Grad.disabled(); Tensor s = classifier.scores(x.detach())) {
            return s.toArray()[k];
        }
    }

    /** x (1, 3, 224, 224) in levels as an image. */
    public static RgbImage image(Tensor x) {
        float[] v = x.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] /= 255f;
        }
        return new RgbImage(v, x.shape().dim(2), x.shape().dim(3));
    }

    private Tensor meanImage(Backend be) {
        int n = Classifier.SIZE * Classifier.SIZE;
        float[] m = new float[3 * n];
        for (int i = 0; i < m.length; i++) {
            m[i] = MEAN[i / n];
        }
        return Tensor.of(m, Shape.of(1, 3, Classifier.SIZE, Classifier.SIZE), be);
    }

    private int roll() {
        return options.jitter() == 0 ? 0 : rnd.nextInt(2 * options.jitter() + 1) - options.jitter();
    }

    /** sqrt(mean g^2), kept away from 0 so that a flat score (a dead network) gives no step rather than NaN. */
    static double rms(Tensor g) {
        try (Grad.Scope ignored = Grad.disabled(); Tensor sq = g.square(); Tensor sum = sq.sum()) {
            return Math.sqrt(sum.item() / g.numel()) + 1e-12;
        }
    }

    /** A Gaussian blur of x (N, C, H, W), separable, on the host (every few steps: cheap next to a backward pass). */
    static void blurInPlace(Tensor x, float sigma) {
        Shape s = x.shape();
        float[] v = x.toArray();
        float[] blurred = GaussianBlur.apply(v, s.dim(0) * s.dim(1), s.dim(2), s.dim(3), sigma);
        for (int i = 0; i < v.length; i++) {
            blurred[i] -= v[i];
        }
        try (Tensor delta = Tensor.of(blurred, s, x.backend())) {
            x.addInPlace(delta, 1f);
        }
    }
}
