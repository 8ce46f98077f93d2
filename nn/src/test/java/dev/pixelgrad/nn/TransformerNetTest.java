package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Structure, initialisation and checks of the fast-style network (PyTorch parity is in weights/). */
class TransformerNetTest {
    private final Backend be = Backends.java();

    @Test
    void namesOrderAndSizesAreThoseOfPyTorchsStateDict() {
        List<String> names = new ArrayList<>(TransformerNet.parameterShapes(32).keySet());
        assertEquals(62, names.size());
        assertEquals(List.of("conv1.conv2d.weight", "conv1.conv2d.bias", "in1.weight", "in1.bias",
                "conv2.conv2d.weight", "conv2.conv2d.bias", "in2.weight", "in2.bias",
                "conv3.conv2d.weight", "conv3.conv2d.bias", "in3.weight", "in3.bias",
                "res1.conv1.conv2d.weight", "res1.conv1.conv2d.bias", "res1.in1.weight", "res1.in1.bias",
                "res1.conv2.conv2d.weight", "res1.conv2.conv2d.bias", "res1.in2.weight", "res1.in2.bias"), names.subList(0, 20));
        assertEquals(List.of("deconv1.conv2d.weight", "deconv1.conv2d.bias", "in4.weight", "in4.bias",
                "deconv2.conv2d.weight", "deconv2.conv2d.bias", "in5.weight", "in5.bias",
                "deconv3.conv2d.weight", "deconv3.conv2d.bias"), names.subList(52, 62));
        // parameter counts PyTorch gives for TransformerNet at widths 32 and 16
        assertEquals(1_679_235, TransformerNet.parameterShapes(32).values().stream().mapToInt(Shape::numel).sum());
        assertEquals(424_899, TransformerNet.parameterShapes(16).values().stream().mapToInt(Shape::numel).sum());
        assertEquals(Shape.of(64, 128, 3, 3), TransformerNet.parameterShapes(32).get("deconv1.conv2d.weight"));
    }

    @Test
    void initialisationIsPyTorchsDefaultAndSeeded() {
        TransformerNet net = TransformerNet.initialized(4, 7, be);
        assertEquals(4, net.width());
        assertEquals(new ArrayList<>(TransformerNet.parameterShapes(4).keySet()), new ArrayList<>(net.namedParameters().keySet()));
        assertEquals(List.copyOf(net.namedParameters().values()), net.parameters());
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            String name = e.getKey();
            float[] v = e.getValue().toArray();
            assertTrue(e.getValue().requiresGrad(), name);
            if (name.contains(".conv2d.")) {
                Shape w = net.namedParameters().get(name.replace(".bias", ".weight")).shape();
                double bound = 1 / Math.sqrt(w.dim(1) * w.dim(2) * w.dim(3));
                double max = 0;
                for (float x : v) {
                    max = Math.max(max, Math.abs(x));
                }
                assertTrue(max <= bound && (v.length < 8 || max > 0.5 * bound), name + ": max " + max + ", bound " + bound);
            } else {
                for (float x : v) {
                    assertEquals(name.endsWith(".weight") ? 1f : 0f, x, name);
                }
            }
        }
        assertArrayEquals(net.parameters().get(0).toArray(), TransformerNet.initialized(4, 7, be).parameters().get(0).toArray());
        assertNotEquals(net.parameters().get(0).toArray()[0], TransformerNet.initialized(4, 8, be).parameters().get(0).toArray()[0]);
    }

    @Test
    void forwardKeepsTheShapeAndReachesEveryParameter() {
        TransformerNet net = TransformerNet.initialized(2, 1, be);
        float[] x = new float[2 * 3 * 8 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 37 % 256);
        }
        Tensor y = net.forward(Tensor.of(x, Shape.of(2, 3, 8, 12), be));
        assertEquals(Shape.of(2, 3, 8, 12), y.shape());
        y.mul(y).sum().backward();
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            assertTrue(e.getValue().grad() != null, e.getKey() + " got no gradient");
        }
    }

    @Test
    void ofKeepsTheTensorsAndPutsThemInOrder() {
        TransformerNet a = TransformerNet.initialized(2, 3, be);
        List<Map.Entry<String, Tensor>> entries = new ArrayList<>(a.namedParameters().entrySet());
        Map<String, Tensor> reversed = new LinkedHashMap<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            reversed.put(entries.get(i).getKey(), entries.get(i).getValue());
        }
        TransformerNet b = TransformerNet.of(reversed);
        assertEquals(2, b.width());
        assertEquals(new ArrayList<>(a.namedParameters().keySet()), new ArrayList<>(b.namedParameters().keySet()));
        assertSame(a.namedParameters().get("in3.bias"), b.namedParameters().get("in3.bias"));
    }

    @Test
    void aBadParameterMapIsNamed() {
        Map<String, Tensor> p = new LinkedHashMap<>(TransformerNet.initialized(2, 3, be).namedParameters());
        p.remove("res3.in2.weight");
        p.put("res6.in1.weight", Tensor.zeros(Shape.of(8), be));
        String m = assertThrows(IllegalArgumentException.class, () -> TransformerNet.of(p)).getMessage();
        assertTrue(m.contains("missing parameters res3.in2.weight") && m.contains("unexpected parameters res6.in1.weight"), m);

        Map<String, Tensor> q = new LinkedHashMap<>(TransformerNet.initialized(2, 3, be).namedParameters());
        q.put("in2.bias", Tensor.zeros(Shape.of(5), be));
        m = assertThrows(IllegalArgumentException.class, () -> TransformerNet.of(q)).getMessage();
        assertTrue(m.contains("parameter in2.bias has shape [5] but [4] is expected"), m);

        m = assertThrows(IllegalArgumentException.class, () -> TransformerNet.of(Map.of("features.0.weight", Tensor.zeros(Shape.of(1), be))))
                .getMessage();
        assertTrue(m.contains("no parameter conv1.conv2d.weight") && m.contains("features.0.weight"), m);
    }

    @Test
    void inputsItCannotTakeAreRefused() {
        TransformerNet net = TransformerNet.initialized(2, 1, be);
        String m = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(Shape.of(1, 3, 10, 12), be))).getMessage();
        assertTrue(m.contains("multiples of 4") && m.contains("10x12"), m);
        m = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(Shape.of(1, 3, 4, 12), be))).getMessage();
        assertTrue(m.contains("at least 8") && m.contains("4x12"), m);
        m = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(Shape.of(1, 4, 8, 8), be))).getMessage();
        assertTrue(m.contains("(N, 3, H, W)") && m.contains("[1,4,8,8]"), m);
        assertThrows(IllegalArgumentException.class, () -> TransformerNet.parameterShapes(0));
    }
}
