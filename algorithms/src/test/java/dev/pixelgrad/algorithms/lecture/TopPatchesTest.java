package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopPatchesTest {
    private static final Vgg VGG = TinyClassifier.random(Backends.java(), 3);

    private static RgbImage picture(int h, int w, double phase) {
        float[] rgb = new float[3 * h * w];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (float) (0.5 + 0.45 * Math.sin(0.17 * i + phase) * Math.cos(0.031 * i));
        }
        return new RgbImage(rgb, h, w);
    }

    /** Every activation of the channel in every image, by brute force. */
    private static List<Float> allActivations(String layer, int channel, List<RgbImage> images) {
        List<Float> all = new ArrayList<>();
        for (RgbImage img : images) {
            try (Grad.Scope ignored = Grad.disabled()) {
                Tensor a = VGG.forward(VGG.preprocessing().fromRgb(img.rgb(), img.height(), img.width(), Backends.java()),
                        List.of(layer)).get(layer);
                int hw = a.shape().dim(2) * a.shape().dim(3);
                float[] v = a.toArray();
                for (int i = 0; i < hw; i++) {
                    all.add(v[channel * hw + i]);
                }
            }
        }
        all.sort(Comparator.reverseOrder());
        return all;
    }

    @Test
    void theStrongestActivationsOfAllImagesInOrderWithTheirFieldsInsideTheImage() {
        List<RgbImage> images = List.of(picture(40, 52, 0), picture(36, 36, 1), picture(50, 30, 2));
        TopPatches top = new TopPatches(VGG, "relu2_2", 1, 7);
        for (int i = 0; i < images.size(); i++) {
            top.add("img" + i, images.get(i));
        }
        List<TopPatches.Patch> ranked = top.ranked();
        List<Float> expected = allActivations("relu2_2", 1, images).subList(0, 7);
        assertEquals(expected, ranked.stream().map(TopPatches.Patch::activation).toList());
        ReceptiveField field = top.field();
        assertEquals(new ReceptiveField(14, 2, -6), field);
        for (TopPatches.Patch p : ranked) {
            RgbImage img = images.get(Integer.parseInt(p.image().substring(3)));
            int[] b = p.box();
            assertTrue(b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= img.height() && b[1] + b[3] <= img.width(), p.image());
            assertArrayEquals(field.clippedBox(p.y(), p.x(), img.height(), img.width()), b);
            assertEquals(Math.max(0, -6 + 2 * p.y()), b[0]);
            assertEquals(Math.min(img.width(), -6 + 2 * p.x() + 14) - b[1], b[3]);
            assertArrayEquals(img.crop(b[0], b[1], b[2], b[3]).rgb(), p.crop().rgb());
            assertEquals(64, top.tile(p, 64).height());
        }
    }

    @Test
    void aChannelTheLayerLacksNamesItsChannelCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TopPatches(VGG, "relu2_1", 6, 4));
        assertEquals("--channel 6: relu2_1 has 6 channels (0 to 5)", e.getMessage());
    }

    @Test
    void anUnknownLayerListsTheValidOnesAndFullyConnectedLayersAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TopPatches(VGG, "relu9_9", 0, 4));
        assertTrue(e.getMessage().contains("relu9_9") && e.getMessage().contains("relu4_3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TopPatches(VGG, "fc7", 0, 4));
        assertTrue(e.getMessage().contains("fully connected"), e.getMessage());
    }

    @Test
    void amongEqualActivationsTheEarlierImageComesFirst() {
        RgbImage img = picture(32, 32, 0);
        TopPatches top = new TopPatches(VGG, "conv1_1", 0, 3);
        top.add("first", img);
        top.add("second", img);
        List<TopPatches.Patch> r = top.ranked();
        assertEquals(List.of("first", "second", "first"), r.stream().map(TopPatches.Patch::image).toList());
        assertEquals(r.get(0).activation(), r.get(1).activation());
        assertTrue(r.get(1).activation() > r.get(2).activation());
    }
}
