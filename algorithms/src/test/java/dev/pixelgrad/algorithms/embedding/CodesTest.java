package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.lecture.TinyClassifier;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodesTest {
    private static List<RgbImage> pictures(int n, int side) {
        Random r = new Random(5);
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] rgb = new float[3 * side * side];
            for (int j = 0; j < rgb.length; j++) {
                rgb[j] = r.nextFloat();
            }
            images.add(new RgbImage(rgb, side, side));
        }
        return images;
    }

    private static void batchEqualsOneByOne(Backend be) {
        Vgg vgg = TinyClassifier.random(be, 3);
        List<RgbImage> images = pictures(3, 224);
        for (String layer : List.of("relu7", "relu5_3", "pool5")) {
            float[][] batch = Codes.of(vgg, images, layer);
            assertEquals(3, batch.length);
            for (int i = 0; i < images.size(); i++) {
                float[] one = Codes.of(vgg, images.get(i), layer);
                assertEquals(one.length, batch[i].length, layer);
                for (int k = 0; k < one.length; k++) {
                    assertEquals(one[k], batch[i][k], 1e-5f * (1 + Math.abs(one[k])), layer + " image " + i + " value " + k);
                }
            }
        }
    }

    @Test
    void aBatchGivesEachImageItsOwnCode() {
        batchEqualsOneByOne(Backends.java());
    }

    @Test
    @Tag("opencl")
    void aBatchGivesEachImageItsOwnCodeOnOpenCl() {
        List<String> why = new ArrayList<>();
        Backend be = Backends.select("opencl", why::add);
        Assumptions.assumeFalse(be == Backends.java(), "no OpenCL backend here: " + String.join("; ", why));
        batchEqualsOneByOne(be);
    }

    @Test
    void aConvLayersCodeIsTheMeanOverPositions() {
        Vgg vgg = TinyClassifier.random(Backends.java(), 3);
        RgbImage image = pictures(1, 32).get(0);
        float[] code = Codes.of(vgg, image, "relu2_1");
        float[] map;
        int c;
        try (Grad.Scope ignored = Grad.disabled();
             Tensor x = vgg.preprocessing().fromRgb(image.rgb(), 32, 32, Backends.java());
             Tensor a = vgg.forward(x, List.of("relu2_1")).get("relu2_1")) {
            map = a.toArray();
            c = a.shape().dim(1);
            assertEquals(16 * 16, a.shape().dim(2) * a.shape().dim(3));
        }
        assertEquals(c, code.length);
        for (int k = 0; k < c; k++) {
            double sum = 0;
            for (int i = 0; i < 256; i++) {
                sum += map[k * 256 + i];
            }
            assertEquals(sum / 256, code[k], 1e-6, "channel " + k);
        }
    }

    @Test
    void aBatchOfMixedSizesIsRefused() {
        Vgg vgg = TinyClassifier.random(Backends.java(), 3);
        List<RgbImage> images = List.of(pictures(1, 32).get(0), pictures(1, 40).get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Codes.of(vgg, images, "relu5_3"));
        assertTrue(e.getMessage().contains("32x32") && e.getMessage().contains("40x40"), e.getMessage());
    }
}
