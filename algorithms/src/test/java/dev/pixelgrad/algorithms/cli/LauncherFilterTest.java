package dev.pixelgrad.algorithms.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The stderr filter of the {@code pixelgrad} launcher (its function {@code without_jvm_notes}, run
 * by sourcing the script): the JVM's notes disappear, and a progress bar's \r redraws come through
 * while the line is still open.
 */
class LauncherFilterTest {
    /** Tests run in the module directory; the launcher sits at the repository root. */
    private static final Path LAUNCHER = Path.of("..", "pixelgrad");
    private static final String INCUBATOR = "WARNING: Using incubator modules: jdk.incubator.vector\n";
    private static final String JSIG = "OpenJDK VM warning: the use of signal() and sigset() for signal chaining was "
            + "deprecated in version 16.0 and will be removed in a future release. Use sigaction() instead.\n";

    private Process filter;
    private OutputStream in;
    private InputStream out;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isRegularFile(LAUNCHER), "no launcher at " + LAUNCHER.toAbsolutePath());
        assumeTrue(onPath("bash") && onPath("perl"), "the launcher's filter needs bash and perl");
        filter = new ProcessBuilder("bash", "-c", "source \"$1\" && without_jvm_notes", "bash", LAUNCHER.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = filter.getOutputStream();
        out = filter.getInputStream();
    }

    @AfterEach
    void stop() {
        if (filter != null) {
            filter.destroyForcibly();
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private void send(String s) throws IOException {
        in.write(s.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Exactly {@code expected.length()} bytes from the filter, within 5 s (the filter's input stays open). */
    private String receive(String expected) throws IOException, InterruptedException {
        int n = expected.getBytes(StandardCharsets.UTF_8).length;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (got.size() < n && System.nanoTime() < deadline) {
            if (out.available() > 0) {
                got.write(out.read());
            } else {
                Thread.sleep(5);
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    @Test
    void barRedrawsPassAtOnceAndTheJvmNotesNever() throws Exception {
        send(INCUBATOR + "\rstyle  10% [=    ] 1/10 it");
        assertEquals("\rstyle  10% [=    ] 1/10 it", receive("\rstyle  10% [=    ] 1/10 it"),
                "a redraw without a newline must show before the next one");
        send(" (0:00:01) 1.0 it/s loss 2283\rstyle  20% [==   ] 2/10 it");
        assertEquals(" (0:00:01) 1.0 it/s loss 2283\rstyle  20% [==   ] 2/10 it",
                receive(" (0:00:01) 1.0 it/s loss 2283\rstyle  20% [==   ] 2/10 it"));
        send("\n" + JSIG.substring(0, 30));
        assertEquals("\n", receive("\n"));
        send(JSIG.substring(30) + "style: done after 10 iterations\n");
        in.close();
        assertEquals("style: done after 10 iterations\n", new String(out.readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(filter.waitFor(5, TimeUnit.SECONDS));
        assertEquals(0, filter.exitValue());
    }

    @Test
    void linesThatOnlyStartLikeANoteStay() throws Exception {
        send("WARNING");
        send(": disk almost full\n");
        assertEquals("WARNING: disk almost full\n", receive("WARNING: disk almost full\n"));
        send("OpenJDK VM warning: CodeCache is full\n");
        in.close();
        assertEquals("OpenJDK VM warning: CodeCache is full\n", new String(out.readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void ctrlCLeavesTheFilterRunningForTheStoppedLine() throws Exception {
        send("\rstyle  10%");
        assertEquals("\rstyle  10%", receive("\rstyle  10%"));
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(filter.pid())).start();
        assertEquals(0, kill.waitFor());
        Thread.sleep(200);
        assertTrue(filter.isAlive(), "Ctrl-C reaches the whole process group; the filter must outlive it");
        send("\nstyle: stopped after 1 iterations\n");
        in.close();
        assertEquals("\nstyle: stopped after 1 iterations\n", new String(out.readAllBytes(), StandardCharsets.UTF_8));
    }

    /**
     * In a terminal, a result line on stdout written after a progress line on stderr shows after it,
     * not in the middle of it (two pipes used to interleave "style: done after 30demo: wrote ..."),
     * and the launcher returns the command's status. {@code script} gives the command a real terminal.
     */
    @Test
    void inATerminalStdoutAndStderrKeepTheirOrder(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("script"), "needs script(1) for a pseudo-terminal");
        Path command = Files.writeString(dir.resolve("command.sh"), """
                printf 'WARNING: Using incubator modules: jdk.incubator.vector\\n' >&2
                printf 'style: done after 30' >&2; sleep 0.2; printf ' iterations\\n' >&2
                printf 'demo: wrote x\\n'
                exit 3
                """);
        Path launch = Files.writeString(dir.resolve("launch.sh"), "source '" + LAUNCHER.toAbsolutePath() + "'\n"
                + "set -euo pipefail\nrun_filtered bash '" + command + "'\n");
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", "bash " + launch, "/dev/null").redirectErrorStream(true);
        pb.environment().remove("LD_PRELOAD");   // the test JVM's libjsig would make every child print its note
        Process p = pb.start();
        p.getOutputStream().close();
        String screen = String.join("\n", TerminalScreen.lines(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals("style: done after 30 iterations\ndemo: wrote x", screen.strip());
        assertEquals(3, p.exitValue(), "the launcher's status is the command's");
    }
}
