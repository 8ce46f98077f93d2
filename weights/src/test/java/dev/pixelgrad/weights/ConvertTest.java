package dev.pixelgrad.weights;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.VggSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvertTest {
    @TempDir
    Path dir;

    @Test
    void convertedFileRecordsItsOriginAndReloadsExactly() throws IOException {
        Path in = Fixtures.path("tiny_vgg16_legacy.pth");
        Path out = dir.resolve("tiny.safetensors");
        Converter.Result r = Converter.convert(in, out, null, null, false);
        assertTrue(r.totalMillis() >= 0 && r.bytes() == Files.size(out));
        Map<String, String> m = WeightCache.metadata(out);
        assertEquals("pixelgrad-vgg", m.get("format"));
        assertEquals("vgg16", m.get("arch"));
        assertEquals("4,8,8,16,16", m.get("widths"));
        assertEquals("32", m.get("fc_width"));
        assertEquals("10", m.get("classes"));
        assertEquals("torchvision", m.get("preprocessing"));
        assertEquals("tiny_vgg16_legacy.pth", m.get("source"));
        assertEquals(Sha256.of(in), m.get("source_sha256"));
        assertTrue(m.get("layers").startsWith("conv1_1,relu1_1,conv1_2"), m.get("layers"));
        assertTrue(m.get("layers").endsWith("fc7,relu7,fc8"), m.get("layers"));

        LoadedWeights back = VggWeights.read(out, null, null);
        assertEquals(FormatsTest.TINY16, back.spec());
        assertEquals("recorded in the converted file", back.preprocessingReason());
        FormatsTest.assertSameParameters(FormatsTest.load("tiny_vgg16.pth").parameters(), back, 0);
    }

    @Test
    void caffeModelConvertsWithCaffePreprocessingAndHalfPrecision() throws IOException {
        Path out = dir.resolve("c.safetensors");
        Converter.convert(Fixtures.path("tiny_vgg19.caffemodel"), out, VggSpec.Arch.VGG19, null, true);
        assertEquals("caffe", WeightCache.metadata(out).get("preprocessing"));
        LoadedWeights back = VggWeights.read(out, null, null);
        assertEquals(Preprocessing.CAFFE, back.preprocessing());
        assertEquals(DType.F16, back.parameters().get("conv1_1.weight").dtype());
        FormatsTest.assertSameParameters(FormatsTest.load("tiny_vgg19.pth").parameters(), back, 1.0 / 1024);
        List<WeightCache.Entry> cached = WeightCache.list(dir);
        assertEquals(1, cached.size());
        assertEquals("c", cached.get(0).name());
        assertEquals("vgg19", cached.get(0).arch());
    }

    @Test
    void archOverrideThatContradictsTheFileIsExplained() {
        Path out = dir.resolve("x.safetensors");
        WeightFileException e = assertThrows(WeightFileException.class,
                () -> Converter.convert(Fixtures.path("tiny_vgg16.pth"), out, VggSpec.Arch.VGG19, null, false));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertTrue(Files.notExists(out));
    }

    @Test
    void missingCacheNamesTheFetchCommand() {
        WeightFileException e = assertThrows(WeightFileException.class, () -> VggWeights.requireCached("vgg19-nonexistent-test"));
        assertTrue(e.getMessage().contains("pixelgrad weights fetch vgg19"), e.getMessage());
    }
}
