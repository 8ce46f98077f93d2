package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fooling images on the tiny random classifier: the target is reached, and survives the PNG. */
class FoolingTest {
    static final int LIMIT = 60;

    @TempDir
    Path dir;

    @Test
    void javaReachesTheTargetAndThePngKeepsIt() throws IOException {
        reachesTheTargetAndThePngKeepsIt(Backends.java());
    }

    @Test
    @Tag("opencl")
    void openClReachesTheTargetAndThePngKeepsIt() throws IOException {
        reachesTheTargetAndThePngKeepsIt(ClassModelTest.openCl());
    }

    private void reachesTheTargetAndThePngKeepsIt(Backend be) throws IOException {
        Classifier c = TinyClassifier.classifier(be, 5);
        RgbImage img = picture(3);
        float[] scores = c.scoresOf(img)[0];
        int target = rank(scores, 20);
        Fooling.Result r = Fooling.run(c, img, target, LIMIT, 1f, (t, s, top) -> { });
        assertTrue(r.fooled(), "not fooled in " + r.steps() + " steps: class " + r.predicted());
        assertTrue(r.steps() > 0 && r.steps() < LIMIT, r.steps() + " steps");
        assertEquals(target, r.predicted());
        Path png = dir.resolve("fooled.png");
        ImageFiles.write(r.image(), png);
        RgbImage back = ImageFiles.read(png);
        assertTrue(Arrays.equals(r.image().rgb(), back.rgb()), "the result is already what the PNG keeps");
        assertEquals(target, Classifier.top(c.scoresOf(back)[0]));
    }

    /**
     * Steps of a twentieth of a level: the float image flips long before rounding to 8 bits keeps
     * the flip, and the run goes on until the rounded image is fooled too.
     */
    @Test
    void keepsSteppingUntilTheEightBitImageIsFooled() {
        Classifier c = TinyClassifier.classifier(Backends.java(), 5);
        RgbImage img = picture(3);
        int target = rank(c.scoresOf(img)[0], 1);
        int[] flippedInFloat = {-1};
        Fooling.Result r = Fooling.run(c, img, target, 400, 0.05f, (t, s, top) -> {
            if (top == target && flippedInFloat[0] < 0) {
                flippedInFloat[0] = t;
            }
        });
        assertTrue(flippedInFloat[0] >= 0, "the float image flipped (at step " + flippedInFloat[0] + ") but not the rounded one");
        assertTrue(r.fooled() && r.steps() > flippedInFloat[0], r.steps() + " steps");
        assertEquals(target, Classifier.top(c.scoresOf(r.image())[0]));
    }

    @Test
    void aRunOutOfStepsSaysSo() {
        Classifier c = TinyClassifier.classifier(Backends.java(), 5);
        RgbImage img = picture(3);
        int target = rank(c.scoresOf(img)[0], 500);
        Fooling.Result r = Fooling.run(c, img, target, 2, 0.01f, (t, s, top) -> { });
        assertFalse(r.fooled());
        assertEquals(2, r.steps());
        assertNotEquals(target, r.predicted());
    }

    /** The class in place {@code place} (0 = the top) of the scores. */
    static int rank(float[] scores, int place) {
        return IntStream.range(0, scores.length).boxed().sorted(Comparator.comparingDouble(i -> -scores[i])).toList().get(place);
    }

    /** A smooth 224 x 224 picture, already in whole levels. */
    static RgbImage picture(double phase) {
        int n = Classifier.SIZE;
        float[] rgb = new float[3 * n * n];
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double v = 0.5 + 0.4 * Math.sin(0.05 * x + 0.03 * y * (ch + 1) + phase + ch);
                    rgb[(ch * n + y) * n + x] = Math.round(255 * v) / 255f;
                }
            }
        }
        return new RgbImage(rgb, n, n);
    }
}
