package dev.pixelgrad.algorithms.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Input files checked before anything is loaded, so that a typo in a path costs a second, not a weights load. */
final class InputFiles {
    private InputFiles() {
    }

    /**
     * Throws unless {@code file} is a readable regular file.
     *
     * @throws IllegalArgumentException {@code OPTION FILE: no such file} (or: is a directory, is not readable)
     */
    static void require(String option, Path file) {
        String problem = !Files.exists(file) ? "no such file"
                : Files.isDirectory(file) ? "is a directory, not a file"
                : !Files.isReadable(file) ? "is not readable (permission denied)" : null;
        if (problem != null) {
            throw new IllegalArgumentException(option + " " + file + ": " + problem
                    + (file.isAbsolute() ? "" : " (looked in " + Path.of("").toAbsolutePath() + ")"));
        }
    }

    /** A starting image: one of the keywords, or a file that must exist. */
    static void requireStart(String init, String... keywords) {
        for (String k : keywords) {
            if (init.equals(k)) {
                return;
            }
        }
        require("--init", Path.of(init));
    }
}
