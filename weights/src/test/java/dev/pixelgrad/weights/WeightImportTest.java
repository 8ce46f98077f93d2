package dev.pixelgrad.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hand-copied weight file into the cache: checked like a download, converted atomically, refused without a trace. */
class WeightImportTest {
    @TempDir
    Path dir;

    private Path home() {
        return dir.resolve("home");
    }

    /** The tiny VGG-16 fixture under a torch.hub-style name carrying {@code hash}. */
    private Path copied(String hash) throws IOException {
        return Files.copy(Fixtures.path("tiny_vgg16.pth"), dir.resolve("tiny16-" + hash + ".pth"));
    }

    private static String prefix() {
        return Sha256.of(Fixtures.path("tiny_vgg16.pth")).substring(0, 8);
    }

    @Test
    void fileWhoseNameCarriesItsHashIsConvertedIntoTheCache() throws IOException {
        Path file = copied(prefix());
        List<String> messages = new ArrayList<>();
        Path out = WeightImport.importFile(file, home(), FetchTest.recording(messages));
        assertEquals(home().resolve("vgg16.safetensors"), out);
        FormatsTest.assertSameParameters(FormatsTest.load("tiny_vgg16.pth").parameters(), VggWeights.read(out, null, null), 0);
        assertEquals(file.getFileName().toString(), WeightCache.metadata(out).get("source"));
        assertEquals(List.of("vgg16.safetensors"), FetchTest.filesUnder(home()), "only the converted file");
        assertTrue(Files.isRegularFile(file), "the user's copy stays");
        assertEquals("vgg16", WeightCache.list(home()).get(0).name());

        messages.clear();
        assertEquals(out, WeightImport.importFile(file, home(), FetchTest.recording(messages)));
        assertTrue(messages.stream().anyMatch(m -> m.contains("is already cached")), messages.toString());
    }

    @Test
    void wrongHashIsRefusedInOneLineAndNothingIsCached() throws IOException {
        Path file = copied("deadbeef");
        WeightFileException e = assertThrows(WeightFileException.class, () -> WeightImport.importFile(file, home(), WeightFetcher.Progress.NONE));
        assertTrue(e.getMessage().startsWith(file + ": sha256 ") && e.getMessage().contains("does not start with deadbeef, the prefix its name carries")
                && e.getMessage().endsWith("nothing was cached"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(home()), "the cache is not even created");
    }

    @Test
    void wrongFormatIsRefusedInOneLineAndNothingIsCached() throws IOException {
        Path notes = Files.writeString(dir.resolve("vgg19.pth"), "these are not weights\n", StandardCharsets.UTF_8);
        WeightFileException e = assertThrows(WeightFileException.class, () -> WeightImport.importFile(notes, home(), WeightFetcher.Progress.NONE));
        assertTrue(e.getMessage().startsWith(notes + ": unrecognised weight file"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertEquals(List.of(), FetchTest.filesUnder(home()));
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("vgg19-dcbb9e9d.pth");
        WeightFileException e = assertThrows(WeightFileException.class, () -> WeightImport.importFile(missing, home(), WeightFetcher.Progress.NONE));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void anotherFileUnderTheSameCacheNameIsRefusedAndTheCacheKept() throws IOException {
        Path cached = WeightImport.importFile(copied(prefix()), home(), WeightFetcher.Progress.NONE);
        byte[] before = Files.readAllBytes(cached);
        Path other = Fixtures.path("tiny_vgg16_f16.pth");
        WeightFileException e = assertThrows(WeightFileException.class, () -> WeightImport.importFile(other, home(), WeightFetcher.Progress.NONE));
        assertTrue(e.getMessage().contains("the cache already holds vgg16.safetensors converted from tiny16-" + prefix() + ".pth")
                && e.getMessage().contains("delete " + cached), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(cached));
    }

    @Test
    void caffeModelIsCachedUnderItsPreprocessing() throws IOException {
        Path out = WeightImport.importFile(Fixtures.path("tiny_vgg16.caffemodel"), home(), WeightFetcher.Progress.NONE);
        assertEquals(home().resolve("vgg16-caffe.safetensors"), out);
        assertEquals("caffe", WeightCache.metadata(out).get("preprocessing"));
    }

    @Test
    void hashInNameFollowsTorchHub() {
        assertEquals(Optional.of("dcbb9e9d"), KnownWeights.hashInName("vgg19-dcbb9e9d.pth"));
        assertEquals(Optional.of("dcbb9e9d"), KnownWeights.hashInName("VGG19-DCBB9E9D.PTH"));
        assertEquals(Optional.empty(), KnownWeights.hashInName("vgg-19.pth"), "too short to be a hash");
        assertEquals(Optional.empty(), KnownWeights.hashInName("tiny_vgg16.pth"));
        assertEquals(Optional.empty(), KnownWeights.hashInName("vgg19-dcbb9e9d.pth.part"));
    }
}
