package dev.pixelgrad.algorithms.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** {@link Main#run} with what it prints captured, for the command-line tests. */
final class CliRun {
    private CliRun() {
    }

    /** {exit code, stderr}. */
    static String[] codeAndErr(String... args) {
        String[] r = codeOutAndErr(args);
        return new String[]{r[0], r[2]};
    }

    /** {exit code, stdout, stderr}. */
    static String[] codeOutAndErr(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[]{Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
