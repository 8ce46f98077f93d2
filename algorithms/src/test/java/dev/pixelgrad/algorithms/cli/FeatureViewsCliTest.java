package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.embedding.ConvFilters;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.testing.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pca} and {@code filters} end to end through Main.run on the narrow VGG-19 (widths 4, 6, 8, 8, 8). */
class FeatureViewsCliTest {
    @TempDir
    static Path dir;
    static Path vgg, cat;

    @BeforeAll
    static void files() throws IOException {
        vgg = dir.resolve("tiny-vgg19.safetensors");
        CommandLineTest.writeTinyVgg(vgg);
        cat = dir.resolve("cat.png");
        ImageFiles.write(CommandLineTest.picture(60, 90, 0), cat);
    }

    private static String[] run(String... args) {
        return CliRun.codeOutAndErr(args);
    }

    @Test
    void pcaWritesThreeComponentsAtTheImagesSizeAndPrintsTheirShares() throws IOException {
        Path out = dir.resolve("pca/relu2_1.png");
        String[] r = run("pca", "--image", cat.toString(), "--layer", "relu2_1", "--size", "0", "--out", out.toString(),
                "--weights", vgg.toString(), "--device", "java");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].matches("relu2_1: 6 channels at 45x30 positions; explained variance PC1 0\\.\\d{3} PC2 0\\.\\d{3} "
                + "PC3 0\\.\\d{3} \\(sum 0\\.\\d{3}\\)\\s*"), r[1]);
        double[] ratios = ratios(r[1]);
        assertTrue(ratios[0] >= ratios[1] && ratios[1] >= ratios[2], r[1]);
        RgbImage img = ImageFiles.read(out);
        assertEquals(60, img.height());
        assertEquals(90, img.width());
        // each component spans its range: every colour channel goes from dark to bright
        for (int ch = 0; ch < 3; ch++) {
            float lo = 1, hi = 0;
            for (int i = 0; i < 60 * 90; i++) {
                lo = Math.min(lo, img.rgb()[ch * 60 * 90 + i]);
                hi = Math.max(hi, img.rgb()[ch * 60 * 90 + i]);
            }
            assertTrue(lo < 0.05 && hi > 0.95, "channel " + ch + ": " + lo + ".." + hi);
        }
    }

    @Test
    void pcaLayersMakeAStripAcrossDepthsAndTheDefaultSizeIs224() throws IOException {
        Path out = dir.resolve("strip.png");
        String[] r = run("pca", "--image", cat.toString(), "--layers", "relu1_1,relu3_1,relu5_1", "--out", out.toString(),
                "--weights", vgg.toString(), "--device", "java");
        assertEquals("0", r[0], r[2]);
        String[] lines = r[1].strip().split("\n");
        assertEquals(3, lines.length, r[1]);
        assertTrue(lines[0].startsWith("relu1_1: 4 channels at 224x149 positions"), lines[0]);
        assertTrue(lines[1].startsWith("relu3_1: 8 channels at 56x37 positions"), lines[1]);
        assertTrue(lines[2].startsWith("relu5_1: 8 channels at 14x9 positions"), lines[2]);
        RgbImage strip = ImageFiles.read(out);
        assertEquals(149, strip.height());
        assertEquals(3 * 224 + 2 * PcaCommand.PANEL_GAP, strip.width());
        assertTrue(r[2].contains("pca: 3 layers of a 224x149 image"), r[2]);
    }

    @Test
    void pcaExplainsBadLayersAndOptions() {
        String[] r = run("pca", "--image", cat.toString(), "--layer", "relu9_1", "--out", dir.resolve("x.png").toString(),
                "--weights", vgg.toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("unknown layer 'relu9_1'") && r[2].contains("relu5_4"), r[2]);
        r = run("pca", "--image", cat.toString(), "--out", dir.resolve("x.png").toString(), "--weights", vgg.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("give --layer NAME (one picture) or --layers a,b,c"), r[2]);
        r = run("pca", "--image", cat.toString(), "--layer", "relu1_1", "--layers", "relu2_1", "--out",
                dir.resolve("x.png").toString(), "--weights", vgg.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("give --layer or --layers, not both"), r[2]);
        r = run("pca", "--image", cat.toString(), "--layer", "relu5_1", "--size", "8", "--out", dir.resolve("x.png").toString(),
                "--weights", vgg.toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("relu5_1 needs at least 16x16 px"), r[2]);
        r = run("pca", "--image", dir.resolve("missing.png").toString(), "--layer", "relu1_1", "--out",
                dir.resolve("x.png").toString(), "--weights", vgg.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--image") && r[2].contains("missing.png"), r[2]);
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    @Test
    void filtersOfTheFirstLayerAreTheirRgbPatternsOnPixels() throws IOException {
        Path out = dir.resolve("filters/conv1_1.png");
        String[] r = run("filters", "--layer", "conv1_1", "--out", out.toString(), "--weights", vgg.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("conv1_1: 4 filters of 3 channels, 3x3, in colour (torchvision weights); 49x49 grid"), r[1]);
        RgbImage grid = ImageFiles.read(out);
        assertEquals(49, grid.height());   // 2 x 2 cells of 3 x 8 px, 1 px apart
        assertEquals(49, grid.width());

        // filter 1 (top right), as torchvision input x = (rgb - mean) / std sees pixels: w / std
        Npy.Array w = Npy.read(Path.of("src/test/resources/fixtures/losses/weights/conv1_1.weight.npy"));
        float[] std = {0.229f, 0.224f, 0.225f};
        float[] cell = new float[27];
        for (int i = 0; i < 27; i++) {
            cell[i] = w.data()[27 + i] / std[i / 9];
        }
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float v : cell) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    float expected = (cell[ch * 9 + y * 3 + x] - lo) / (hi - lo);
                    int py = y * 8 + 4, px = 25 + x * 8 + 4;
                    assertEquals(expected, grid.rgb()[(ch * 49 + py) * 49 + px], 1 / 255f + 1e-6f, "ch " + ch + " y " + y + " x " + x);
                }
            }
        }
        assertEquals(1f, grid.rgb()[24 * 49 + 10], "the gap is white");
    }

    @Test
    void filtersOfDeeperLayersAreGreyAndScaleMagnifies() throws IOException {
        Path out = dir.resolve("conv2_1.png");
        String[] r = run("filters", "--layer", "conv2_1", "--scale", "2", "--out", out.toString(), "--weights", vgg.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("conv2_1: 6 filters of 4 channels, 3x3, grey (mean over the input channels); 20x13 grid"), r[1]);
        RgbImage grid = ImageFiles.read(out);
        assertEquals(13, grid.height());   // 2 rows of 6 px
        assertEquals(20, grid.width());    // 3 columns of 6 px
        for (int i = 0; i < 13 * 20; i++) {
            assertEquals(grid.rgb()[i], grid.rgb()[13 * 20 + i]);
            assertEquals(grid.rgb()[i], grid.rgb()[2 * 13 * 20 + i]);
        }
    }

    @Test
    void filtersNeedAConvLayer() {
        String[] r = run("filters", "--layer", "relu1_1", "--out", dir.resolve("f.png").toString(), "--weights", vgg.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--layer relu1_1: not a conv layer of vgg19; expected one of conv1_1, conv1_2, conv2_1"), r[2]);
        assertTrue(r[2].contains("conv5_4"), r[2]);
        r = run("filters", "--layer", "conv1_1", "--scale", "0", "--out", dir.resolve("f.png").toString(), "--weights", vgg.toString());
        assertEquals("2", r[0], r[2]);
        r = run("filters", "--layer", "conv1_1", "--out", dir.resolve("f.txt").toString(), "--weights", vgg.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--out " + dir.resolve("f.txt") + ": cannot tell the image format"), r[2]);
    }

    @Test
    void caffeWeightsReadBgr() {
        assertArrayEquals(new int[]{2, 1, 0}, FiltersCommand.rgbChannels(Preprocessing.CAFFE, Backends.java()));
        assertArrayEquals(new int[]{0, 1, 2}, FiltersCommand.rgbChannels(Preprocessing.TORCHVISION, Backends.java()));
        // a filter that weighs only network channel 0 (blue, for Caffe) is blue
        float[] w = new float[27];
        w[4] = 1;
        List<float[]> cells = ConvFilters.colour(w, 1, 3, 3, FiltersCommand.rgbChannels(Preprocessing.CAFFE, Backends.java()),
                FiltersCommand.gains(Preprocessing.CAFFE));
        float[] c = cells.get(0);
        assertEquals(1f, c[2 * 9 + 4]);
        assertEquals(0f, c[4]);
    }

    private static double[] ratios(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("PC\\d ([0-9.]+)").matcher(line);
        double[] r = new double[3];
        for (int i = 0; i < 3 && m.find(); i++) {
            r[i] = Double.parseDouble(m.group(1));
        }
        return r;
    }
}
