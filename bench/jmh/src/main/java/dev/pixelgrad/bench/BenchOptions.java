package dev.pixelgrad.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The options of one benchmark run, read once from the {@code -Dbench.*} properties that
 * {@code mvn -pl bench} passes on (bench/README.md lists them). A property that is absent or
 * blank takes its default; the paths are null when not asked for.
 *
 * @param mode      quick (one fork, 3 x 1 s iterations) or full (two forks, 10 x 2 s)
 * @param include   benchmark classes whose simple name this regex finds
 * @param backends  backend specs to try, e.g. java, opencl
 * @param json      where to write this run's rows as JSON
 * @param compare   an earlier run's JSON to print the speed-up of every row against
 * @param baseline  an earlier run's JSON that no row may get slower than, beyond the tolerance
 * @param tolerance how much slower than the baseline a row may get: 0.10 allows 10 % more ms/op
 */
record BenchOptions(Mode mode, Pattern include, List<String> backends, Path json, Path compare,
                    Path baseline, double tolerance) {

    enum Mode { QUICK, FULL }

    /** Reads the options through {@code property} (System::getProperty in a run). */
    static BenchOptions parse(UnaryOperator<String> property) {
        String mode = valueOr(property, "bench", "quick").toLowerCase(Locale.ROOT);
        if (!mode.equals("quick") && !mode.equals("full")) {
            throw new IllegalArgumentException("bench: -Dbench=" + mode + " is no mode; expected quick or full");
        }
        String include = valueOr(property, "bench.include", ".*");
        Pattern pattern;
        try {
            pattern = Pattern.compile(include);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bench: -Dbench.include=" + include + " is no regular expression ("
                    + e.getDescription() + "); e.g. -Dbench.include=Gram or Conv3x3|Gram");
        }
        String tolerance = valueOr(property, "bench.tolerance", "0.10");
        double t;
        try {
            t = Double.parseDouble(tolerance);
        } catch (NumberFormatException e) {
            t = Double.NaN;
        }
        if (!(t >= 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("bench: -Dbench.tolerance=" + tolerance
                    + " is not a fraction of 0 or more; e.g. 0.10 lets a row take 10 % longer than the baseline");
        }
        return new BenchOptions(Mode.valueOf(mode.toUpperCase(Locale.ROOT)), pattern,
                Arrays.stream(valueOr(property, "bench.backends", String.join(",", BenchBackends.SPECS)).split(","))
                        .map(String::trim).filter(b -> !b.isEmpty()).toList(),
                path(property, "bench.json"), path(property, "bench.compare"), path(property, "bench.baseline"), t);
    }

    private static String valueOr(UnaryOperator<String> property, String name, String fallback) {
        String v = property.apply(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static Path path(UnaryOperator<String> property, String name) {
        String v = valueOr(property, name, "");
        return v.isEmpty() ? null : Path.of(v);
    }
}
