package dev.pixelgrad.nn;

import java.util.Locale;

/** Which pooling the VGG uses between blocks: max (as trained) or average (smoother syntheses). */
public enum PoolingMode {
    MAX, AVG;

    public static PoolingMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pooling: unknown value '" + s + "'; expected max or avg");
        }
    }
}
