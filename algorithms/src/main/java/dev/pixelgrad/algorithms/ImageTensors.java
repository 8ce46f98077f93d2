package dev.pixelgrad.algorithms;

import dev.pixelgrad.algorithms.image.Resampling;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Storage;
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
     * x (1, C, h, w) resized to (1, C, height, width) on the device: each plane P becomes
     * R_y P R_x^T with the weight matrices of {@link Resampling} (area average when shrinking,
     * bicubic when growing), i.e. two GEMMs. Returns x itself when the size already matches.
     */
    public static Tensor resize(Tensor x, int height, int width) {
        Shape s = x.shape().requireRank(4, "resize", "image (1, C, H, W)");
        int c = s.dim(1), h = s.dim(2), w = s.dim(3);
        if (h == height && w == width) {
            return x;
        }
        Backend be = x.backend();
        Storage ry = be.upload(Resampling.matrix(h, height));   // (height x h)
        Storage rx = be.upload(Resampling.matrix(w, width));    // (width x w)
        Storage tmp = be.allocate((long) h * width);
        Tensor y = Tensor.zeros(Shape.of(s.dim(0), c, height, width), be);
        for (int plane = 0; plane < s.dim(0) * c; plane++) {
            be.gemm(false, true, h, width, w, 1f, x.data(), (long) plane * h * w, rx, 0, 0f, tmp, 0);
            be.gemm(false, false, height, width, h, 1f, ry, 0, tmp, 0, 0f, y.data(), (long) plane * height * width);
        }
        ry.release();
        rx.release();
        tmp.release();
        return y;
    }

    /** x clamped in place to the network-space image of RGB [0,1]. */
    public static void clampInPlace(Tensor x, Preprocessing p) {
        Shape s = x.shape();
        x.backend().clampChannelsInPlace(x.data(), s.dim(0), s.dim(1), s.dim(2) * s.dim(3), p.lowerBounds(), p.upperBounds());
    }

    /** The mean of rgbScale over channels: how far one network-space unit moves a pixel in [0,1] RGB. */
    public static float rgbUnit(Preprocessing p) {
        float[] s = p.rgbScale();
        return (s[0] + s[1] + s[2]) / 3f;
    }

    /** A fresh copy of x as a leaf that requires a gradient (the image to optimise). */
    public static Tensor leafCopy(Tensor x) {
        Tensor y = Tensor.zeros(x.shape(), x.backend());
        x.backend().copy(x.data(), y.data(), x.numel());
        return y.requiresGrad(true);
    }
}
