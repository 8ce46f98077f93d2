package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.ReluBackward;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guided backpropagation on the tiny classifier (the guided rule itself is checked by hand on a
 * two-layer network in the tensor module's AutogradSuite, on every backend).
 */
class GuidedBackpropTest {
    @Test
    void theDefaultChannelIsTheStrongestAndTheModeEndsWithTheRun() {
        Vgg vgg = TinyClassifier.random(Backends.java(), 5);
        RgbImage img = SaliencyTest.picture();
        GuidedBackprop.Result r = GuidedBackprop.compute(vgg, Backends.java(), img, "relu3_2", -1);
        assertEquals(ReluBackward.Mode.STANDARD, ReluBackward.mode());
        assertEquals(8, GuidedBackprop.channels(vgg, "relu3_2"));
        for (int c = 0; c < 8; c++) {
            assertTrue(GuidedBackprop.compute(vgg, Backends.java(), img, "relu3_2", c).mean() <= r.mean(), "channel " + c);
        }
        assertEquals(3 * Classifier.SIZE * Classifier.SIZE, r.gradient().length);
    }

    @Test
    void guidedDiffersFromTheOrdinaryGradientAndFcLayersWork() {
        Vgg vgg = TinyClassifier.random(Backends.java(), 5);
        RgbImage img = SaliencyTest.picture();
        float[] guided = GuidedBackprop.compute(vgg, Backends.java(), img, "relu7", 3).gradient();
        float[] plain = ordinaryGradient(vgg, img, "relu7", 3);
        double diff = 0, norm = 0;
        for (int i = 0; i < guided.length; i++) {
            diff += Math.abs(guided[i] - plain[i]);
            norm += Math.abs(plain[i]);
        }
        assertTrue(norm > 0 && diff > 1e-3 * norm, "guided and ordinary gradients should differ: " + diff + " vs " + norm);
    }

    @Test
    @Tag("opencl")
    void openClEqualsJava() {
        Backend cl = SaliencyTest.openCl();
        RgbImage img = SaliencyTest.picture();
        float[] java = GuidedBackprop.compute(TinyClassifier.random(Backends.java(), 6), Backends.java(), img, "pool4", 2).gradient();
        float[] ocl = GuidedBackprop.compute(TinyClassifier.random(cl, 6), cl, img, "pool4", 2).gradient();
        float max = 0, worst = 0;
        for (int i = 0; i < java.length; i++) {
            max = Math.max(max, Math.abs(java[i]));
            worst = Math.max(worst, Math.abs(java[i] - ocl[i]));
        }
        assertTrue(max > 0 && worst <= 1e-4 * max, "max difference " + worst + " of " + max);
    }

    private static float[] ordinaryGradient(Vgg vgg, RgbImage img, String layer, int unit) {
        float[] levels = img.rgb().clone();
        for (int j = 0; j < levels.length; j++) {
            levels[j] *= 255f;
        }
        Tensor px = Tensor.of(levels, Shape.of(1, 3, img.height(), img.width()), Backends.java()).requiresGrad(true);
        Tensor a = vgg.forward(vgg.preprocessing().fromRgb255(px), List.of(layer)).get(layer);
        float[] seed = new float[a.numel()];
        seed[unit] = 1f;
        a.backward(Tensor.of(seed, a.shape(), Backends.java()));
        return px.grad().toArray();
    }
}
