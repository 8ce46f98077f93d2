package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.algorithms.lecture.TinyClassifier;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodeCacheTest {
    @TempDir
    Path dir;

    private static final String A = "00".repeat(31) + "0a", B = "ff".repeat(32);

    @Test
    void codesReadBackAfterSaving() throws IOException {
        Vgg vgg = TinyClassifier.random(Backends.java(), 1);
        CodeCache cache = CodeCache.open(dir, vgg, "relu7", 224);
        assertEquals(0, cache.size());
        cache.put(A, new float[] {1, -2, 3.5f});
        cache.put(B, new float[] {0, Float.MIN_VALUE, -0f});
        cache.save();
        CodeCache again = CodeCache.open(dir, vgg, "relu7", 224);
        assertEquals(2, again.size());
        assertArrayEquals(new float[] {1, -2, 3.5f}, again.get(A));
        assertArrayEquals(new float[] {0, Float.MIN_VALUE, -0f}, again.get(B));
        assertNull(again.get("12".repeat(32)));
        assertNull(CodeCache.open(dir, vgg, "relu6", 224).get(A), "another layer has its own file");
        assertNull(CodeCache.open(dir, vgg, "relu7", 256).get(A), "another input size has its own file");
        assertThrows(IllegalArgumentException.class, () -> again.put(A, new float[4]));
    }

    @Test
    void otherWeightsDoNotShareCodes() {
        Vgg one = TinyClassifier.random(Backends.java(), 1), same = TinyClassifier.random(Backends.java(), 1);
        Vgg other = TinyClassifier.random(Backends.java(), 2);
        assertEquals(CodeCache.fingerprint(one), CodeCache.fingerprint(same));
        assertNotEquals(CodeCache.fingerprint(one), CodeCache.fingerprint(other));
        assertNotEquals(CodeCache.fingerprint(one), CodeCache.fingerprint(one.withPooling(dev.pixelgrad.nn.PoolingMode.AVG)));
    }

    @Test
    void aDamagedFileIsIgnoredAndRewritten() throws IOException {
        Vgg vgg = TinyClassifier.random(Backends.java(), 1);
        CodeCache cache = CodeCache.open(dir, vgg, "relu7", 224);
        cache.put(A, new float[] {1, 2});
        cache.save();
        byte[] bytes = Files.readAllBytes(cache.file());
        Files.write(cache.file(), java.util.Arrays.copyOf(bytes, bytes.length - 3));
        CodeCache cut = CodeCache.open(dir, vgg, "relu7", 224);
        assertEquals(0, cut.size());
        cut.put(B, new float[] {3, 4});
        cut.save();
        assertArrayEquals(new float[] {3, 4}, CodeCache.open(dir, vgg, "relu7", 224).get(B));
    }

    @Test
    void theKeyIsTheFilesContent() throws IOException {
        Path a = Files.writeString(dir.resolve("a.png"), "same bytes"), b = Files.writeString(dir.resolve("b.png"), "same bytes");
        Path c = Files.writeString(dir.resolve("c.png"), "other bytes");
        assertEquals(CodeCache.hashOf(a), CodeCache.hashOf(b));
        assertNotEquals(CodeCache.hashOf(a), CodeCache.hashOf(c));
        assertTrue(CodeCache.hashOf(a).matches("[0-9a-f]{64}"));
    }
}
