package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.tensor.BackendUnavailableException;
import dev.pixelgrad.tensor.io.FileProblems;
import dev.pixelgrad.weights.WeightFileException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * The one way a command's failure reaches the terminal: {@code pixelgrad COMMAND: what went wrong},
 * one line, exit code 1. Failures a user can cause and fix (bad files, bad values, a device or
 * memory that is too small) never print a stack trace; anything else is a bug, and its trace is
 * what a bug report needs. {@link Main} routes every command through {@link #report}.
 */
final class CliErrors {
    private CliErrors() {
    }

    /** Prints the line for {@code failure} (and, for a bug, its trace) on {@code err}; returns the exit code, 1. */
    static int report(String command, Throwable failure, PrintWriter err) {
        Throwable t = unwrap(failure);
        err.println(command + ": " + message(t));
        if (!expected(t)) {
            t.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** Runs a command body, reporting a failure as {@link #report} does (for commands that run outside {@link Main}'s handler). */
    static int guard(String command, Callable<Integer> body) {
        try {
            return body.call();
        } catch (Exception | OutOfMemoryError e) {
            return report("pixelgrad " + command, e, new PrintWriter(System.err, true));
        }
    }

    /** What a user can cause and fix: files, values, devices, memory. */
    static boolean expected(Throwable t) {
        return t instanceof IOException || t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof ArithmeticException || t instanceof WeightFileException
                || t instanceof BackendUnavailableException || t instanceof OutOfMemoryError;
    }

    /** The one line: file errors with their reason ("permission denied"), memory errors with what to do. */
    static String message(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "out of memory (" + t.getMessage() + "); " + MemoryEstimate.whatToDo(Runtime.getRuntime().maxMemory());
        }
        if (t instanceof IOException io && (t.getMessage() == null || t instanceof java.nio.file.FileSystemException)) {
            return FileProblems.describe(io);
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof UncheckedIOException || t instanceof picocli.CommandLine.ExecutionException
                || t.getClass() == RuntimeException.class) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
