package dev.pixelgrad.weights;

import java.nio.file.Path;

/**
 * A weight file that cannot be used. The message always starts with the file name, then says
 * what was expected, what arrived and, where one helps, a hint.
 */
public final class WeightFileException extends RuntimeException {
    private final transient Path file;

    public WeightFileException(Path file, String message) {
        super(name(file) + ": " + message);
        this.file = file;
    }

    public WeightFileException(Path file, String message, Throwable cause) {
        super(name(file) + ": " + message, cause);
        this.file = file;
    }

    /** The file the problem is in (may be null for data not read from a file). */
    public Path file() {
        return file;
    }

    private static String name(Path file) {
        return file == null ? "<weights>" : file.toString();
    }
}
