package dev.pixelgrad.algorithms;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.optim.OptimizerKind;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlgorithmsTest {
    private final Backend be = Backends.java();
    private final Vgg vgg = TinyVgg.random(be, 7, Preprocessing.TORCHVISION);

    /** A smooth colourful test picture. */
    static RgbImage picture(int h, int w, double phase) {
        float[] rgb = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    rgb[(c * h + y) * w + x] = (float) (0.5 + 0.4 * Math.sin(0.3 * x + 0.2 * y * (c + 1) + phase + c));
                }
            }
        }
        return new RgbImage(rgb, h, w);
    }

    private Tensor net(RgbImage img) {
        return ImageTensors.toNetwork(img, vgg.preprocessing(), be);
    }

    private static final class Recorder implements Monitor {
        final List<Float> losses = new ArrayList<>();
        final List<Map<String, Float>> terms = new ArrayList<>();

        @Override
        public void iteration(int iter, float loss, Map<String, Float> t, Tensor x) {
            assertEquals(losses.size(), iter);
            losses.add(loss);
            terms.add(t);
            assertEquals(LossTerms.sum(t), loss, 1e-5f * Math.abs(loss) + 1e-12f);
        }
    }

    private final ImageOptimization.Settings lbfgs = new ImageOptimization.Settings(OptimizerKind.LBFGS, 8, 0.01f, 5);

    @Test
    void inversionLowersItsLoss() {
        var inv = new FeatureInversion(vgg, net(picture(24, 32, 0)),
                new FeatureInversion.Options(LayerWeights.parse("relu3_1", vgg, 1f), 1e-3f, 2f));
        Tensor x = ImageTensors.leafCopy(net(ImageTensors.noise(24, 32, 1)));
        Recorder r = new Recorder();
        ImageOptimization.run(x, inv::loss, vgg.preprocessing(), lbfgs, r);
        assertEquals(List.of("feature", "tv"), List.copyOf(r.terms.get(0).keySet()));
        assertTrue(r.losses.get(r.losses.size() - 1) < 0.5f * r.losses.get(0), r.losses.toString());
    }

    @Test
    void textureLowersItsLossAtAnotherSize() {
        var tex = new TextureSynthesis(vgg, net(picture(32, 32, 1)),
                new TextureSynthesis.Options(LayerWeights.parse("conv1_1,pool1,pool2,pool3", vgg, null)));
        Tensor x = ImageTensors.leafCopy(net(ImageTensors.noise(40, 24, 2)));
        Recorder r = new Recorder();
        ImageOptimization.run(x, tex::loss, vgg.preprocessing(), lbfgs, r);
        assertTrue(r.losses.get(r.losses.size() - 1) < 0.5f * r.losses.get(0), r.losses.toString());
    }

    @Test
    void styleTransferWithAdamLowersItsLoss() {
        var st = new StyleTransfer(vgg, net(picture(32, 32, 0)), List.of(net(picture(24, 40, 2)), net(picture(32, 32, 3))),
                new float[]{1, 3}, new StyleTransfer.Options(LayerWeights.parse("relu4_2", vgg, null),
                LayerWeights.parse("relu1_1,relu2_1,relu3_1,relu4_1,relu5_1", vgg, null), 1f, 1e3f, 1e-3f, 2f));
        Tensor x = ImageTensors.leafCopy(net(ImageTensors.noise(32, 32, 3)));
        Recorder r = new Recorder();
        ImageOptimization.run(x, st::loss, vgg.preprocessing(),
                new ImageOptimization.Settings(OptimizerKind.ADAM, 20, 0.02f, 5), r);
        assertEquals(List.of("content", "style", "tv"), List.copyOf(r.terms.get(0).keySet()));
        assertTrue(r.losses.get(20) < 0.8f * r.losses.get(0), r.losses.toString());
    }

    @Test
    void dreamRaisesItsObjectiveAndKeepsTheSize() {
        var dd = new DeepDream(vgg, null, new DeepDream.Options(LayerWeights.parse("relu3_1:1,relu4_1:0.5", vgg, 1f),
                5, 3f, 1, 1.4f, 4, 20), 1);
        Tensor img = net(picture(36, 44, 0));
        Recorder r = new Recorder();
        Tensor out = dd.run(img, r);
        assertArrayEquals(img.shape().dims(), out.shape().dims());
        assertEquals(6, r.losses.size());
        assertTrue(r.losses.get(5) > r.losses.get(0), r.losses.toString());
        for (float v : vgg.preprocessing().toRgb(out)) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    @Test
    void guidedDreamWithOctavesRuns() {
        var dd = new DeepDream(vgg, net(picture(40, 40, 2)), new DeepDream.Options(LayerWeights.parse("relu3_1", vgg, 1f),
                3, 2f, 3, 1.3f, 2, 0), 5);
        Tensor img = net(picture(48, 64, 0));
        Recorder r = new Recorder();
        Tensor out = dd.run(img, r);
        assertArrayEquals(img.shape().dims(), out.shape().dims());
        assertEquals(2, dd.octaveSizes(48, 64).size(), "48/1.3^2 < 32: the smallest octave is dropped");
        assertEquals(2 * 3 + 1, r.losses.size());
    }

    @Test
    void tileSplitsHaveNoSlivers() {
        assertArrayEquals(new int[]{0, 35, 70}, DeepDream.splits(70, 64));
        assertArrayEquals(new int[]{0, 64}, DeepDream.splits(64, 64));
    }

    @Test
    void deviceResizeMatchesHostResize() {
        RgbImage img = picture(20, 30, 0);
        RgbImage host = dev.pixelgrad.algorithms.image.Resampling.resize(img, 13, 41);
        Tensor t = Tensor.of(img.rgb(), dev.pixelgrad.tensor.Shape.of(1, 3, 20, 30), be);
        float[] dev = ImageTensors.resize(t, 13, 41).toArray();
        for (int i = 0; i < dev.length; i++) {
            assertEquals(host.rgb()[i], Math.min(1f, Math.max(0f, dev[i])), 1e-5f);
        }
    }
}
