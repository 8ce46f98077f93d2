package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.embedding.Neighbours;
import dev.pixelgrad.algorithms.image.ImageFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code neighbours} end to end on the narrow VGG-19, and the ranking it rests on. */
class NeighboursCliTest {
    @TempDir
    static Path dir;
    static Path vgg, photos, query;

    @BeforeAll
    static void files() throws IOException {
        vgg = dir.resolve("tiny-vgg19.safetensors");
        CommandLineTest.writeTinyVgg(vgg);
        photos = dir.resolve("photos");
        Files.createDirectories(photos.resolve("sub"));
        for (int i = 0; i < 5; i++) {
            ImageFiles.write(CommandLineTest.picture(40 + 3 * i, 50, i), photos.resolve((i % 2 == 0 ? "" : "sub/") + "p" + i + ".png"));
        }
        Files.writeString(photos.resolve("broken.png"), "not an image");
        query = dir.resolve("query.png");
        Files.copy(photos.resolve("sub/p3.png"), query);
    }

    @Test
    void theQuerysOwnCopyIsNearestInBothSpacesAndTheSheetHasTwoRows() throws IOException {
        Path out = dir.resolve("sheet.png");
        String[] r = CliRun.codeOutAndErr("neighbours", "--query", query.toString(), "--images", photos.toString(), "--k", "3",
                "--out", out.toString(), "--weights", vgg.toString(), "--device", "java");
        assertEquals("0", r[0], r[2]);
        String[] lines = r[1].split("\n");
        assertTrue(lines[0].contains("by relu5_4"), r[1]);   // no classifier: the last ReLU before pool5
        assertTrue(lines[1].matches("\\s+1\\s+0\\.0+\\s+sub/p3.png\\s+0\\.0+\\s+sub/p3.png\\s*"), lines[1]);
        assertEquals(4, lines.length, r[1]);
        assertTrue(r[2].contains("skipping " + photos.resolve("broken.png")), r[2]);
        BufferedImage sheet = javax.imageio.ImageIO.read(out.toFile());
        assertTrue(sheet.getWidth() > 4 * 96 && sheet.getHeight() > 2 * 96 && sheet.getHeight() < 3 * 96, sheet.getWidth() + "x" + sheet.getHeight());
    }

    @Test
    void badInputIsNamed() {
        String[] r = CliRun.codeOutAndErr("neighbours", "--query", query.toString(), "--images", dir.resolve("none").toString(),
                "--out", dir.resolve("never.png").toString(), "--weights", vgg.toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("no such folder"), r[2]);
        r = CliRun.codeOutAndErr("neighbours", "--query", query.toString(), "--images", photos.toString(), "--layer", "relu9_9",
                "--out", dir.resolve("never.png").toString(), "--weights", vgg.toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("relu9_9"), r[2]);
        assertFalse(Files.exists(dir.resolve("never.png")));
    }

    @Test
    void nearestFirstAndTiesByIndex() {
        List<Neighbours.Match> m = Neighbours.nearest(new float[]{0, 0}, List.of(new float[]{3, 4}, new float[]{1, 0}, new float[]{0, 1}), 2);
        assertEquals(1, m.get(0).index());
        assertEquals(2, m.get(1).index());
        assertEquals(1.0, m.get(1).distance(), 1e-12);
    }
}
