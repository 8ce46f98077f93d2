package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.List;
import java.util.Locale;

/**
 * How images become network input, which depends on where the weights came from:
 * <ul>
 * <li>{@link #TORCHVISION}: RGB in [0,1], minus mean (0.485, 0.456, 0.406), divided by std
 * (0.229, 0.224, 0.225).</li>
 * <li>{@link #CAFFE}: BGR in [0,255] minus mean (103.939, 116.779, 123.68) (B, G, R).</li>
 * </ul>
 * Images enter as planar RGB floats in [0,1], shape (3, H, W); {@link #toRgb} inverts and clamps.
 */
public enum Preprocessing {
    TORCHVISION(false, 1f, new float[]{0.485f, 0.456f, 0.406f}, new float[]{0.229f, 0.224f, 0.225f}),
    CAFFE(true, 255f, new float[]{103.939f, 116.779f, 123.68f}, new float[]{1f, 1f, 1f});

    private final boolean bgr;
    private final float range;
    private final float[] mean;   // in network channel order
    private final float[] std;    // in network channel order

    Preprocessing(boolean bgr, float range, float[] mean, float[] std) {
        this.bgr = bgr;
        this.range = range;
        this.mean = mean;
        this.std = std;
    }

    /** Parses "torchvision" or "caffe" (case-insensitive). */
    public static Preprocessing parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("preprocessing: unknown value '" + s + "'; expected torchvision or caffe");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Network channel ch reads RGB channel rgbChannel(ch). */
    public int rgbChannel(int ch) {
        return bgr ? 2 - ch : ch;
    }

    /** Network input (1, 3, H, W) from planar RGB in [0,1] of length 3 H W. */
    public Tensor fromRgb(float[] rgb, int h, int w, Backend backend) {
        return fromRgb(List.of(rgb), h, w, backend);
    }

    /** Network input (N, 3, H, W) from N images of planar RGB in [0,1], each of length 3 H W. */
    public Tensor fromRgb(List<float[]> images, int h, int w, Backend backend) {
        int hw = h * w;
        float[] x = new float[images.size() * 3 * hw];
        for (int n = 0; n < images.size(); n++) {
            float[] rgb = images.get(n);
            if (rgb.length != 3 * hw) {
                throw new IllegalArgumentException("preprocessing: expected 3x" + h + "x" + w + " RGB values"
                        + (images.size() > 1 ? " in image " + n : "") + ", got " + rgb.length);
            }
            for (int ch = 0; ch < 3; ch++) {
                int src = rgbChannel(ch) * hw, dst = (n * 3 + ch) * hw;
                float m = mean[ch], s = std[ch];
                for (int i = 0; i < hw; i++) {
                    x[dst + i] = (rgb[src + i] * range - m) / s;
                }
            }
        }
        return Tensor.of(x, Shape.of(images.size(), 3, h, w), backend);
    }

    /**
     * Network input from images of 0-255 RGB that are on the tape, (N, 3, H, W): the per-channel
     * scale, shift and channel order of {@link #fromRgb} as a fixed 1x1 convolution, so that a
     * network whose output is pixels (a fast style transformer) trains through the VGG.
     */
    public Tensor fromRgb255(Tensor rgb255) {
        rgb255.shape().requireRank(4, "preprocessing", "images (N, 3, H, W) in 0-255 RGB");
        float[] w = new float[9], b = new float[3];
        for (int ch = 0; ch < 3; ch++) {
            w[ch * 3 + rgbChannel(ch)] = range / 255f / std[ch];
            b[ch] = -mean[ch] / std[ch];
        }
        Backend backend = rgb255.backend();
        return Ops.conv2d(rgb255, Tensor.of(w, Shape.of(3, 3, 1, 1), backend), Tensor.of(b, Shape.of(3), backend),
                Conv2dSpec.of(1, 0));
    }

    /** Planar RGB in [0,1] (clamped) from a network-space image (1, 3, H, W). */
    public float[] toRgb(Tensor x) {
        x.shape().requireRank(4, "preprocessing", "image (1, 3, H, W)");
        int hw = x.shape().dim(2) * x.shape().dim(3);
        float[] v = x.toArray();
        float[] rgb = new float[3 * hw];
        for (int ch = 0; ch < 3; ch++) {
            int dst = rgbChannel(ch) * hw;
            for (int i = 0; i < hw; i++) {
                float p = (v[ch * hw + i] * std[ch] + mean[ch]) / range;
                rgb[dst + i] = Math.min(1f, Math.max(0f, p));
            }
        }
        return rgb;
    }

    /** Smallest network-space value of each network channel (the image of RGB 0). */
    public float[] lowerBounds() {
        float[] lo = new float[3];
        for (int ch = 0; ch < 3; ch++) {
            lo[ch] = -mean[ch] / std[ch];
        }
        return lo;
    }

    /** Largest network-space value of each network channel (the image of RGB 1). */
    public float[] upperBounds() {
        float[] hi = new float[3];
        for (int ch = 0; ch < 3; ch++) {
            hi[ch] = (range - mean[ch]) / std[ch];
        }
        return hi;
    }

    /**
     * d(rgb in [0,1]) / d(network value) per network channel: std / range. Regularisers such as
     * total variation are defined on the [0,1] RGB image; since they see only differences, the
     * mean drops out and scaling each channel by this factor is the whole conversion.
     */
    public float[] rgbScale() {
        float[] s = new float[3];
        for (int ch = 0; ch < 3; ch++) {
            s[ch] = std[ch] / range;
        }
        return s;
    }
}
