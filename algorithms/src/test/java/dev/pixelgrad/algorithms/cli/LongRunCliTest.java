package dev.pixelgrad.algorithms.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pixelgrad.algorithms.TinyVgg;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.nn.Preprocessing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a long run says in its first and last lines and its log, on a tiny network handed in as the {@link VggSource}. */
class LongRunCliTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void images() throws IOException {
        ImageFiles.write(CommandLineTest.picture(40, 56, 0), dir.resolve("content.png"));
        ImageFiles.write(CommandLineTest.picture(24, 24, 2), dir.resolve("texture.png"));
    }

    private static CommandLine tiny() {
        return Main.commandLine((file, backend) -> TinyVgg.random(backend, 7, Preprocessing.TORCHVISION));
    }

    private static List<JsonObject> log(Path p) throws IOException {
        return Files.readAllLines(p).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    /**
     * Starting from the example itself, texture's loss and gradient are zero: nothing to do. The
     * run stops at once and says why, where it used to say "done after 0 iterations".
     */
    @Test
    void aRunThatCannotImproveSaysWhyItStopped() throws IOException {
        Path out = dir.resolve("texture.png"), log = dir.resolve("texture.jsonl");
        String texture = dir.resolve("texture.png.in").toString();
        Files.copy(dir.resolve("texture.png"), Path.of(texture));
        CommandLineTest.Printed p = CommandLineTest.printed(tiny(), "texture", "--texture", texture, "--texture-size", "0",
                "--size", "24x24", "--init", texture, "--iterations", "20", "--device", "java", "--out", out.toString(),
                "--log", log.toString());
        assertEquals(0, p.rc(), p.err());
        assertTrue(p.err().matches("(?s).*texture: stopped after 0 of 20 iterations \\(\\d+\\.\\d s\\): the gradient is zero; wrote "
                + java.util.regex.Pattern.quote(out.toAbsolutePath().toString()) + "\\R"), p.err());
        List<JsonObject> lines = log(log);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(0, lines.get(0).get("loss").getAsDouble());
        assertEquals(0, lines.get(1).get("iter").getAsInt());
        assertEquals("the gradient is zero", lines.get(1).get("stopped").getAsString());
        assertTrue(Files.exists(out));
    }

    /** The defect: --iterations 5 ran 5 steps, not 5 x 4 octaves, and nothing said that 3 octaves were too small. */
    @Test
    void dreamSaysUpFrontWhichOctavesItDropsAndHowManyStepsRun() throws IOException {
        Path out = dir.resolve("dream.png"), log = dir.resolve("dream.jsonl");
        CommandLineTest.Printed p = CommandLineTest.printed(tiny(), "dream", "--image", dir.resolve("content.png").toString(),
                "--layer", "relu3_1", "--iterations", "2", "--device", "java", "--out", out.toString(), "--log", log.toString());
        assertEquals(0, p.rc(), p.err());
        assertTrue(p.err().startsWith("dream: 1 octave x 2 steps = 2 steps (56x40); "
                + "the 3 smallest octaves (20x15, 29x20, 40x29) are dropped: below 32 px" + System.lineSeparator()), p.err());
        assertTrue(p.err().contains("dream: iteration 2/2"), p.err());
        assertEquals(3, log(log).size());

        CommandLineTest.Printed quiet = CommandLineTest.printed(tiny(), "dream", "--image", dir.resolve("content.png").toString(),
                "--layer", "relu3_1", "--iterations", "1", "--octaves", "1", "--device", "java", "--out", out.toString(), "--quiet");
        assertEquals(0, quiet.rc(), quiet.err());
        assertFalse(quiet.err().contains("octave"), quiet.err());
    }

    @Test
    void dreamHelpSaysIterationsArePerOctave() {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true));
        try {
            assertEquals(0, Main.run("dream", "--help"));
        } finally {
            System.setOut(stdout);
        }
        String help = buf.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains("--iterations=N Steps per octave; the start line gives the total"), help);
    }
}
