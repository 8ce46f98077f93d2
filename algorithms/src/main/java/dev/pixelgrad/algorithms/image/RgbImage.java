package dev.pixelgrad.algorithms.image;

/**
 * An RGB image as planar floats in [0,1]: {@code rgb[c * height * width + y * width + x]} for
 * channel c in R, G, B order. This is what {@link dev.pixelgrad.nn.Preprocessing#fromRgb} takes.
 */
public record RgbImage(float[] rgb, int height, int width) {
    public RgbImage {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image: size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != 3 * height * width) {
            throw new IllegalArgumentException("image: expected 3x" + height + "x" + width + " = " + 3 * height * width
                    + " values, got " + rgb.length);
        }
    }

    /** max(height, width). */
    public int longSide() {
        return Math.max(height, width);
    }

    /** "WxH", as the command line writes sizes. */
    public String sizeText() {
        return width + "x" + height;
    }
}
