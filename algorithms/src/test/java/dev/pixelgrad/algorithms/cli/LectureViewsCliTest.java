package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.lecture.TinyClassifier;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.weights.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code occlusion} and {@code top-patches} end to end through Main.run on tiny networks. */
class LectureViewsCliTest {
    @TempDir
    static Path dir;
    static Path classifier, convOnly, photos;

    @BeforeAll
    static void files() throws IOException {
        classifier = dir.resolve("tiny-classifier.safetensors");
        TinyClassifier.write(classifier, Backends.java(), 5);
        convOnly = dir.resolve("tiny-vgg19.safetensors");
        CommandLineTest.writeTinyVgg(convOnly);
        ImageFiles.write(CommandLineTest.picture(60, 90, 0), dir.resolve("cat.png"));
        photos = dir.resolve("photos");
        Files.createDirectories(photos.resolve("sub"));
        ImageFiles.write(CommandLineTest.picture(40, 56, 1), photos.resolve("a.png"));
        ImageFiles.write(CommandLineTest.picture(50, 30, 2), photos.resolve("sub/b.jpg"));
        Files.createDirectories(dir.resolve("empty/inner"));
    }

    /** Main.run with stdout and stderr captured: exit code, stdout, stderr. */
    private static String[] run(String... args) {
        return CliRun.codeOutAndErr(args);
    }

    @Test
    void occlusionWritesTheMapTheOverlayAndTheProbabilitiesAtTheImagesSize() throws IOException {
        Path out = dir.resolve("occ/map.png"), npy = dir.resolve("occ/map.npy");
        String[] r = run("occlusion", "--image", dir.resolve("cat.png").toString(), "--class", "tabby", "--patch", "112",
                "--stride", "56", "--batch", "4", "--out", out.toString(), "--npy", npy.toString(),
                "--weights", classifier.toString(), "--device", "java");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("class 281 (tabby"), r[1]);
        assertTrue(r[2].contains("occlusion: 9/9 patches"), r[2]);
        assertTrue(r[2].matches("(?s).*occlusion: 9 patches in [0-9.]+ s, [0-9.]+ patches/s \\(batch 4, java\\).*"), r[2]);
        RgbImage map = ImageFiles.read(out), overlay = ImageFiles.read(dir.resolve("occ/map-overlay.png"));
        assertEquals(60, map.height());
        assertEquals(90, map.width());
        assertEquals(90, overlay.width());
        Npy.Array p = Npy.read(npy);
        assertArrayEquals(new int[]{60, 90}, p.shape());
        for (float v : p.data()) {
            assertTrue(v > -0.01 && v < 1.01, "a probability: " + v);
        }
    }

    @Test
    void occlusionRefusesWeightsWithoutTheClassifierAndAStrideAboveThePatch() {
        String[] r = run("occlusion", "--image", dir.resolve("cat.png").toString(), "--out", dir.resolve("x.png").toString(),
                "--weights", convOnly.toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("occlusion needs VGG weights with the classifier (fc6, fc7, fc8)"), r[2]);
        r = run("occlusion", "--image", dir.resolve("cat.png").toString(), "--out", dir.resolve("x.png").toString(),
                "--patch", "16", "--stride", "20", "--weights", classifier.toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--stride 20: more than --patch 16"), r[2]);
    }

    @Test
    void topPatchesWritesAGridAndATableInRankOrder() throws IOException {
        Path out = dir.resolve("top.png");
        String[] r = run("top-patches", "--images", photos.toString(), "--layer", "relu2_1", "--channel", "2", "--top", "5",
                "--size", "48", "--out", out.toString(), "--weights", convOnly.toString(), "--device", "java");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("relu2_1 channel 2: receptive field 10 px, 2 px between units"), r[1]);
        String[] lines = r[1].strip().split("\n");
        assertEquals(2 + 5, lines.length, r[1]);
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 2; i < lines.length; i++) {
            String[] cols = lines[i].trim().split("\\s+");
            assertEquals(Integer.toString(i - 1), cols[0]);
            double a = Double.parseDouble(cols[1]);
            assertTrue(a <= previous, r[1]);
            previous = a;
            assertTrue(cols[4].equals("a.png") || cols[4].equals("sub/b.jpg"), cols[4]);
        }
        RgbImage grid = ImageFiles.read(out);
        assertTrue(grid.width() >= 3 * 64 && grid.height() >= 2 * 64, grid.sizeText());
    }

    @Test
    void topPatchesExplainsBadLayersChannelsAndFolders() {
        String[] r = run("top-patches", "--images", photos.toString(), "--layer", "relu2_1", "--channel", "6",
                "--out", dir.resolve("t.png").toString(), "--weights", convOnly.toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--channel 6: relu2_1 has 6 channels (0 to 5)"), r[2]);
        r = run("top-patches", "--images", photos.toString(), "--layer", "relu2_9", "--channel", "0",
                "--out", dir.resolve("t.png").toString(), "--weights", convOnly.toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("relu2_9") && r[2].contains("relu5_4"), r[2]);
        r = run("top-patches", "--images", dir.resolve("empty").toString(), "--layer", "relu2_1", "--channel", "0",
                "--out", dir.resolve("t.png").toString(), "--weights", convOnly.toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--images " + dir.resolve("empty") + ": no PNG or JPEG image"), r[2]);
    }
}
