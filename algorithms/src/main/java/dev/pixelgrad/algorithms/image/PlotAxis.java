package dev.pixelgrad.algorithms.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis of a plot: the range it spans and its labelled ticks, chosen so that no two labels read
 * the same. Linear axes step by a "nice" 1, 2 or 5 × 10^e and widen their range out to whole steps;
 * log axes (base 10) put their ticks on decades and widen out to whole decades.
 *
 * @param lo    the value drawn at the start of the axis
 * @param hi    the value drawn at its end
 * @param log   whether positions go by log10 of the value
 * @param ticks from lo to hi
 */
record PlotAxis(double lo, double hi, boolean log, List<Tick> ticks) {
    /** A value on the axis and the text written next to it. */
    record Tick(double value, String label) {
    }

    /** Below this many ticks the reader cannot tell the scale; above it, labels crowd each other. */
    static final int TARGET_TICKS = 5;
    /** A loss axis goes log scale once the loss spans more than this factor. */
    static final double LOG_SPAN = 100;

    /**
     * The y-axis of a loss curve through values in [min, max]: log scale when the values are positive
     * and span more than {@link #LOG_SPAN}, else linear. A constant (or empty, NaN) range is widened so
     * the axis still has ticks.
     */
    static PlotAxis forValues(double min, double max) {
        if (!(max >= min) || Double.isInfinite(min) || Double.isInfinite(max)) {
            return linear(0, 1, false);
        }
        if (min > 0 && max / min > LOG_SPAN) {
            return decades(min, max);
        }
        if (max - min <= 1e-9 * Math.max(Math.abs(min), Math.abs(max))) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            return linear(min - pad, max + pad, false);
        }
        return linear(min, max, false);
    }

    /**
     * A linear axis over [min, max] with ticks every step = 1, 2 or 5 × 10^e, the smallest such step
     * that gives at most about {@link #TARGET_TICKS} ticks. With {@code integers} the step is at least 1
     * and the range is not widened (iteration counts: 0 and the last one stay at the ends).
     */
    static PlotAxis linear(double min, double max, boolean integers) {
        double step = niceStep((max - min) / TARGET_TICKS);
        if (integers) {
            step = Math.max(1, step);
        }
        // integers: the ticks inside [min, max]; else the range widens out to whole steps
        long first = integers ? (long) Math.ceil(min / step - 1e-9) : (long) Math.floor(min / step + 1e-9);
        long last = integers ? (long) Math.floor(max / step + 1e-9) : (long) Math.ceil(max / step - 1e-9);
        double lo = integers ? min : first * step, hi = integers ? max : last * step;
        int decimals = decimalsFor(step);
        double largest = Math.max(Math.abs(first * step), Math.abs(last * step));
        List<Tick> ticks = new ArrayList<>();
        for (long k = first; k <= last; k++) {
            double v = k * step;   // k * step, not a running sum: no drift, and 0 is exactly 0
            ticks.add(new Tick(v, linearLabel(v, step, decimals, largest)));
        }
        return new PlotAxis(lo, hi, false, List.copyOf(ticks));
    }

    /**
     * A log10 axis over [min, max] (both positive), from the decade at or below min to the decade at
     * or above max, with a tick on every decade (every few decades when there are many).
     */
    static PlotAxis decades(double min, double max) {
        int first = (int) Math.floor(Math.log10(min) + 1e-9), last = (int) Math.ceil(Math.log10(max) - 1e-9);
        if (last == first) {
            last++;
        }
        int every = Math.max(1, (int) Math.ceil((last - first) / (double) TARGET_TICKS));
        List<Tick> ticks = new ArrayList<>();
        for (int e = first; e <= last; e += every) {
            ticks.add(new Tick(Math.pow(10, e), decadeLabel(e)));
        }
        return new PlotAxis(Math.pow(10, first), Math.pow(10, last), true, List.copyOf(ticks));
    }

    /** Where v lies along the axis: 0 at lo, 1 at hi (log10 positions on a log axis). */
    double fraction(double v) {
        return log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
    }

    /** The smallest 1, 2 or 5 × 10^e that is at least {@code raw} (raw > 0). */
    static double niceStep(double raw) {
        if (!(raw > 0) || Double.isInfinite(raw)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double normalised = raw / magnitude;
        double nice = normalised <= 1 + 1e-9 ? 1 : normalised <= 2 + 1e-9 ? 2 : normalised <= 5 + 1e-9 ? 5 : 10;
        return nice * magnitude;
    }

    /** Digits after the decimal point that a step of 1, 2 or 5 × 10^e needs: max(0, -e). */
    private static int decimalsFor(double step) {
        return Math.max(0, -(int) Math.floor(Math.log10(step) + 1e-9));
    }

    /**
     * Plain decimals while the numbers stay short (|v| below 10^5 and the step at least 10^-4),
     * else scientific with as many mantissa digits as the step needs, so consecutive labels differ.
     */
    private static String linearLabel(double v, double step, int decimals, double largest) {
        if (largest < 1e5 && step >= 1e-4) {
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        int digits = Math.max(0, (int) Math.floor(Math.log10(Math.max(largest, step))) - (int) Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + digits + "e", v);
    }

    /** 10^e as 0.001 … 10000 when short, else 1e-5, 1e+06 … */
    private static String decadeLabel(int e) {
        if (e >= 0 && e <= 4) {
            return Long.toString(Math.round(Math.pow(10, e)));
        }
        if (e < 0 && e >= -3) {
            return String.format(Locale.ROOT, "%." + -e + "f", Math.pow(10, e));
        }
        return String.format(Locale.ROOT, "1e%+03d", e);
    }
}
