package dev.pixelgrad.weights;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the committed fixtures (regenerate with weights/src/test/python/make_weight_fixtures.py). */
final class Fixtures {
    static final String REGENERATE = "regenerate with /usr/bin/python3 weights/src/test/python/make_weight_fixtures.py";

    private Fixtures() {
    }

    static Path path(String name) {
        try {
            var url = Fixtures.class.getResource("/fixtures/" + name);
            if (url == null) {
                throw new IllegalStateException("fixture " + name + " is missing; " + REGENERATE);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Planar RGB in [0,1] of a PNG, exactly pixel / 255. */
    static float[] rgb(Path png, int[] hw) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        int h = img.getHeight(), w = img.getWidth();
        hw[0] = h;
        hw[1] = w;
        float[] out = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                out[y * w + x] = ((p >> 16) & 0xff) / 255f;
                out[h * w + y * w + x] = ((p >> 8) & 0xff) / 255f;
                out[2 * h * w + y * w + x] = (p & 0xff) / 255f;
            }
        }
        return out;
    }

    /** max |a - b| / max |b|. */
    static double relError(float[] a, float[] b) {
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            maxRef = Math.max(maxRef, Math.abs(b[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-30);
    }
}
