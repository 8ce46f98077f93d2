package dev.pixelgrad.algorithms.faststyle;

import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Stylising with a trained feed-forward network: one forward pass on the image in 0-255 RGB. The
 * network halves the size twice and doubles it twice, so an image whose sides are no multiple of 4
 * is reflection-padded up to one (on the device, by the engine's op) and cropped back: the output
 * has the input's size, and nothing is resampled.
 *
 * <p>An image too large for the device's memory goes through in overlapping tiles. Each tile's
 * output is weighted by a ramp that rises across the overlap from the tile's inner edges (after
 * leaving out the pixels next to the edge, which saw the tile's border), so neighbouring tiles
 * cross-fade instead of meeting at a seam. Instance normalisation takes its statistics per tile, so
 * tiles of a few hundred pixels keep the colours of the whole; the cross-fade hides what differs.
 */
public final class Stylizer {
    /** Sides must be at least this (the 9x9 convolution's reflection pad of 4 needs 5, its two halvings 8). */
    public static final int SMALLEST_SIDE = 8;

    private final UnaryOperator<Tensor> network;
    private final Backend backend;

    /** @param network (N, 3, H, W) to (N, 3, H, W), both in 0-255 RGB, for H and W multiples of 4 */
    public Stylizer(UnaryOperator<Tensor> network, Backend backend) {
        this.network = network;
        this.backend = backend;
    }

    /** The whole image in one pass. */
    public RgbImage stylize(RgbImage img) {
        requireSize(img);
        int h = roundUp4(img.height()), w = roundUp4(img.width());
        float[] out;
        try (Grad.Scope ignored = Grad.disabled(); Tensor padded = padded255(img, h, w, backend)) {
            out = network.apply(padded).toArray();
        }
        if (out.length != 3 * h * w) {
            throw new IllegalStateException("stylize: the network gave " + out.length + " values for a 3x" + h + "x" + w + " input");
        }
        return toRgb(out, h, w, img.height(), img.width());
    }

    /**
     * The image in tiles of at most {@code tile} x {@code tile} pixels that overlap by
     * {@code overlap}, cross-faded; the same as {@link #stylize} when one tile covers the image.
     */
    public RgbImage stylizeTiled(RgbImage img, int tile, int overlap) {
        requireSize(img);
        if (tile < SMALLEST_SIDE || overlap < 0 || 2 * overlap >= tile) {
            throw new IllegalArgumentException("stylize: tiles of " + tile + " px overlapping by " + overlap
                    + " px; the tile must be at least " + SMALLEST_SIDE + " px and more than twice the overlap");
        }
        int h = img.height(), w = img.width();
        if (h <= tile && w <= tile) {
            return stylize(img);
        }
        double[] sum = new double[3 * h * w], weight = new double[h * w];
        for (int y0 : starts(h, tile, overlap)) {
            for (int x0 : starts(w, tile, overlap)) {
                int th = Math.min(tile, h), tw = Math.min(tile, w);
                RgbImage out = stylize(img.crop(y0, x0, th, tw));
                float[] ry = ramp(th, overlap, y0 > 0, y0 + th < h), rx = ramp(tw, overlap, x0 > 0, x0 + tw < w);
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < th; y++) {
                        for (int x = 0; x < tw; x++) {
                            double wt = (double) ry[y] * rx[x];
                            sum[(c * h + y0 + y) * w + x0 + x] += wt * out.rgb()[(c * th + y) * tw + x];
                            if (c == 0) {
                                weight[(y0 + y) * w + x0 + x] += wt;
                            }
                        }
                    }
                }
            }
        }
        float[] rgb = new float[3 * h * w];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (float) (sum[i] / weight[i % (h * w)]);
        }
        return new RgbImage(rgb, h, w);
    }

    /** Tile starts along a side of {@code size}: every (tile - overlap) pixels, the last one flush with the end. */
    static List<Integer> starts(int size, int tile, int overlap) {
        List<Integer> starts = new ArrayList<>();
        if (size <= tile) {
            starts.add(0);
            return starts;
        }
        for (int s = 0; ; s += tile - overlap) {
            if (s + tile >= size) {
                starts.add(size - tile);
                return starts;
            }
            starts.add(s);
        }
    }

    /**
     * Weights along one side of a tile. Toward a neighbour the weight is 0 for the first quarter of
     * the overlap (the pixels whose receptive field reached past the tile's edge into the network's reflection padding), then
     * rises linearly to 1 across the rest, where the neighbour's weight falls; 1 elsewhere. Where
     * one tile's weight is 0 the other's is not, since overlapping tiles share at least the overlap.
     */
    static float[] ramp(int length, int overlap, boolean neighbourBefore, boolean neighbourAfter) {
        int dead = overlap / 4, rise = overlap - dead;
        float[] r = new float[length];
        for (int i = 0; i < length; i++) {
            r[i] = Math.min(neighbourBefore ? edgeWeight(i, dead, rise) : 1f, neighbourAfter ? edgeWeight(length - 1 - i, dead, rise) : 1f);
        }
        return r;
    }

    /** The weight of the pixel {@code d} pixels in from an inner edge. */
    private static float edgeWeight(int d, int dead, int rise) {
        return d < dead ? 0f : Math.min(1f, (d - dead + 1f) / (rise + 1f));
    }

    private static void requireSize(RgbImage img) {
        if (Math.min(img.height(), img.width()) < SMALLEST_SIDE) {
            throw new IllegalArgumentException("stylize: the image is " + img.sizeText() + " px; the network needs at least "
                    + SMALLEST_SIDE + "x" + SMALLEST_SIDE);
        }
    }

    private static int roundUp4(int n) {
        return (n + 3) / 4 * 4;
    }

    /**
     * The image in 0-255 as (1, 3, h, w) on {@code be}, reflected at its bottom and right edges up
     * to (h, w) by the engine's reflection padding (as torch's: the edge is not repeated).
     */
    static Tensor padded255(RgbImage img, int h, int w, Backend be) {
        float[] v = img.rgb().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= 255f;
        }
        Tensor x = Tensor.of(v, Shape.of(1, 3, img.height(), img.width()), be);
        if (h == img.height() && w == img.width()) {
            return x;
        }
        try (Grad.Scope ignored = Grad.disabled(); x) {
            return Ops.reflectionPad(x, 0, h - img.height(), 0, w - img.width());
        }
    }

    /** {@link #padded255} on the host, as values. */
    static float[] reflectPad255(RgbImage img, int h, int w) {
        try (Tensor t = padded255(img, h, w, Backends.java())) {
            return t.toArray();
        }
    }

    /** The top-left (ih, iw) of a (3, h, w) output in 0-255, clamped, as RGB in [0,1]. */
    private static RgbImage toRgb(float[] out, int h, int w, int ih, int iw) {
        float[] rgb = new float[3 * ih * iw];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < ih; y++) {
                for (int x = 0; x < iw; x++) {
                    float v = out[(c * h + y) * w + x] / 255f;
                    rgb[(c * ih + y) * iw + x] = Math.min(1f, Math.max(0f, v));
                }
            }
        }
        return new RgbImage(rgb, ih, iw);
    }
}
