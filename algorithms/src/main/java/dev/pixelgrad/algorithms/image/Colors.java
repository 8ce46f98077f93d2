package dev.pixelgrad.algorithms.image;

/**
 * Luminance-only style transfer ("preserving colour", Gatys et al. 2016): keep the luminance Y of
 * the stylised image and the chrominance (I, Q) of the content image, in YIQ:
 * <pre>
 * Y = 0.299 R + 0.587 G + 0.114 B,  I = 0.596 R - 0.274 G - 0.322 B,  Q = 0.211 R - 0.523 G + 0.312 B
 * </pre>
 */
public final class Colors {
    private Colors() {
    }

    /** RGB with the luminance of {@code stylised} and the colours of {@code content} (same size). */
    public static RgbImage keepOriginalColors(RgbImage stylised, RgbImage content) {
        if (stylised.height() != content.height() || stylised.width() != content.width()) {
            throw new IllegalArgumentException("original colours: stylised image is " + stylised.sizeText()
                    + " but the content image is " + content.sizeText());
        }
        int hw = stylised.height() * stylised.width();
        float[] s = stylised.rgb(), c = content.rgb(), out = new float[3 * hw];
        for (int p = 0; p < hw; p++) {
            float y = 0.299f * s[p] + 0.587f * s[hw + p] + 0.114f * s[2 * hw + p];
            float i = 0.596f * c[p] - 0.274f * c[hw + p] - 0.322f * c[2 * hw + p];
            float q = 0.211f * c[p] - 0.523f * c[hw + p] + 0.312f * c[2 * hw + p];
            out[p] = clamp(y + 0.956f * i + 0.621f * q);
            out[hw + p] = clamp(y - 0.272f * i - 0.647f * q);
            out[2 * hw + p] = clamp(y - 1.106f * i + 1.703f * q);
        }
        return new RgbImage(out, stylised.height(), stylised.width());
    }

    private static float clamp(float v) {
        return Math.min(1f, Math.max(0f, v));
    }
}
