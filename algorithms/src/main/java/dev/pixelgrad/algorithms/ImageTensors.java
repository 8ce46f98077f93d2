package dev.pixelgrad.algorithms;

import dev.pixelgrad.algorithms.image.Resampling;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Tensor;

import java.util.Random;

/** Moving images between the host ({@link RgbImage}) and network space on a device, and resizing them there. */
public final class ImageTensors {
    private ImageTensors() {
    }

    /** Network input (1, 3, H, W) for an image. */
    public static Tensor toNetwork(RgbImage img, Preprocessing p, Backend be) {
        return p.fromRgb(img.rgb(), img.height(), img.width(), be);
    }

    /** The RGB image of a network-space tensor (clamped to [0,1]); downloads it. */
    public static RgbImage toImage(Tensor x, Preprocessing p) {
        return new RgbImage(p.toRgb(x), x.shape().dim(2), x.shape().dim(3));
    }

    /** Noise around mid-grey, RGB = 0.5 + 0.1 N(0,1) clamped: a neutral start that TV and L-BFGS smooth quickly. */
    public static RgbImage noise(int h, int w, long seed) {
        Random rnd = new Random(seed);
        float[] rgb = new float[3 * h * w];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (float) Math.min(1, Math.max(0, 0.5 + 0.1 * rnd.nextGaussian()));
        }
        return new RgbImage(rgb, h, w);
    }

    /**
     * x (N, C, h, w) resized to (N, C, height, width) on the device: each plane P becomes
     * R_y P R_x^T with the weight matrices of {@link Resampling} (area average when shrinking,
     * bicubic when growing). Returns x itself when the size already matches.
     */
    public static Tensor resize(Tensor x, int height, int width) {
        Shape s = x.shape().requireRank(4, "resize", "image (N, C, H, W)");
        int h = s.dim(2), w = s.dim(3);
        if (h == height && w == width) {
            return x;
        }
        Backend be = x.backend();
        Tensor ry = Tensor.of(Resampling.matrix(h, height), Shape.of(height, h), be);
        Tensor rx = Tensor.of(Resampling.matrix(w, width), Shape.of(width, w), be);
        Tensor y = Ops.resample(x, ry, rx);
        if (!y.requiresGrad()) {   // otherwise backward still needs the matrices
            ry.close();
            rx.close();
        }
        return y;
    }

    /** The mean of rgbScale over channels: how far one network-space unit moves a pixel in [0,1] RGB. */
    public static float rgbUnit(Preprocessing p) {
        float[] s = p.rgbScale();
        return (s[0] + s[1] + s[2]) / 3f;
    }

    /** A fresh copy of x as a leaf that requires a gradient (the image to optimise). */
    public static Tensor leafCopy(Tensor x) {
        return x.copy().requiresGrad(true);
    }
}
