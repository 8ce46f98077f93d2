package dev.pixelgrad.algorithms.faststyle;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StylizerTest {
    private final Backend be = Backends.java();

    private static RgbImage noise(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] rgb = new float[3 * h * w];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = r.nextFloat();
        }
        return new RgbImage(rgb, h, w);
    }

    /** Two 3x3 convolutions 3 -> 3 with zero padding: each output pixel sees 2 pixels around it, no farther. */
    private UnaryOperator<Tensor> localNetwork(List<Shape> seen) {
        Random r = new Random(11);
        float[] w1 = new float[81], w2 = new float[81];
        for (int i = 0; i < 81; i++) {
            w1[i] = (float) r.nextGaussian() * 0.3f;
            w2[i] = (float) r.nextGaussian() * 0.3f;
        }
        Tensor a = Tensor.of(w1, Shape.of(3, 3, 3, 3), be), b = Tensor.of(w2, Shape.of(3, 3, 3, 3), be);
        return x -> {
            seen.add(x.shape());
            Tensor y = Ops.conv2d(x, a, null, Conv2dSpec.of(1, 1));
            return Ops.conv2d(y, b, null, Conv2dSpec.of(1, 1)).scale(0.5f).add(x.scale(0.5f));
        };
    }

    @Test
    void sidesThatAreNoMultipleOf4ArePaddedAndCroppedBack() {
        List<Shape> seen = new ArrayList<>();
        RgbImage out = new Stylizer(localNetwork(seen), be).stylize(noise(21, 30, 1));
        assertEquals(21, out.height());
        assertEquals(30, out.width());
        assertEquals(List.of(Shape.of(1, 3, 24, 32)), seen, "the network sees multiples of 4");
    }

    @Test
    void reflectionPaddingRepeatsNoEdgePixel() {
        RgbImage img = noise(9, 9, 2);
        float[] padded = Stylizer.reflectPad255(img, 12, 12);
        // row 9 mirrors row 7, row 11 mirrors row 5 (as torch.nn.ReflectionPad2d)
        assertEquals(img.rgb()[7 * 9 + 3] * 255f, padded[9 * 12 + 3], 1e-4f);
        assertEquals(img.rgb()[5 * 9 + 3] * 255f, padded[11 * 12 + 3], 1e-4f);
        assertEquals(img.rgb()[4 * 9 + 7] * 255f, padded[4 * 12 + 9], 1e-4f);
    }

    /** With a network that sees 2 pixels around, tiles overlapping by 16 (4 left out at each inner edge) give the whole image's result. */
    @Test
    void tilesCrossFadeToTheWholeImagesResult() {
        RgbImage img = noise(72, 100, 3);
        Stylizer s = new Stylizer(localNetwork(new ArrayList<>()), be);
        RgbImage whole = s.stylize(img), tiled = s.stylizeTiled(img, 40, 16);
        float worst = 0;
        for (int i = 0; i < whole.rgb().length; i++) {
            worst = Math.max(worst, Math.abs(whole.rgb()[i] - tiled.rgb()[i]));
        }
        assertTrue(worst < 1e-5f, "largest difference " + worst);
    }

    @Test
    void tileStartsCoverTheSideAndEndFlush() {
        assertEquals(List.of(0), Stylizer.starts(30, 32, 8));
        assertEquals(List.of(0, 24, 48, 68), Stylizer.starts(100, 32, 8));
        float[] r = Stylizer.ramp(32, 16, true, true);
        assertEquals(0f, r[0]);
        assertEquals(0f, r[3]);
        assertTrue(r[4] > 0f && r[4] < r[10] && r[31] == 0f);
        assertEquals(1f, Stylizer.ramp(64, 16, true, true)[32]);
    }

    @Test
    void imagesTooSmallOrBadTilesAreRefused() {
        Stylizer s = new Stylizer(localNetwork(new ArrayList<>()), be);
        var e = assertThrows(IllegalArgumentException.class, () -> s.stylize(noise(5, 40, 4)));
        assertEquals("stylize: the image is 40x5 px; the network needs at least 8x8", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.stylizeTiled(noise(40, 40, 4), 16, 8));
    }
}
