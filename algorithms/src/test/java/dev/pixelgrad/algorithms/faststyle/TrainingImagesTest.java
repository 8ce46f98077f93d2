package dev.pixelgrad.algorithms.faststyle;

import dev.pixelgrad.algorithms.faststyle.TrainingImages.Batch;
import dev.pixelgrad.algorithms.faststyle.TrainingImages.Position;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingImagesTest {
    @TempDir
    Path dir;

    /** A w x h image whose every pixel has the value (id / 10) in all channels: which image a sample came from. */
    private Path image(String name, int id, int h, int w) throws IOException {
        float[] rgb = new float[3 * h * w];
        java.util.Arrays.fill(rgb, id / 10f);
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        ImageFiles.write(new RgbImage(rgb, h, w), file);
        return file;
    }

    private static int idOf(Batch b, int sample) {
        return Math.round(b.pixels()[sample * 3 * b.size() * b.size()] / 25.5f);
    }

    private static List<Integer> ids(TrainingImages images, int batches) throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (int k = 0; k < batches; k++) {
            Batch b = images.next();
            for (int i = 0; i < b.n(); i++) {
                ids.add(idOf(b, i));
            }
        }
        return ids;
    }

    @Test
    void everyImageBelowTheFolderOnceAnEpochCroppedTo0To255() throws IOException {
        image("a.png", 1, 20, 30);
        image("sub/b.jpg", 2, 40, 16);
        image("sub/deeper/c.PNG", 3, 16, 16);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        List<String> skipped = new ArrayList<>();
        try (TrainingImages images = TrainingImages.open(dir, 16, 2, 7, Position.START, skipped::add)) {
            assertEquals(3, images.imageCount());
            Batch first = images.next(), second = images.next();
            assertEquals(2, first.n());
            assertEquals(1, second.n(), "the last batch of an epoch holds what is left");
            assertEquals(2 * 3 * 16 * 16, first.pixels().length);
            assertEquals(new Position(0, 2), first.next());
            assertEquals(new Position(1, 0), second.next());
            List<Integer> epoch = new ArrayList<>(List.of(idOf(first, 0), idOf(first, 1), idOf(second, 0)));
            epoch.sort(null);
            assertEquals(List.of(1, 2, 3), epoch);
            for (float v : first.pixels()) {
                assertTrue(v >= 0 && v <= 255, "0-255 RGB");
            }
            assertEquals(25.5f * idOf(first, 0), first.pixels()[100], 1.5f);
        }
        assertEquals(List.of(), skipped);
    }

    @Test
    void theOrderComesFromTheSeedAndChangesEachEpoch() throws IOException {
        for (int i = 0; i < 8; i++) {
            image("img" + i + ".png", i + 1, 8, 8);
        }
        List<Integer> a, b, c;
        try (TrainingImages images = TrainingImages.open(dir, 8, 4, 1, Position.START, s -> { })) {
            a = ids(images, 4);
        }
        try (TrainingImages images = TrainingImages.open(dir, 8, 4, 1, Position.START, s -> { })) {
            b = ids(images, 4);
        }
        try (TrainingImages images = TrainingImages.open(dir, 8, 4, 2, Position.START, s -> { })) {
            c = ids(images, 4);
        }
        assertEquals(a, b, "same seed, same order");
        assertNotEquals(a, c, "another seed, another order");
        assertNotEquals(a.subList(0, 8), a.subList(8, 16), "each epoch draws a new order");
    }

    @Test
    void aResumeAtABatchsNextPositionGivesTheSameFollowingBatches() throws IOException {
        for (int i = 0; i < 7; i++) {
            image("img" + i + ".png", i + 1, 8, 8);
        }
        List<float[]> uninterrupted = new ArrayList<>();
        Position afterThird;
        try (TrainingImages images = TrainingImages.open(dir, 8, 3, 5, Position.START, s -> { })) {
            Batch third = null;
            for (int k = 0; k < 3; k++) {
                third = images.next();
            }
            afterThird = third.next();
            for (int k = 0; k < 4; k++) {
                uninterrupted.add(images.next().pixels());
            }
        }
        try (TrainingImages resumed = TrainingImages.open(dir, 8, 3, 5, afterThird, s -> { })) {
            for (float[] expected : uninterrupted) {
                assertArrayEquals(expected, resumed.next().pixels());
            }
        }
    }

    @Test
    void anUnreadableImageIsSkippedOnceWithItsNameAndCounted() throws IOException {
        image("good1.png", 1, 8, 8);
        image("good2.png", 2, 8, 8);
        Path bad = Files.writeString(dir.resolve("broken.jpg"), "not a jpeg");
        List<String> said = new ArrayList<>();
        try (TrainingImages images = TrainingImages.open(dir, 8, 2, 0, Position.START, said::add)) {
            List<Integer> seen = ids(images, 3);
            assertTrue(seen.size() >= 4 && seen.stream().allMatch(id -> id == 1 || id == 2), seen.toString());
            assertEquals(1, images.skippedCount());
        }
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("skipping " + bad), said.get(0));
    }

    @Test
    void aFolderWithoutImagesIsAClearError() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "no images here");
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingImages.open(dir, 8, 2, 0, Position.START, s -> { }));
        assertEquals("--data " + dir + ": no PNG or JPEG image in this folder or below it", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainingImages.open(dir.resolve("missing"), 8, 2, 0, Position.START, s -> { }));
        assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
    }

    @Test
    void onlyUnreadableImagesEndInAnErrorNotAHang() throws IOException {
        Files.writeString(dir.resolve("a.png"), "x");
        Files.writeString(dir.resolve("b.jpg"), "y");
        try (TrainingImages images = TrainingImages.open(dir, 8, 2, 0, Position.START, s -> { })) {
            IOException e = assertThrows(IOException.class, images::next);
            assertEquals("training images: none of the 2 image files can be read", e.getMessage());
        }
    }
}
