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

    /** The h x w window whose top-left corner is (y0, x0). */
    public RgbImage crop(int y0, int x0, int h, int w) {
        if (y0 < 0 || x0 < 0 || y0 + h > height || x0 + w > width) {
            throw new IllegalArgumentException("image: window " + w + "x" + h + " at (" + x0 + "," + y0
                    + ") does not fit in " + sizeText());
        }
        float[] out = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(rgb, (c * height + y0 + y) * width + x0, out, (c * h + y) * w, w);
            }
        }
        return new RgbImage(out, h, w);
    }

    /** Scales so the short side is {@code size}, then keeps the centred size x size square (ImageNet evaluation). */
    public RgbImage shortSideCenterCrop(int size) {
        RgbImage img = this;
        int shortSide = Math.min(height, width);
        if (shortSide != size) {
            double s = (double) size / shortSide;
            img = Resampling.resize(this, Math.max(size, (int) Math.round(height * s)), Math.max(size, (int) Math.round(width * s)));
        }
        return img.crop((img.height - size) / 2, (img.width - size) / 2, size, size);
    }
}
