package dev.pixelgrad.weights;

import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Activations at every relu match PyTorch 1.13's (fixtures/features/...) within 1e-4 relative
 * (max abs error over max abs reference).
 */
class ParityTest {
    static final double TOL = 1e-4;

    /** Runs the network on image.png and compares every relu; returns the worst error. */
    static double compareFeatures(Vgg vgg, String refDir, Backend be) throws IOException {
        int[] hw = new int[2];
        float[] rgb = Fixtures.rgb(Fixtures.path("image.png"), hw);
        List<String> relus = new ArrayList<>();
        for (String l : vgg.layerNames()) {
            if (l.startsWith("relu") && l.contains("_")) {
                relus.add(l);
            }
        }
        Map<String, Tensor> out = vgg.forward(vgg.preprocessing().fromRgb(rgb, hw[0], hw[1], be), relus);
        double worst = 0;
        for (String l : relus) {
            Npy.Array ref = Npy.read(Fixtures.path("features/" + refDir + "/" + l + ".npy"));
            Tensor t = out.get(l);
            assertArrayEquals(ref.shape(), t.shape().dims(), refDir + "/" + l + ": shape");
            double err = Fixtures.relError(t.toArray(), ref.data());
            assertTrue(err <= TOL, refDir + "/" + l + ": max relative error " + err + " > " + TOL + " on " + be.name() + "; "
                    + Fixtures.REGENERATE);
            worst = Math.max(worst, err);
        }
        return worst;
    }

    @Test
    void vgg16FeaturesMatchPyTorch() throws IOException {
        Backend be = Backends.java();
        double err = compareFeatures(VggWeights.load(Fixtures.path("tiny_vgg16.pth"), be), "vgg16", be);
        System.out.printf("parity vgg16 (zip, java): max relative error %.3g%n", err);
    }

    @Test
    void vgg19FeaturesMatchPyTorch() throws IOException {
        Backend be = Backends.java();
        double err = compareFeatures(VggWeights.load(Fixtures.path("tiny_vgg19.pth"), be), "vgg19", be);
        System.out.printf("parity vgg19 (zip, java): max relative error %.3g%n", err);
    }

    @Test
    void caffeModelWithCaffePreprocessingMatchesPyTorch() throws IOException {
        Backend be = Backends.java();
        double err = compareFeatures(VggWeights.load(Fixtures.path("tiny_vgg16.caffemodel"), be), "vgg16_caffe", be);
        System.out.printf("parity vgg16 (caffemodel, caffe preprocessing, java): max relative error %.3g%n", err);
    }

    @Test
    void convertedFileGivesTheSameFeatures(@TempDir Path dir) throws IOException {
        Backend be = Backends.java();
        Path out = dir.resolve("v19.safetensors");
        Converter.convert(Fixtures.path("tiny_vgg19.caffemodel"), out, null, dev.pixelgrad.nn.Preprocessing.TORCHVISION, false);
        compareFeatures(VggWeights.load(out, be), "vgg19", be);
    }

    @Test
    void logitsMatchPyTorch() throws IOException {
        Backend be = Backends.java();
        Vgg vgg = VggWeights.load(Fixtures.path("tiny_vgg16_legacy.pth"), be);
        int[] hw = new int[2];
        float[] rgb = Fixtures.rgb(Fixtures.path("image224.png"), hw);
        float[] logits = vgg.forward(vgg.preprocessing().fromRgb(rgb, hw[0], hw[1], be)).toArray();
        Npy.Array ref = Npy.read(Fixtures.path("logits/vgg16_image224.npy"));
        double err = Fixtures.relError(logits, ref.data());
        System.out.printf("parity vgg16 logits (legacy, java): max relative error %.3g%n", err);
        assertTrue(err <= TOL, "logits: max relative error " + err);
    }

    @Test
    @Tag("opencl")
    void featuresMatchOnOpenCl() throws IOException {
        List<String> why = new ArrayList<>();
        Backend be = Backends.select("opencl", why::add);
        Assumptions.assumeFalse(be == Backends.java(), "no OpenCL backend here: " + String.join("; ", why));
        compareFeatures(VggWeights.load(Fixtures.path("tiny_vgg16.pth"), be), "vgg16", be);
        compareFeatures(VggWeights.load(Fixtures.path("tiny_vgg19.pth"), be), "vgg19", be);
    }
}
