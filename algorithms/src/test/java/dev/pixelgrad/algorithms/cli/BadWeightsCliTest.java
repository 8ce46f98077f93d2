package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.tensor.io.PixelgradHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A corrupt or hostile weight file given to an algorithm command: one line saying why, no stack trace. */
class BadWeightsCliTest {
    @TempDir
    Path dir;
    private PrintStream oldOut, oldErr;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private String oldHome;   // the build's test home: restored, never cleared

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        oldHome = System.getProperty(PixelgradHome.PROPERTY);
        System.setProperty(PixelgradHome.PROPERTY, dir.resolve("home").toString());
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        if (oldHome == null) {
            System.clearProperty(PixelgradHome.PROPERTY);
        } else {
            System.setProperty(PixelgradHome.PROPERTY, oldHome);
        }
    }

    @Test
    void hostilePickleIsOneLine() throws IOException {
        // a legacy .pth whose first pickle uses a list holding itself as a dict key
        Path bad = dir.resolve("selfkey.pth");
        Files.write(bad, new byte[]{(byte) 0x80, 2, '}', ']', '2', 'a', 'N', 's', '.'});
        int rc = Main.run("demo", "--device", "java", "--weights", bad.toString(), "--out", dir.resolve("o.png").toString());
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, stderr);
        String[] lines = stderr.strip().split("\n");
        assertEquals("pixelgrad demo: " + bad + ": corrupt or unsupported pickle at offset 7: a dict key is a list;"
                + " a weight file's dicts are keyed by names and small numbers", lines[lines.length - 1].strip(), stderr);
        assertFalse(stderr.contains("\tat "), "no stack trace: " + stderr);
        assertFalse(Files.exists(dir.resolve("o.png")));
    }
}
