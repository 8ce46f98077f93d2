package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.optim.OptimizerKind;
import dev.pixelgrad.tensor.Backends;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.function.Function;

/**
 * Option values checked when the command line is parsed, so that a bad value stops the command
 * before anything is loaded or computed. Each class is a picocli converter named after the values
 * it lets through; picocli puts the option's name in front of the message
 * ({@code Invalid value for option '--tv' (LAMBDA): 'NaN' is not allowed: expected a finite number, 0 or more}).
 *
 * <p>Why finite numbers: a NaN or infinite weight makes every loss NaN, and the optimiser only
 * finds out after the first forward and backward pass, with nothing left to say which option did it.
 */
final class Checked {
    private Checked() {
    }

    /** A whole number, 0 or more: counts where 0 means "off" or "as it is" (--save-every, --size, --tile). */
    static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return wholeNumber(text, 0);
        }
    }

    /** A whole number, 1 or more (--octaves, --history, --top). */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return wholeNumber(text, 1);
        }
    }

    /** A finite number, 0 or more: loss weights (alpha, beta, gamma, lambda), blend weights. */
    static final class NonNegativeFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String text) {
            return number(text, 0, true, "a finite number, 0 or more");
        }
    }

    /** A finite number above 0: step sizes, learning rates, scales, TV's beta. */
    static final class PositiveFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String text) {
            return number(text, 0, false, "a finite number above 0");
        }
    }

    /** A finite number above 1: the size ratio between DeepDream's octaves. */
    static final class AboveOneFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String text) {
            return number(text, 1, false, "a finite number above 1, e.g. 1.4");
        }
    }

    /**
     * A layer list, {@code name[:weight],...}, whose weights are finite and 0 or more (losses that
     * are minimised: a negative weight would reward moving away from the target without bound).
     * Names are checked against the network once it is loaded; the text itself is kept.
     */
    static final class WeightedLayers implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            return layerWeights(text, true);
        }
    }

    /** A layer list for DeepDream, where a negative weight is allowed: it damps what that layer sees. */
    static final class SignedWeightedLayers implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            return layerWeights(text, false);
        }
    }

    /** lbfgs or adam. */
    static final class Optimizer implements ITypeConverter<OptimizerKind> {
        @Override
        public OptimizerKind convert(String text) {
            return parsed(text, OptimizerKind::parse);
        }
    }

    /** max or avg. */
    static final class Pooling implements ITypeConverter<PoolingMode> {
        @Override
        public PoolingMode convert(String text) {
            return parsed(text, PoolingMode::parse);
        }
    }

    /** auto, java, opencl or opencl:P:D (whether that device exists is found out when it is opened). */
    static final class Device implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            return parsed(text, s -> Backends.checkSpec(s, null));
        }
    }

    /** WIDTHxHEIGHT, both 1 or more. */
    static final class Size implements ITypeConverter<PixelSize> {
        @Override
        public PixelSize convert(String text) {
            return parsed(text, PixelSize::parse);
        }
    }

    /** A TCP port, 0 (any free one) to 65535 (--serve). */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            int port = wholeNumber(text, 0);
            return check(port <= 65535, port, text, "a port from 0 (any free one) to 65535");
        }
    }

    static int wholeNumber(String text, int min) {
        String allowed = "a whole number, " + min + " or more";
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw refused(text, allowed);
        }
        return check(v >= min, v, text, allowed);
    }

    /** A finite number above {@code min} (or equal to it, when {@code inclusive}). */
    private static float number(String text, float min, boolean inclusive, String allowed) {
        float v;
        try {
            v = Float.parseFloat(text.trim());
        } catch (NumberFormatException e) {
            throw refused(text, allowed);
        }
        return check(Float.isFinite(v) && (inclusive ? v >= min : v > min), v, text, allowed);
    }

    private static <T> T check(boolean ok, T value, String text, String allowed) {
        if (!ok) {
            throw refused(text, allowed);
        }
        return value;
    }

    private static TypeConversionException refused(String text, String allowed) {
        return new TypeConversionException("'" + text + "' is not allowed: expected " + allowed);
    }

    /** The value of a library parser, whose IllegalArgumentException already says what is allowed. */
    private static <T> T parsed(String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    private static String layerWeights(String text, boolean nonNegative) {
        String allowed = nonNegative ? "a finite number, 0 or more" : "a finite number";
        for (String item : text.split(",")) {
            int colon = item.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = item.substring(0, colon).trim(), weight = item.substring(colon + 1).trim();
            float w;
            try {
                w = Float.parseFloat(weight);
            } catch (NumberFormatException e) {
                w = Float.NaN;
            }
            if (!Float.isFinite(w) || (nonNegative && w < 0)) {
                throw new TypeConversionException("'" + item.trim() + "' is not allowed: the weight of " + name + " must be "
                        + allowed + ", e.g. " + name + ":0.5");
            }
        }
        if (text.replace(",", "").isBlank()) {
            throw new TypeConversionException("no layers given; write e.g. relu4_2 or relu4_2:1,relu5_1:0.5");
        }
        return text;
    }
}
