package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A forward pass without a tape frees what the next layer has read; with a tape it keeps everything for backward. */
class IntermediatesTest {
    private final Backend be = Backends.java();

    /** A layer that adds 1 and remembers what it returned. */
    private static Module recording(List<Tensor> outputs) {
        return x -> {
            Tensor y = x.add(Tensor.full(x.shape(), 1f, x.backend()));
            outputs.add(y);
            return y;
        };
    }

    private static boolean released(Tensor t) {
        try {
            t.data();
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    @Test
    void withoutATapeOnlyTheInputTapsAndResultSurvive() {
        List<Tensor> outputs = new ArrayList<>();
        Sequential seq = new Sequential().add("a", recording(outputs)).add("b", recording(outputs))
                .add("c", recording(outputs)).add("d", recording(outputs));
        Tensor x = Tensor.full(Shape.of(1, 1, 2, 2), 0f, be);
        Map<String, Tensor> taps;
        try (Grad.Scope ignored = Grad.disabled()) {
            taps = seq.forward(x, Set.of("b", "d"));
        }
        assertFalse(released(x));
        assertTrue(released(outputs.get(0)), "a: read by b, not a tap");
        assertFalse(released(outputs.get(1)), "b: a tap");
        assertTrue(released(outputs.get(2)), "c: read by d, not a tap");
        assertEquals(2f, taps.get("b").toArray()[0]);
        assertEquals(4f, taps.get("d").toArray()[0]);
    }

    @Test
    void withATapeNothingIsFreedBeforeBackward() {
        List<Tensor> outputs = new ArrayList<>();
        Sequential seq = new Sequential().add("a", recording(outputs)).add("b", recording(outputs));
        Tensor x = Tensor.full(Shape.of(1, 1, 2, 2), 0f, be).requiresGrad(true);
        Tensor y = seq.forward(x);
        assertFalse(released(outputs.get(0)));
        Ops.sse(y, Tensor.full(y.shape(), 0f, be)).backward();
        assertEquals(4f, x.grad().toArray()[0], 1e-6f);   // d/dx sum (x + 2)^2 = 2 (x + 2) = 4
    }

    /** A convolution that remembers its output. */
    private static Module recordingConv(Tensor w, List<Tensor> outputs) {
        Conv2d conv = new Conv2d(w, null, dev.pixelgrad.tensor.Conv2dSpec.of(1, 1));
        return new Module() {
            @Override
            public Tensor forward(Tensor x) {
                Tensor y = conv.forward(x);
                outputs.add(y);
                return y;
            }

            @Override
            public boolean backwardReadsOutput() {
                return conv.backwardReadsOutput();
            }
        };
    }

    @Test
    void withATapeAConvolutionsOutputGoesOnceItsReluHasReadIt() {
        Random rnd = new Random(4);
        float[] wv = new float[2 * 2 * 3 * 3], xv = new float[2 * 5 * 5];
        for (int i = 0; i < wv.length; i++) {
            wv[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < xv.length; i++) {
            xv[i] = (float) rnd.nextGaussian();
        }
        Tensor w = Tensor.of(wv, Shape.of(2, 2, 3, 3), be);
        List<Tensor> convOutputs = new ArrayList<>();
        Sequential seq = new Sequential().add("conv1", new Conv2d(w, null, dev.pixelgrad.tensor.Conv2dSpec.of(1, 1)))
                .add("relu1", new Relu()).add("conv2", new Conv2d(w, null, dev.pixelgrad.tensor.Conv2dSpec.of(1, 1)))
                .add("relu2", new Relu());
        Tensor x = Tensor.of(xv, Shape.of(1, 2, 5, 5), be).requiresGrad(true);
        Map<String, Tensor> taps = seq.forward(x, List.of("relu1", "relu2"));
        Ops.sse(taps.get("relu2"), Tensor.full(taps.get("relu2").shape(), 0f, be)).backward();
        float[] grad = x.grad().toArray();

        // the same chain through the ops, where every intermediate stays until backward
        Tensor x2 = Tensor.of(xv, Shape.of(1, 2, 5, 5), be).requiresGrad(true);
        Tensor c1 = Ops.conv2d(x2, w, null, dev.pixelgrad.tensor.Conv2dSpec.of(1, 1));
        Tensor r2 = Ops.relu(Ops.conv2d(Ops.relu(c1), w, null, dev.pixelgrad.tensor.Conv2dSpec.of(1, 1)));
        Ops.sse(r2, Tensor.full(r2.shape(), 0f, be)).backward();
        assertArrayEquals(x2.grad().toArray(), grad, 1e-6f);

        // a convolution that is itself a tap keeps its values
        List<Tensor> outputs = new ArrayList<>();
        Sequential tapped = new Sequential().add("conv1", recordingConv(w, outputs)).add("relu1", new Relu())
                .add("conv2", recordingConv(w, outputs)).add("relu2", new Relu());
        Tensor x3 = Tensor.of(xv, Shape.of(1, 2, 5, 5), be).requiresGrad(true);
        tapped.forward(x3, List.of("conv1", "relu2"));
        assertFalse(released(outputs.get(0)), "conv1 is a tap");
        assertTrue(released(outputs.get(1)), "conv2's output is read by relu2 only, and ReLU's backward reads its own output");
    }

    @Test
    void theTransformerGivesTheSameImageAndFreesItsActivations() {
        TransformerNet net = TransformerNet.initialized(4, 7, be);
        float[] v = new float[2 * 3 * 16 * 20];
        Random rnd = new Random(3);
        for (int i = 0; i < v.length; i++) {
            v[i] = 255f * rnd.nextFloat();
        }
        Tensor x = Tensor.of(v, Shape.of(2, 3, 16, 20), be);
        float[] withTape = net.forward(x).toArray();
        float[] without;
        try (Grad.Scope ignored = Grad.disabled()) {
            without = net.forward(x).toArray();
        }
        assertArrayEquals(withTape, without);
        assertFalse(released(x));
    }
}
