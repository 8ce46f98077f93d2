package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.weights.WeightFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/** Turns the expected failures of a command into one line on stderr and exit code 1. */
final class CliErrors {
    private CliErrors() {
    }

    static int guard(String command, Callable<Integer> body) {
        try {
            return body.call();
        } catch (WeightFileException | IllegalArgumentException | IllegalStateException | UncheckedIOException | IOException e) {
            System.err.println("pixelgrad " + command + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
