package dev.pixelgrad.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.pixelgrad.tensor.io.AtomicFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One run: its mode, where it ran, the backends that did not open, and its rows. Printed as the
 * table; {@code -Dbench.json=FILE} saves it, and {@code -Dbench.compare} / {@code -Dbench.baseline}
 * read such a file back.
 */
record BenchReport(String mode, BenchEnvironment environment, List<String> unavailable, List<BenchRow> rows) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    String toJson() {
        return GSON.toJson(this);
    }

    /** The report in {@code json}; {@code source} names it in the error when it is not one. */
    static BenchReport fromJson(String json, String source) {
        BenchReport report;
        try {
            report = GSON.fromJson(json, BenchReport.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("bench: " + source + " is not a benchmark report (" + e.getMessage()
                    + "); write one with -Dbench.json=" + source);
        }
        if (report == null || report.rows() == null) {
            throw new IllegalArgumentException("bench: " + source + " holds no \"rows\"; write one with -Dbench.json=" + source);
        }
        return report;
    }

    static BenchReport read(Path file) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("bench: cannot read " + file.toAbsolutePath() + " (" + e
                    + "); write one with -Dbench.json=" + file);
        }
    }

    void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson() + "\n");
    }

    /** The environment lines, then one line per row and per backend that did not open. */
    void print(PrintStream out) {
        environment.lines().forEach(out::println);
        out.printf("%-30s %-9s %-8s %10s %10s%n", "benchmark", "shape", "backend", "ms/op", "GFLOP/s");
        for (BenchRow r : rows) {
            out.printf(Locale.ROOT, "%-30s %-9s %-8s %10.3f %10.1f%n", r.benchmark(), r.shape(), r.backend(), r.msPerOp(), r.gflops());
        }
        for (String spec : unavailable) {
            out.printf("%-30s %-9s %-8s %10s %10s%n", "(all)", "-", spec, "-", "unavailable");
        }
    }
}
