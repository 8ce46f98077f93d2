package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saliency and SmoothGrad on the tiny classifier: the gradient equals central differences of the
 * class score, and SmoothGrad without noise equals plain saliency; on the Java backend and on
 * OpenCL (skipped, saying why, where no OpenCL device exists).
 */
class SaliencyTest {
    static final int CLASS = 281;

    @Test
    void javaGradientEqualsFiniteDifferences() {
        gradientEqualsFiniteDifferences(Backends.java());
    }

    @Test
    @Tag("opencl")
    void openClGradientEqualsFiniteDifferences() {
        gradientEqualsFiniteDifferences(openCl());
    }

    @Test
    void javaSmoothGradWithoutNoiseIsSaliency() {
        smoothGradWithoutNoiseIsSaliency(Backends.java());
    }

    @Test
    @Tag("opencl")
    void openClSmoothGradWithoutNoiseIsSaliency() {
        smoothGradWithoutNoiseIsSaliency(openCl());
    }

    @Test
    void noiseChangesTheMapAndTheSeedRepeatsIt() {
        Classifier net = TinyClassifier.classifier(Backends.java(), 3);
        RgbImage img = picture();
        float[] a = Saliency.smoothGrad(net, img, CLASS, 3, 0.15f, 5, d -> { });
        float[] b = Saliency.smoothGrad(net, img, CLASS, 3, 0.15f, 5, d -> { });
        assertTrue(java.util.Arrays.equals(a, b), "same seed, same map");
        assertTrue(maxDifference(a, Saliency.map(net, img, CLASS)) > 0, "noise changes the map");
    }

    static Backend openCl() {
        List<String> why = new ArrayList<>();
        Backend be = Backends.select("opencl", why::add);
        Assumptions.assumeFalse(be == Backends.java(), "no OpenCL backend here: " + String.join("; ", why));
        return be;
    }

    static RgbImage picture() {
        int s = Classifier.SIZE;
        float[] rgb = new float[3 * s * s];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    rgb[(c * s + y) * s + x] = (float) (0.5 + 0.4 * Math.sin(0.13 * x + 0.07 * y * (c + 1) + c));
                }
            }
        }
        return new RgbImage(rgb, s, s);
    }

    /**
     * The classifier is piecewise linear in the pixels (ReLU, max pooling), so a central difference
     * over a small step is the derivative unless the step crosses a kink; the pixels compared are
     * among those with the largest gradients, away from the noise of float32 scores.
     */
    private static void gradientEqualsFiniteDifferences(Backend be) {
        Classifier net = TinyClassifier.classifier(be, 3);
        RgbImage img = picture();
        float[] g = Saliency.averageGradient(net, img, CLASS, 1, 0f, 0, d -> { });
        float gmax = 0;
        for (float v : g) {
            gmax = Math.max(gmax, Math.abs(v));
        }
        Random random = new Random(1);
        int checked = 0;
        for (int tries = 0; checked < 4 && tries < 100000; tries++) {
            int j = random.nextInt(g.length);
            if (Math.abs(g[j]) < 0.3 * gmax) {
                continue;
            }
            float step = 0.5f / 255f;   // half a pixel level, in [0, 1] units
            double up = net.scoresOf(nudged(img, j, step))[0][CLASS], down = net.scoresOf(nudged(img, j, -step))[0][CLASS];
            double fd = (up - down) / (2 * step * 255);   // per pixel level, as the gradient
            assertEquals(fd, g[j], 0.02 * Math.abs(g[j]) + 1e-3 * gmax, "dS/dI at value " + j + " on " + be.name());
            checked++;
        }
        assertEquals(4, checked, "pixels with a gradient of at least 0.3 of the largest");
    }

    private static RgbImage nudged(RgbImage img, int j, float delta) {
        float[] rgb = img.rgb().clone();
        rgb[j] += delta;
        return new RgbImage(rgb, img.height(), img.width());
    }

    private static void smoothGradWithoutNoiseIsSaliency(Backend be) {
        Classifier net = TinyClassifier.classifier(be, 4);
        RgbImage img = picture();
        float[] plain = Saliency.map(net, img, CLASS);
        List<Integer> progress = new ArrayList<>();
        float[] smooth = Saliency.smoothGrad(net, img, CLASS, Saliency.BATCH + 2, 0f, 9, progress::add);
        assertEquals(List.of(Saliency.BATCH, Saliency.BATCH + 2), progress, "copies go through in batches");
        float max = 0;
        for (float v : plain) {
            max = Math.max(max, v);
        }
        assertTrue(max > 0, "a map that is not all zeros");
        assertTrue(maxDifference(plain, smooth) <= 1e-4 * max, "max difference " + maxDifference(plain, smooth) + " of " + max);
    }

    private static float maxDifference(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
