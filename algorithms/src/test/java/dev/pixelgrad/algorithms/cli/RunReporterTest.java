package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run prints, as a terminal shows it ({@link TerminalScreen}) and as a log file keeps it. */
class RunReporterTest {
    @TempDir
    Path dir;

    /** Everything a reporter wrote to stderr over a run of {@code iterations} (loss 2283 - iter), then finish and close. */
    private String run(Path out, int iterations, boolean terminal) {
        Tensor x = ImageTensors.toNetwork(CommandLineTest.picture(8, 12, 0), Preprocessing.TORCHVISION, Backends.java());
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try (RunReporter r = new RunReporter("style", new RunReporter.Outputs(out, 0, false, null, false),
                Preprocessing.TORCHVISION, iterations, UnaryOperator.identity(), terminal, null)) {
            for (int i = 0; i <= iterations; i++) {
                r.iteration(i, 2283f - i, Map.of(), x);
            }
            r.finish(x);
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalTheBarEndsAboveTheDoneLine() {
        Path out = dir.resolve("bar.png");
        String printed = run(out, 5, true);
        List<String> screen = TerminalScreen.lines(printed);
        String last = screen.get(screen.size() - 1);
        assertTrue(last.startsWith("style: done after 5 iterations (") && last.endsWith("s): " + out.toAbsolutePath()),
                "the last line on screen should be the done line:\n" + String.join("\n", screen));
        List<String> bars = screen.stream().filter(l -> l.contains("it/s")).toList();
        assertEquals(1, bars.size(), "the bar redraws one line in place:\n" + String.join("\n", screen));
        assertEquals(bars.get(0), screen.get(screen.size() - 2));
        assertTrue(bars.get(0).contains("5/5 it"), bars.get(0));
        assertTrue(bars.get(0).matches(".* it/s loss 2278$"), "rate and loss apart: " + bars.get(0));
        assertFalse(printed.contains("\u001b["), "no cursor movement: " + printed.replace("\u001b", "ESC"));
        assertTrue(Files.isRegularFile(out));
    }

    @Test
    void offATerminalItPrintsPlainLines() {
        Path out = dir.resolve("plain.png");
        String printed = run(out, 20, false);
        assertFalse(printed.contains("\r"), printed);
        List<String> lines = printed.lines().toList();
        assertEquals(12, lines.size(), printed);   // iterations 0, 2, ..., 20, then done
        assertTrue(lines.get(1).startsWith("style: iteration 2/20, loss 2281, "), lines.get(1));
        assertTrue(lines.get(11).startsWith("style: done after 20 iterations"), lines.get(11));
    }

    @Test
    void theLauncherSaysWhetherStderrIsATerminal() {
        String before = System.getProperty(RunReporter.STDERR_TERMINAL);
        try {
            System.setProperty(RunReporter.STDERR_TERMINAL, "true");
            assertTrue(RunReporter.stderrIsTerminal());
            System.setProperty(RunReporter.STDERR_TERMINAL, "false");
            assertFalse(RunReporter.stderrIsTerminal());
            System.clearProperty(RunReporter.STDERR_TERMINAL);
            assertEquals(System.console() != null, RunReporter.stderrIsTerminal());
        } finally {
            if (before != null) {
                System.setProperty(RunReporter.STDERR_TERMINAL, before);
            }
        }
    }
}
