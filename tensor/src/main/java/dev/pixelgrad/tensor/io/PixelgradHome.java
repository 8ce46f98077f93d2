package dev.pixelgrad.tensor.io;

import java.nio.file.Path;

/**
 * The one directory where Pixelgrad keeps state between runs: converted weights, OpenCL program
 * binaries, tunings and the {@code auto} device decision. Resolved by one rule, first match wins:
 * <ol>
 *   <li>the system property {@value #PROPERTY} (for programs that embed the engine, and tests),</li>
 *   <li>the environment variable {@value #ENV},</li>
 *   <li>{@code $XDG_CACHE_HOME/pixelgrad} when {@code XDG_CACHE_HOME} is set,</li>
 *   <li>{@code ~/.cache/pixelgrad}.</li>
 * </ol>
 */
public final class PixelgradHome {
    /** Environment variable naming the directory. */
    public static final String ENV = "PIXELGRAD_HOME";
    /** System property naming the directory; it wins over {@value #ENV}. */
    public static final String PROPERTY = "pixelgrad.home";

    private PixelgradHome() {
    }

    /** The directory (it may not exist yet). */
    public static Path dir() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "pixelgrad");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "pixelgrad");
    }

    /** A subdirectory such as {@code opencl}. */
    public static Path resolve(String child) {
        return dir().resolve(child);
    }

    /** How the rule reads in messages: "$PIXELGRAD_HOME, default ~/.cache/pixelgrad". */
    public static String describe() {
        return "$" + ENV + ", default ~/.cache/pixelgrad; now " + dir();
    }
}
