package dev.pixelgrad.weights;

import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading and saving fast-style transformer networks, and the files that are refused. */
class TransformerNetWeightsTest {
    private final Backend be = Backends.java();

    private static Path fixture(String name) {
        return Fixtures.path("transformer/" + name);
    }

    private float[] output(TransformerNet net) {
        float[] x = new float[3 * 8 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 53 % 256;
        }
        return net.forward(Tensor.of(x, Shape.of(1, 3, 8, 12), be)).toArray();
    }

    @Test
    void everyFormatGivesTheSameNetwork() {
        TransformerNetWeights.Loaded zip = TransformerNetWeights.load(fixture("transformer_w4.pth"), be);
        assertEquals(WeightFormat.TORCH_ZIP, zip.format());
        assertEquals(4, zip.net().width());
        assertEquals(Map.of(), zip.training());
        float[] ref = output(zip.net());
        for (String name : List.of("transformer_w4_legacy.pth", "transformer_w4_running.pth", "transformer_w4.safetensors")) {
            TransformerNetWeights.Loaded l = TransformerNetWeights.load(fixture(name), be);
            assertEquals(4, l.net().width(), name);
            assertEquals(new ArrayList<>(zip.net().namedParameters().keySet()), new ArrayList<>(l.net().namedParameters().keySet()), name);
            assertArrayEquals(ref, output(l.net()), name);
        }
        assertEquals(Map.of("note", "seeded random weights, not trained"),
                TransformerNetWeights.load(fixture("transformer_w4.safetensors"), be).training());
        assertFalse(zip.net().parameters().get(0).requiresGrad());
    }

    @Test
    void theStaleRunningStatisticsOfOldCheckpointsAreDropped() {
        Map<String, RawTensor> raw = WeightFormat.readAny(fixture("transformer_w4_running.pth")).tensors();
        assertTrue(raw.containsKey("in1.running_mean") && raw.containsKey("res2.in1.running_var"));
        TransformerNet net = TransformerNetWeights.load(fixture("transformer_w4_running.pth"), be).net();
        assertEquals(62, net.namedParameters().size());
    }

    @Test
    void saveThenLoadKeepsParametersAndMetadata(@TempDir Path dir) throws IOException {
        TransformerNet net = TransformerNet.initialized(3, 11, be);
        Map<String, String> training = new LinkedHashMap<>();
        training.put("style_sha256", "ab12");
        training.put("content_weight", "100000");
        training.put("style_weight", "1e10");
        training.put("style_layers", "relu1_2,relu2_2,relu3_3,relu4_3");
        training.put("vgg", "vgg16");
        training.put("iterations", "40000");
        Path out = dir.resolve("candy.safetensors");
        TransformerNetWeights.save(net, training, out);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(out), files.toList(), "only the finished file is left");
        }
        TransformerNetWeights.Loaded back = TransformerNetWeights.load(out, be);
        assertEquals(WeightFormat.SAFETENSORS, back.format());
        assertEquals(3, back.net().width());
        assertEquals(new java.util.TreeMap<>(training), back.training());
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), back.net().namedParameters().get(e.getKey()).toArray(), e.getKey());
        }
        Map<String, String> meta = SafetensorsReader.read(out).metadata();
        assertEquals(TransformerNetWeights.FORMAT_ID, meta.get("format"));
        assertEquals("1", meta.get("format_version"));
        assertEquals("transformer_net", meta.get("architecture"));
        assertEquals("3", meta.get("width"));
        assertEquals("40000", meta.get("training.iterations"));
    }

    private String refused(Path file) {
        WeightFileException e = assertThrows(WeightFileException.class, () -> TransformerNetWeights.load(file, be));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aVggFileIsNotATransformerNetwork(@TempDir Path dir) throws IOException {
        String m = refused(Fixtures.path("tiny_vgg16.pth"));
        assertTrue(m.contains("not a fast-style transformer network") && m.contains("conv1.conv2d.weight")
                && m.contains("features.0.weight") && m.contains("VGG"), m);
        Path converted = dir.resolve("vgg16.safetensors");
        Converter.convert(Fixtures.path("tiny_vgg16.pth"), converted, null, null, false);
        m = refused(converted);
        assertTrue(m.contains("a pixelgrad-vgg file (vgg16); expected a fast-style transformer network"), m);
    }

    @Test
    void truncatedFilesAreRefused(@TempDir Path dir) throws IOException {
        for (String name : List.of("transformer_w4.pth", "transformer_w4_legacy.pth", "transformer_w4.safetensors")) {
            byte[] all = Files.readAllBytes(fixture(name));
            Path cut = dir.resolve("cut_" + name);
            Files.write(cut, Arrays.copyOf(all, all.length * 2 / 3));
            String m = refused(cut);
            assertTrue(m.contains("truncated") || m.contains("beyond the end") || m.contains("corrupt"), m);
        }
        // cut inside the JSON header: recognised as a safetensors file, and said to be cut
        Path cut = dir.resolve("header_cut.safetensors");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(fixture("transformer_w4.safetensors")), 100));
        String m = refused(cut);
        assertTrue(m.contains("a truncated safetensors file: its header alone claims"), m);
    }

    /** Writes the fixture's tensors after {@code edit} as a bare safetensors file. */
    private Path edited(Path dir, java.util.function.Consumer<Map<String, RawTensor>> edit) throws IOException {
        Map<String, RawTensor> t = new LinkedHashMap<>(WeightFormat.readAny(fixture("transformer_w4.pth")).tensors());
        edit.accept(t);
        Path out = dir.resolve("edited.safetensors");
        SafetensorsWriter.write(out, Map.of(), t.values(), DType.F32);
        return out;
    }

    @Test
    void aMissingUnexpectedOrMisshapedParameterIsNamed(@TempDir Path dir) throws IOException {
        String m = refused(edited(dir, t -> t.remove("res4.conv2.conv2d.bias")));
        assertTrue(m.contains("missing parameters res4.conv2.conv2d.bias"), m);
        m = refused(edited(dir, t -> t.put("res6.in1.weight", new RawTensor("res6.in1.weight", new int[]{16}, DType.F32, new float[16]))));
        assertTrue(m.contains("unexpected parameters res6.in1.weight"), m);
        m = refused(edited(dir, t -> t.put("in4.bias", new RawTensor("in4.bias", new int[]{7}, DType.F32, new float[7]))));
        assertTrue(m.contains("parameter in4.bias has shape [7] but [8] is expected"), m);
    }

    @Test
    void metadataThatContradictsTheTensorsIsRefused(@TempDir Path dir) throws IOException {
        Map<String, RawTensor> t = WeightFormat.readAny(fixture("transformer_w4.pth")).tensors();
        Path out = dir.resolve("w.safetensors");
        SafetensorsWriter.write(out, TransformerNetWeights.metadata(8, Map.of()), t.values(), DType.F32);
        String m = refused(out);
        assertTrue(m.contains("metadata says width 8 but conv1.conv2d.weight has shape [4, 3, 9, 9] (width 4)"), m);
        Map<String, String> future = new LinkedHashMap<>(TransformerNetWeights.metadata(4, Map.of()));
        future.put("format_version", "2");
        SafetensorsWriter.write(out, future, t.values(), DType.F32);
        m = refused(out);
        assertTrue(m.contains("version 2; this Pixelgrad reads version 1"), m);
    }
}
