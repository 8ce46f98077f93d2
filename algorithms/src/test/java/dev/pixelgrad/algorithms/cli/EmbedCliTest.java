package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.tensor.io.PixelgradHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code embed} end to end on the narrow VGG-19: two sub-folders of generated images. */
class EmbedCliTest {
    @TempDir
    static Path dir;
    static Path vgg, photos;

    @BeforeAll
    static void files() throws IOException {
        vgg = dir.resolve("tiny-vgg19.safetensors");
        CommandLineTest.writeTinyVgg(vgg);
        photos = dir.resolve("photos");
        Files.createDirectories(photos.resolve("waves"));
        Files.createDirectories(photos.resolve("flat"));
        for (int i = 0; i < 4; i++) {
            ImageFiles.write(CommandLineTest.picture(40 + 3 * i, 50, i), photos.resolve("waves/w" + i + ".png"));
            ImageFiles.write(flat(30 + 2 * i, 0.2f + 0.15f * i), photos.resolve("flat/f" + i + ".png"));
        }
        Files.writeString(photos.resolve("flat/broken.png"), "not an image");
    }

    private static RgbImage flat(int side, float level) {
        float[] rgb = new float[3 * side * side];
        Arrays.fill(rgb, level);
        return new RgbImage(rgb, side, side);
    }

    private static String[] embed(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("embed", "--images", photos.toString(), "--weights", vgg.toString(),
                "--device", "java"));
        args.addAll(List.of(extra));
        return CliRun.codeOutAndErr(args.toArray(new String[0]));
    }

    @Test
    void pcaMapCsvWithLabelsAndAccuracies() throws IOException {
        Path out = dir.resolve("map.png"), csv = dir.resolve("map.csv");
        String[] r = embed("--method", "pca", "--thumb", "32", "--out", out.toString(), "--csv", csv.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("skipping " + photos.resolve("flat/broken.png")), r[2]);
        assertTrue(r[2].contains("8 images (1 skipped)"), r[2]);
        String[] lines = r[1].split("\n");
        assertEquals(2, lines.length, r[1]);
        assertTrue(lines[0].matches("5-NN label accuracy \\(leave-one-out\\) in the 2-D map: \\d+\\.\\d%"), lines[0]);
        assertTrue(lines[1].matches("5-NN label accuracy \\(leave-one-out\\) in the relu5_4 codes \\(8 values\\): \\d+\\.\\d%"), lines[1]);
        BufferedImage map = ImageIO.read(out.toFile());
        // 8 thumbnails of 32: max(4 * 32, 2.5 * 32 * sqrt 8) = 226 px square
        assertEquals(226, map.getWidth());
        assertEquals(226, map.getHeight());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("file,x,y,label", rows.get(0));
        assertEquals(9, rows.size());
        assertEquals(4, rows.stream().filter(l -> l.startsWith("flat/f") && l.endsWith(",flat")).count(), rows.toString());
        assertEquals(4, rows.stream().filter(l -> l.startsWith("waves/w") && l.endsWith(",waves")).count(), rows.toString());
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertTrue(Double.isFinite(Double.parseDouble(f[1])) && Double.isFinite(Double.parseDouble(f[2])), row);
        }
    }

    @Test
    void tsneOnAFullGrid() throws IOException {
        Path out = dir.resolve("grid.png");
        String[] r = embed("--perplexity", "2", "--iterations", "300", "--grid", "--thumb", "20", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals(2, r[1].split("\n").length, "the accuracy lines without --csv too: " + r[1]);
        BufferedImage map = ImageIO.read(out.toFile());
        // 8 images: 3 columns, 3 rows
        assertEquals(60, map.getWidth());
        assertEquals(60, map.getHeight());
        // the last cell of the last row stays empty (background), the first eight hold thumbnails
        assertEquals(map.getRGB(59, 59), map.getRGB(50, 50));
    }

    @Test
    void aSecondMapTakesTheCodesFromTheCache() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home")), folder = Files.createDirectories(dir.resolve("cached"));
        for (int i = 0; i < 4; i++) {
            ImageFiles.write(CommandLineTest.picture(30, 30 + i, i), folder.resolve("p" + i + ".png"));
        }
        String old = System.getProperty(PixelgradHome.PROPERTY);
        System.setProperty(PixelgradHome.PROPERTY, home.toString());
        try {
            String[] args = {"embed", "--images", folder.toString(), "--weights", vgg.toString(), "--device", "java",
                    "--method", "pca", "--batch", "3", "--csv", dir.resolve("c.csv").toString(), "--out", dir.resolve("c.png").toString()};
            String[] first = CliRun.codeOutAndErr(args);
            assertEquals("0", first[0], first[2]);
            assertTrue(first[2].contains("4 relu5_4 codes computed"), first[2]);
            List<String> map = Files.readAllLines(dir.resolve("c.csv"));
            String[] second = CliRun.codeOutAndErr(args);
            assertEquals("0", second[0], second[2]);
            assertTrue(second[2].contains("all 4 relu5_4 codes from the cache"), second[2]);
            assertEquals(map, Files.readAllLines(dir.resolve("c.csv")), "the cached codes give the same map");
            // an edited file is computed again, the others still come from the cache
            ImageFiles.write(CommandLineTest.picture(30, 30, 9), folder.resolve("p0.png"));
            String[] third = CliRun.codeOutAndErr(args);
            assertTrue(third[2].contains("1 relu5_4 codes computed") && third[2].contains("3 from the cache"), third[2]);
            List<String> noCache = new java.util.ArrayList<>(List.of(args));
            noCache.add("--no-cache");
            String[] fourth = CliRun.codeOutAndErr(noCache.toArray(new String[0]));
            assertTrue(fourth[2].contains("4 relu5_4 codes computed") && !fourth[2].contains("cache"), fourth[2]);
        } finally {
            if (old == null) {
                System.clearProperty(PixelgradHome.PROPERTY);
            } else {
                System.setProperty(PixelgradHome.PROPERTY, old);
            }
        }
    }

    @Test
    void badInputIsNamed() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String[] r = CliRun.codeOutAndErr("embed", "--images", empty.toString(), "--out", dir.resolve("never.png").toString(),
                "--weights", vgg.toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--images " + empty) && r[2].contains("no PNG or JPEG image"), r[2]);
        r = embed("--perplexity", "30", "--out", dir.resolve("never.png").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("perplexity 30 needs at least 3 x perplexity + 1 = 91 points, got 8") && r[2].contains("use --perplexity 2 or less"), r[2]);
        r = embed("--method", "umap", "--out", dir.resolve("never.png").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--method"), r[2]);
        r = embed("--batch", "0", "--out", dir.resolve("never.png").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--batch"), r[2]);
        r = embed("--layer", "relu9_9", "--out", dir.resolve("never.png").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("relu9_9"), r[2]);
        assertFalse(Files.exists(dir.resolve("never.png")));
    }
}
