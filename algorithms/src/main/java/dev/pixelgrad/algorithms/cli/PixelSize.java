package dev.pixelgrad.algorithms.cli;

import java.util.Locale;

/** An image size as the command line writes it, {@code WIDTHxHEIGHT} (e.g. {@code 256x256}). */
record PixelSize(int width, int height) {
    PixelSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("size: width and height must be 1 or more, got " + width + "x" + height);
        }
    }

    /** Parses {@code WxH}; the message says what was expected. */
    static PixelSize parse(String text) {
        String[] wh = text.toLowerCase(Locale.ROOT).split("x");
        try {
            if (wh.length == 2) {
                int w = Integer.parseInt(wh[0].trim()), h = Integer.parseInt(wh[1].trim());
                if (w > 0 && h > 0) {
                    return new PixelSize(w, h);
                }
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message
        }
        throw new IllegalArgumentException("'" + text + "' is not allowed: expected WIDTHxHEIGHT with both 1 or more, such as 256x256");
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
