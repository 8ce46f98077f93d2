package dev.pixelgrad.algorithms.cli;

import javax.imageio.ImageIO;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Image loading for the features and classify commands, on java's ImageIO: planar RGB floats in
 * [0,1], exactly pixel / 255, resampled (bilinear) only when the requested size differs.
 * A stand-in until the shared image module (dev.pixelgrad.algorithms.image.ImageFiles) is used here.
 */
final class CliImages {
    /** Planar RGB (3, h, w) in [0,1]. */
    record Rgb(int h, int w, float[] data) {
    }

    private CliImages() {
    }

    static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such image file");
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IllegalArgumentException(file + ": not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
        }
        return img;
    }

    /** Scales so the long side is {@code longSide} (no resampling when it already is; 0 keeps the size). */
    static BufferedImage longSide(BufferedImage img, int longSide) {
        int h = img.getHeight(), w = img.getWidth();
        if (longSide <= 0 || Math.max(h, w) == longSide) {
            return img;
        }
        double s = (double) longSide / Math.max(h, w);
        return scale(img, Math.max(1, (int) Math.round(w * s)), Math.max(1, (int) Math.round(h * s)));
    }

    /** Scales so the short side is {@code size}, then crops the centre {@code size x size}. */
    static BufferedImage shortSideAndCenterCrop(BufferedImage img, int size) {
        int h = img.getHeight(), w = img.getWidth();
        if (Math.min(h, w) != size) {
            double s = (double) size / Math.min(h, w);
            img = scale(img, Math.max(size, (int) Math.round(w * s)), Math.max(size, (int) Math.round(h * s)));
        }
        int x0 = (img.getWidth() - size) / 2, y0 = (img.getHeight() - size) / 2;
        return img.getSubimage(x0, y0, size, size);
    }

    static Rgb rgb(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth();
        float[] out = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                out[y * w + x] = ((p >> 16) & 0xff) / 255f;
                out[h * w + y * w + x] = ((p >> 8) & 0xff) / 255f;
                out[2 * h * w + y * w + x] = (p & 0xff) / 255f;
            }
        }
        return new Rgb(h, w, out);
    }

    private static BufferedImage scale(BufferedImage img, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
