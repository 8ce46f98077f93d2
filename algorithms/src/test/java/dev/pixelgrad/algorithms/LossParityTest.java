package dev.pixelgrad.algorithms;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.tensor.testing.Npy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The iteration-0 loss terms of every algorithm equal PyTorch's for the same tiny VGG-19 and
 * images, within 1e-4 relative. Regenerate the references with
 * {@code python3 algorithms/src/test/python/make_loss_fixtures.py}.
 */
class LossParityTest {
    static final Path DIR = Path.of("src/test/resources/fixtures/losses");
    static final double TOLERANCE = 1e-4;

    private final Backend be = Backends.java();
    private final Map<String, Map<String, Double>> expected = readExpected();

    private static Map<String, Map<String, Double>> readExpected() {
        Map<String, Map<String, Double>> cases = new HashMap<>();
        try {
            for (String line : Files.readAllLines(DIR.resolve("expected.txt"))) {
                String[] parts = line.trim().split(" ");
                Map<String, Double> terms = new LinkedHashMap<>();
                for (int i = 1; i < parts.length; i++) {
                    String[] kv = parts[i].split("=");
                    terms.put(kv[0], Double.parseDouble(kv[1]));
                }
                cases.put(parts[0], terms);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DIR.resolve("expected.txt")
                    + "; run python3 algorithms/src/test/python/make_loss_fixtures.py", e);
        }
        return cases;
    }

    private Vgg vgg(Preprocessing pre, PoolingMode pooling) {
        VggSpec spec = new VggSpec(VggSpec.Arch.VGG19, new int[]{4, 6, 8, 8, 8}, 16, 10);
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String name : spec.parameterShapes(false).keySet()) {
            Npy.Array a = Npy.read(DIR.resolve("weights").resolve(name + ".npy"));
            params.put(name, Tensor.of(a.data(), Shape.of(a.shape()), be));
        }
        return Vgg.of(spec, params, pre, pooling);
    }

    private Tensor image(String name, Preprocessing pre) throws IOException {
        RgbImage img = ImageFiles.read(DIR.resolve(name + ".png"));
        return ImageTensors.toNetwork(img, pre, be);
    }

    /** Relative errors of each term, checked; returns the largest. */
    static final Map<String, Double> worst = new LinkedHashMap<>();

    private void check(String name, Map<String, Float> actual) {
        Map<String, Double> want = expected.get(name);
        assertEquals(want.keySet(), actual.keySet(), name);
        want.forEach((term, v) -> {
            double rel = Math.abs(actual.get(term) - v) / Math.abs(v);
            worst.merge(name + "." + term, rel, Math::max);
            System.out.printf("parity %-18s %-8s java %.8g  torch %.8g  rel %.2e%n", name, term, actual.get(term), v, rel);
            assertTrue(rel < TOLERANCE, name + " " + term + ": java " + actual.get(term) + " vs PyTorch " + v
                    + " (relative error " + rel + "); regenerate with make_loss_fixtures.py if the definition changed");
        });
    }

    private static LayerWeights layers(Vgg vgg, String csv, Float w) {
        return LayerWeights.parse(csv, vgg, w);
    }

    @Test
    void styleTorchvisionTwoStylesBlended() throws IOException {
        Preprocessing pre = Preprocessing.TORCHVISION;
        Vgg vgg = vgg(pre, PoolingMode.MAX);
        var st = new StyleTransfer(vgg, image("content", pre), List.of(image("style", pre), image("guide", pre)),
                new float[]{1, 3}, new StyleTransfer.Options(layers(vgg, "relu4_2", null),
                layers(vgg, "relu1_1,relu2_1,relu3_1,relu4_1,relu5_1", null), 1.5f, 1e3f, 0.5f, 2f));
        check("style_torchvision", st.loss(image("init", pre)).values());
    }

    @Test
    void styleCaffeAveragePooling() throws IOException {
        Preprocessing pre = Preprocessing.CAFFE;
        Vgg vgg = vgg(pre, PoolingMode.MAX).withPooling(PoolingMode.AVG);
        var st = new StyleTransfer(vgg, image("content", pre), List.of(image("style", pre)), null,
                new StyleTransfer.Options(layers(vgg, "relu4_2", null),
                        layers(vgg, "relu1_1,relu2_1,relu3_1,relu4_1,relu5_1", null), 1f, 5e3f, 0.1f, 1.5f));
        check("style_caffe_avg", st.loss(image("init", pre)).values());
    }

    @Test
    void texture() throws IOException {
        Preprocessing pre = Preprocessing.TORCHVISION;
        Vgg vgg = vgg(pre, PoolingMode.MAX);
        var tex = new TextureSynthesis(vgg, image("style", pre),
                new TextureSynthesis.Options(layers(vgg, "conv1_1,pool1,pool2,pool3,pool4", null)));
        check("texture", tex.loss(image("init", pre)).values());
    }

    @Test
    void inversion() throws IOException {
        Preprocessing pre = Preprocessing.TORCHVISION;
        Vgg vgg = vgg(pre, PoolingMode.MAX);
        var inv = new FeatureInversion(vgg, image("content", pre), new FeatureInversion.Options(layers(vgg, "relu3_1", 1f), 0.3f, 1.5f));
        check("invert", inv.loss(image("init", pre)).values());
    }

    private Map<String, Float> dreamAtIterationZero(Vgg vgg, Tensor guide, String layerText) throws IOException {
        var dd = new DeepDream(vgg, guide, new DeepDream.Options(layers(vgg, layerText, 1f), 1, 1f, 1, 1.4f, 0, 0), 0);
        Map<String, Float> first = new LinkedHashMap<>();
        dd.run(image("content", vgg.preprocessing()), (iter, loss, terms, x) -> {
            if (iter == 0) {
                first.putAll(terms);
            }
        });
        return first;
    }

    @Test
    void dream() throws IOException {
        Vgg vgg = vgg(Preprocessing.TORCHVISION, PoolingMode.MAX);
        check("dream", dreamAtIterationZero(vgg, null, "relu4_2:1,relu5_1:0.5"));
    }

    @Test
    void guidedDream() throws IOException {
        Vgg vgg = vgg(Preprocessing.TORCHVISION, PoolingMode.MAX);
        check("dream_guided", dreamAtIterationZero(vgg, image("guide", Preprocessing.TORCHVISION), "relu3_1"));
    }

    /** Images as a batch (N, 3, H, W) in 0-255 RGB, the way a fast style network sees them. */
    private Tensor batch255(String... names) throws IOException {
        List<float[]> planes = new java.util.ArrayList<>();
        int h = 0, w = 0;
        for (String name : names) {
            RgbImage img = ImageFiles.read(DIR.resolve(name + ".png"));
            planes.add(img.rgb());
            h = img.height();
            w = img.width();
        }
        float[] all = new float[names.length * 3 * h * w];
        for (int i = 0; i < names.length; i++) {
            float[] p = planes.get(i);
            for (int j = 0; j < p.length; j++) {
                all[i * p.length + j] = p[j] * 255f;
            }
        }
        return Tensor.of(all, Shape.of(names.length, 3, h, w), be);
    }

    @Test
    void fastStylePerceptualLossOnABatch() throws IOException {
        Vgg vgg = vgg(Preprocessing.TORCHVISION, PoolingMode.MAX);
        var loss = new dev.pixelgrad.algorithms.faststyle.PerceptualLoss(vgg, batch255("style"),
                dev.pixelgrad.algorithms.faststyle.PerceptualLoss.Options.pytorchExamples().withTvWeight(0.5f));
        check("fast_style", loss.loss(batch255("stylised_a", "stylised_b"), batch255("content", "init")).values());
    }
}
