package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OcclusionTest {
    private static final int H = 40, W = 48;

    /**
     * Two classes; class 1's score is 8 x the fraction of the top-left quadrant (20 x 24) that is not
     * grey, class 0's is 4: the network "looks" only at the top-left quadrant.
     */
    private static float[][] topLeftScores(RgbImage... batch) {
        float[][] rows = new float[batch.length][];
        for (int i = 0; i < batch.length; i++) {
            int lit = 0;
            for (int y = 0; y < H / 2; y++) {
                for (int x = 0; x < W / 2; x++) {
                    lit += batch[i].rgb()[y * W + x] != Occlusion.GREY ? 1 : 0;
                }
            }
            rows[i] = new float[]{4f, 8f * lit / (H / 2 * W / 2)};
        }
        return rows;
    }

    private static RgbImage white() {
        float[] rgb = new float[3 * H * W];
        Arrays.fill(rgb, 1f);
        return new RgbImage(rgb, H, W);
    }

    @Test
    void positionsStepByTheStrideAndTheLastIsFlushWithTheEdge() {
        assertArrayEquals(new int[]{0, 3, 6}, Occlusion.positions(10, 4, 3));
        assertArrayEquals(new int[]{0, 4, 6}, Occlusion.positions(10, 4, 4));
        assertArrayEquals(new int[]{0}, Occlusion.positions(10, 10, 3));
        int[] p = Occlusion.positions(224, 32, 8);
        assertEquals(25, p.length);
        assertEquals(192, p[24]);
        assertThrows(IllegalArgumentException.class, () -> new Occlusion(8, 9, 1));
    }

    @Test
    void theMapIsLowestWhereTheNetworkLooks() {
        Occlusion occlusion = new Occlusion(8, 4, 1);
        List<Integer> progress = new ArrayList<>();
        float[] map = occlusion.map(white(), 1, OcclusionTest::topLeftScores, progress::add);
        int patches = occlusion.patches(H, W);
        assertEquals(patches, progress.get(progress.size() - 1));
        double unoccluded = Classifier.probabilities(topLeftScores(white())[0])[1];
        float inside = map[5 * W + 5], outside = map[(H - 3) * W + (W - 3)];
        assertEquals(unoccluded, outside, 1e-6, "patches away from the quadrant change nothing");
        assertTrue(inside < unoccluded - 0.01, "occluding the quadrant lowers p: " + inside + " vs " + unoccluded);
        int argmin = 0;
        for (int i = 1; i < map.length; i++) {
            argmin = map[i] < map[argmin] ? i : argmin;
        }
        assertTrue(argmin / W < H / 2 && argmin % W < W / 2, "the lowest pixel lies in the top-left quadrant: " + argmin);
    }

    @Test
    void batchingGivesTheSameMap() {
        float[] one = new Occlusion(8, 4, 1).map(white(), 1, OcclusionTest::topLeftScores, n -> { });
        for (int b : new int[]{3, 7, 500}) {
            assertArrayEquals(one, new Occlusion(8, 4, b).map(white(), 1, OcclusionTest::topLeftScores, n -> { }), "batch " + b);
        }
    }

    private static RgbImage picture() {
        float[] rgb = new float[3 * Classifier.SIZE * Classifier.SIZE];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (float) (0.5 + 0.4 * Math.sin(0.05 * i));
        }
        return new RgbImage(rgb, Classifier.SIZE, Classifier.SIZE);
    }

    private static void batchedMapEqualsOneByOne(Backend be) {
        Classifier classifier = TinyClassifier.classifier(be, 7);
        RgbImage img = picture();
        int k = Classifier.top(classifier.scoresOf(img)[0]);
        float[] one = new Occlusion(112, 56, 1).map(img, k, classifier::scoresOf, n -> { });
        float[] four = new Occlusion(112, 56, 4).map(img, k, classifier::scoresOf, n -> { });
        for (int i = 0; i < one.length; i++) {
            assertTrue(one[i] >= 0 && one[i] <= 1, "a probability: " + one[i]);
            assertEquals(one[i], four[i], 1e-5, "pixel " + i);
        }
    }

    @Test
    void throughTheClassifierBatchedEqualsOneByOne() {
        batchedMapEqualsOneByOne(Backends.java());
    }

    @Test
    @Tag("opencl")
    void throughTheClassifierOnOpenClBatchedEqualsOneByOne() {
        List<String> why = new ArrayList<>();
        Backend be = Backends.select("opencl", why::add);
        Assumptions.assumeFalse(be == Backends.java(), "no OpenCL backend here: " + String.join("; ", why));
        batchedMapEqualsOneByOne(be);
    }
}
