package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Class model visualisation on the tiny random classifier: the score rises and the pixels stay in [0, 255]. */
class ClassModelTest {
    @Test
    void javaRaisesTheClassScoreWithinTheRange() {
        raisesTheClassScoreWithinTheRange(Backends.java());
    }

    @Test
    @Tag("opencl")
    void openClRaisesTheClassScoreWithinTheRange() {
        raisesTheClassScoreWithinTheRange(openCl());
    }

    private static void raisesTheClassScoreWithinTheRange(Backend be) {
        Classifier c = TinyClassifier.classifier(be, 7);
        int k = 42;
        // a large step and l2, so that the clamp is reached and the decay matters
        ClassModel model = new ClassModel(c, new ClassModel.Options(6, 20f, 1e-5f, 2, 0.5f, 4), 3);
        Tensor x = model.start();
        float before = model.score(x, k);
        List<Float> seen = new ArrayList<>();
        model.run(x, k, (t, score, image) -> seen.add(score));
        float after = model.score(x, k);
        assertEquals(6, seen.size());
        assertTrue(after > before, "score " + before + " -> " + after);
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float v : x.toArray()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(lo >= 0f && hi <= 255f, "pixels in [" + lo + ", " + hi + "]");
        assertTrue(lo == 0f || hi == 255f, "the start noise (sd 57.6 levels) reaches the clamp: [" + lo + ", " + hi + "]");
    }

    @Test
    void startIsNoiseAroundTheMeanColourWithinTheRange() {
        Classifier c = TinyClassifier.classifier(Backends.java(), 7);
        float[] x = new ClassModel(c, ClassModel.Options.defaults(), 1).start().toArray();
        int n = Classifier.SIZE * Classifier.SIZE;
        double red = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(x[i] >= 0 && x[i] <= 255);
            red += x[i];
        }
        assertEquals(0.485 * 255, red / n, 2.0, "mean red (clamping shifts it a little)");
    }

    static Backend openCl() {
        List<String> why = new ArrayList<>();
        Backend be = Backends.select("opencl", why::add);
        Assumptions.assumeFalse(be == Backends.java(), "no OpenCL backend here: " + String.join("; ", why));
        return be;
    }
}
