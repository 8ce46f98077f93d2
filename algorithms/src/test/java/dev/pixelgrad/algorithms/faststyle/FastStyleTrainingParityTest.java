package dev.pixelgrad.algorithms.faststyle;

import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.nn.optim.AdamOptions;
import dev.pixelgrad.nn.optim.ParameterAdam;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.tensor.testing.Npy;
import dev.pixelgrad.weights.RawTensor;
import dev.pixelgrad.weights.SourceWeights;
import dev.pixelgrad.weights.WeightFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two training steps of fast style transfer against PyTorch's (fixtures from
 * {@code algorithms/src/test/python/make_fast_style_fixtures.py}): pytorch/examples' transformer
 * at width 4 on batches of 2, the tiny VGG-19 of the loss fixtures, their perceptual loss plus a
 * small TV term. Step 1's loss terms and every parameter's gradient, then step 2's loss terms after
 * one Adam step, each within 1e-4 relative.
 */
class FastStyleTrainingParityTest {
    static final Path FILE = Path.of("src/test/resources/fixtures/fast_style/steps.safetensors");
    static final double TOLERANCE = 1e-4;

    @Test
    void javaTrainingStepsEqualPyTorch() {
        compare(Backends.java());
    }

    @Test
    @Tag("opencl")
    void openClTrainingStepsEqualPyTorch() {
        List<String> why = new ArrayList<>();
        Backend be = Backends.select("opencl", why::add);
        Assumptions.assumeFalse(be == Backends.java(), "no OpenCL backend here: " + String.join("; ", why));
        compare(be);
    }

    private static void compare(Backend be) {
        SourceWeights f = WeightFormat.readAny(FILE);
        Map<String, String> meta = f.metadata();
        Map<String, Tensor> params = new LinkedHashMap<>();
        f.tensors().forEach((name, t) -> {
            if (name.startsWith("param.")) {
                params.put(name.substring(6), tensor(t, be).requiresGrad(true));
            }
        });
        TransformerNet net = TransformerNet.of(params);
        PerceptualLoss.Options options = new PerceptualLoss.Options(List.of(meta.get("content_layers").split(",")),
                List.of(meta.get("style_layers").split(",")), Float.parseFloat(meta.get("content_weight")),
                Float.parseFloat(meta.get("style_weight")), Float.parseFloat(meta.get("tv_weight")));
        PerceptualLoss loss = new PerceptualLoss(tinyVgg(be), tensor(f.tensors().get("style"), be), options);
        FastStyleTraining training = new FastStyleTraining(net, loss, new ParameterAdam(net.parameters(),
                AdamOptions.defaults().withLearningRate(Float.parseFloat(meta.get("learning_rate")))));

        // step 1, with the gradients read before Adam's update: the same as FastStyleTraining.step without the update
        ParameterAdam adam = training.adam();
        adam.zeroGrad();
        Tensor x1 = tensor(f.tensors().get("x1"), be);
        var terms1 = loss.loss(net.forward(x1), x1);
        Map<String, Float> step1 = terms1.values();
        terms1.total().backward();
        checkTerms("step 1 on " + be.name(), step1, f);
        double worstGrad = 0;
        for (var e : net.namedParameters().entrySet()) {
            worstGrad = Math.max(worstGrad, checkGradient(e.getKey(), e.getValue().grad().toArray(), f));
        }
        System.out.printf("fast-style parity %s: worst parameter gradient error %.2e%n", be.name(), worstGrad);
        adam.step();

        Tensor x2 = tensor(f.tensors().get("x2"), be);
        Map<String, Float> step2;
        try (var ignored = dev.pixelgrad.tensor.Grad.disabled()) {
            step2 = loss.loss(net.forward(x2), x2).values();
        }
        checkTerms("step 2 on " + be.name(), step2, f);
    }

    private static void checkTerms(String what, Map<String, Float> actual, SourceWeights f) {
        String step = what.substring(0, what.indexOf(" on")).replace(" ", "");
        for (String term : List.of("content", "style", "tv")) {
            double want = f.tensors().get(step + "." + term).data()[0];
            double rel = Math.abs(actual.get(term) - want) / Math.abs(want);
            System.out.printf("fast-style parity %s %-8s pixelgrad %.8g torch %.8g rel %.2e%n", what, term, actual.get(term), want, rel);
            assertTrue(rel < TOLERANCE, what + " " + term + ": " + actual.get(term) + " vs PyTorch " + want + " (relative " + rel + ")");
        }
    }

    /**
     * The largest |difference| over the largest |PyTorch value| of one gradient. Some biases have a
     * true gradient of 0: a convolution's bias before an instance norm, and the second norm's shift
     * in each residual block, whose every path ends in a convolution and an instance norm (which
     * remove any per-channel constant). There both sides hold rounding noise, so a bias whose
     * reference is below 1e-4 of its weight's gradient is measured against that gradient instead.
     */
    private static double checkGradient(String name, float[] actual, SourceWeights f) {
        float[] want = f.tensors().get("grad1." + name).data();
        double diff = 0, scale = 0;
        for (int i = 0; i < want.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        if (name.endsWith(".bias")) {
            double weightScale = 0;
            for (float v : f.tensors().get("grad1." + name.substring(0, name.length() - 4) + "weight").data()) {
                weightScale = Math.max(weightScale, Math.abs(v));
            }
            if (scale < 1e-4 * weightScale) {
                scale = weightScale;
            }
        }
        double rel = diff / scale;
        assertTrue(rel < TOLERANCE, "gradient of " + name + ": largest difference " + diff + " against largest value " + scale
                + " (relative " + rel + ")");
        return rel;
    }

    private static Tensor tensor(RawTensor t, Backend be) {
        return Tensor.of(t.data(), Shape.of(t.shape()), be);
    }

    private static Vgg tinyVgg(Backend be) {
        VggSpec spec = new VggSpec(VggSpec.Arch.VGG19, new int[]{4, 6, 8, 8, 8}, 16, 10);
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String name : spec.parameterShapes(false).keySet()) {
            Npy.Array a = Npy.read(Path.of("src/test/resources/fixtures/losses/weights", name + ".npy"));
            params.put(name, Tensor.of(a.data(), Shape.of(a.shape()), be));
        }
        return Vgg.of(spec, params, Preprocessing.TORCHVISION, PoolingMode.MAX);
    }
}
