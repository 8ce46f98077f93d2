package dev.pixelgrad.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Broken, hostile and mismatched files give clear errors naming the file (and the tensor). */
class BadFilesTest {
    @TempDir
    Path dir;

    static WeightFileException refused(Path file, String... mustMention) {
        WeightFileException e = assertThrows(WeightFileException.class, () -> VggWeights.read(file, null, null));
        assertTrue(e.getMessage().startsWith(file.toString()), "message should name the file: " + e.getMessage());
        for (String m : mustMention) {
            assertTrue(e.getMessage().contains(m), "message should mention '" + m + "': " + e.getMessage());
        }
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny_vgg16.pth", "tiny_vgg16_legacy.pth", "tiny_vgg16_timm.safetensors", "tiny_vgg16.caffemodel"})
    void truncatedAtManyOffsets(String name) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.path(name));
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            cuts.add(i);
        }
        for (int i = 1; i < 40; i++) {
            cuts.add((int) ((long) whole.length * i / 40));
        }
        cuts.add(whole.length - 1);
        Path f = dir.resolve("cut_" + name);
        for (int cut : cuts) {
            Files.write(f, Arrays.copyOf(whole, cut));
            try {
                VggWeights.read(f, null, null);
                fail(name + " truncated to " + cut + " of " + whole.length + " bytes was accepted");
            } catch (WeightFileException e) {
                assertTrue(e.getMessage().startsWith(f.toString()), "cut at " + cut + ": " + e.getMessage());
            } catch (RuntimeException e) {
                throw new AssertionError(name + " truncated to " + cut + " bytes: unclear error " + e, e);
            }
        }
    }

    @Test
    void wrongLegacyMagicNumber() throws IOException {
        byte[] b = Files.readAllBytes(Fixtures.path("tiny_vgg16_legacy.pth"));
        b[6] ^= 0x55; // inside the LONG1 magic number
        Path f = dir.resolve("magic.pth");
        Files.write(f, b);
        refused(f, "wrong magic number");
    }

    @Test
    void unknownBytesAreNotAWeightFile() throws IOException {
        Path f = dir.resolve("x.bin");
        Files.writeString(f, "hello, not weights");
        refused(f, "unrecognised weight file");
    }

    @Test
    void forbiddenGlobalThroughGlobalOpcodeIsRefusedAndNeverRun() throws IOException {
        Path marker = dir.resolve("pwned");
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[]{(byte) 0x80, 2});
        p.write("cposix\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        byte[] cmd = ("touch " + marker).getBytes(StandardCharsets.UTF_8);
        p.write('X');
        p.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(cmd.length).array());
        p.write(cmd);
        p.write(new byte[]{(byte) 0x85, 'R', '.'});
        Path f = dir.resolve("evil_legacy.pth");
        Files.write(f, p.toByteArray());
        refused(f, "posix.system", "nothing in the file was run");
        assertFalse(Files.exists(marker));
    }

    @Test
    void forbiddenGlobalThroughStackGlobalInAZipIsRefused() throws IOException {
        Path marker = dir.resolve("pwned2");
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[]{(byte) 0x80, 4});
        shortUnicode(p, "builtins");
        shortUnicode(p, "eval");
        p.write(0x93);
        shortUnicode(p, "open('" + marker + "','w')");
        p.write(new byte[]{(byte) 0x85, 'R', '.'});
        Path f = dir.resolve("evil.pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(p.toByteArray());
            z.closeEntry();
        }
        refused(f, "builtins.eval");
        assertFalse(Files.exists(marker));
    }

    private static void shortUnicode(ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.write(0x8c);
        p.write(b.length);
        p.writeBytes(b);
    }

    @Test
    void nonContiguousTensorIsNamed() {
        refused(Fixtures.path("tiny_vgg16_noncontig.pth"), "classifier.0.weight", "not contiguous");
    }

    /** The tiny VGG-16 as standard-named tensors, to be altered and written back. */
    private static Map<String, RawTensor> standard() {
        return new LinkedHashMap<>(FormatsTest.load("tiny_vgg16.pth").parameters());
    }

    private Path write(String name, Map<String, RawTensor> tensors) throws IOException {
        Path f = dir.resolve(name);
        SafetensorsWriter.write(f, Map.of(), tensors.values(), DType.F32);
        return f;
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Map<String, RawTensor> t = standard();
        t.remove("conv3_2.bias");
        refused(write("missing.safetensors", t), "conv3_2.bias", "missing");
    }

    @Test
    void extraTensorIsNamed() throws IOException {
        Map<String, RawTensor> t = standard();
        t.put("bonus.weight", new RawTensor("bonus.weight", new int[]{2}, DType.F32, new float[]{1, 2}));
        refused(write("extra.safetensors", t), "bonus.weight", "unexpected");
    }

    @Test
    void wrongShapeIsNamed() throws IOException {
        Map<String, RawTensor> t = standard();
        t.put("conv2_1.bias", new RawTensor("conv2_1.bias", new int[]{7}, DType.F32, new float[7]));
        refused(write("shape.safetensors", t), "conv2_1.bias", "[7]", "expects [8]");
    }

    @Test
    void nanAndInfAreNamed() throws IOException {
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY}) {
            Map<String, RawTensor> t = standard();
            RawTensor w = t.get("conv4_1.weight");
            float[] v = w.data().clone();
            v[5] = bad;
            t.put(w.name(), new RawTensor(w.name(), w.shape(), DType.F32, v));
            refused(write("nan.safetensors", t), "conv4_1.weight", String.valueOf(bad));
        }
    }

    /** Rewrites the header of a safetensors fixture, keeping its data. */
    private Path lie(String name, Consumer<JsonObject> edit) throws IOException {
        byte[] b = Files.readAllBytes(Fixtures.path("tiny_vgg16_timm.safetensors"));
        int n = (int) ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonObject h = JsonParser.parseString(new String(b, 8, n, StandardCharsets.UTF_8)).getAsJsonObject();
        edit.accept(h);
        byte[] json = h.toString().getBytes(StandardCharsets.UTF_8);
        Path f = dir.resolve(name);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + b.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(b, 8 + n, b.length - 8 - n);
        Files.write(f, out.array());
        return f;
    }

    private static void offsets(JsonObject h, String tensor, long begin, long end) {
        JsonArray a = new JsonArray();
        a.add(begin);
        a.add(end);
        h.getAsJsonObject(tensor).add("data_offsets", a);
    }

    private static long[] offsetsOf(JsonObject h, String tensor) {
        JsonArray a = h.getAsJsonObject(tensor).getAsJsonArray("data_offsets");
        return new long[]{a.get(0).getAsLong(), a.get(1).getAsLong()};
    }

    @Test
    void safetensorsHeaderThatLiesIsRefused() throws IOException {
        refused(lie("beyond.safetensors", h -> offsets(h, "head.fc.bias", 1L << 30, (1L << 30) + 40)), "head.fc.bias", "outside");
        refused(lie("size.safetensors", h -> {
            long[] o = offsetsOf(h, "features.0.bias");
            offsets(h, "features.0.bias", o[0], o[1] - 4);
        }), "features.0.bias", "needs 16");
        refused(lie("overlap.safetensors", h -> {
            long[] o = offsetsOf(h, "features.0.weight");
            offsets(h, "features.0.bias", o[0], o[0] + 16);
        }), "overlap", "features.0.bias");
        refused(lie("dtype.safetensors", h -> h.getAsJsonObject("features.0.bias").addProperty("dtype", "Q7")), "features.0.bias", "unknown dtype");
        byte[] b = Files.readAllBytes(Fixtures.path("tiny_vgg16_timm.safetensors"));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, b);
        assertThrows(WeightFileException.class, () -> VggWeights.read(huge, null, null));
    }

    @Test
    void failedConversionLeavesNoFile() throws IOException {
        Path out = dir.resolve("out").resolve("converted.safetensors");
        assertThrows(WeightFileException.class,
                () -> Converter.convert(Fixtures.path("tiny_vgg16_noncontig.pth"), out, null, null, false));
        assertFalse(Files.exists(out));
        Map<String, RawTensor> t = standard();
        RawTensor w = t.get("fc6.weight");
        float[] v = w.data().clone();
        v[0] = 1e6f; // does not fit in float16: the write fails midway
        t.put(w.name(), new RawTensor(w.name(), w.shape(), DType.F32, v));
        Path big = write("big.safetensors", t);
        assertThrows(WeightFileException.class, () -> Converter.convert(big, out, null, null, true));
        assertFalse(Files.exists(out));
        if (Files.isDirectory(out.getParent())) {
            try (Stream<Path> s = Files.list(out.getParent())) {
                assertEquals(List.of(), s.toList(), "no temporary files left behind");
            }
        }
    }
}
