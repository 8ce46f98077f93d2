package dev.pixelgrad.algorithms.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pixelgrad.algorithms.TinyVgg;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each command end to end through Main.run, on a narrow random VGG-19. */
class CommandLineTest {
    @TempDir
    static Path dir;
    private static VggLoader.Source saved;

    @BeforeAll
    static void tinyNetwork() throws IOException {
        saved = VggLoader.source;
        VggLoader.source = (file, be) -> TinyVgg.random(be, 3, Preprocessing.TORCHVISION);
        ImageFiles.write(picture(40, 56, 0), dir.resolve("content.png"));
        ImageFiles.write(picture(48, 48, 2), dir.resolve("style.png"));
    }

    @AfterAll
    static void restore() {
        VggLoader.source = saved;
    }

    static RgbImage picture(int h, int w, double phase) {
        float[] rgb = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    rgb[(c * h + y) * w + x] = (float) (0.5 + 0.4 * Math.sin(0.3 * x + 0.2 * y * (c + 1) + phase + c));
                }
            }
        }
        return new RgbImage(rgb, h, w);
    }

    private static List<JsonObject> log(Path p) throws IOException {
        return Files.readAllLines(p).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private static void checkLog(List<JsonObject> lines, int iterations, Set<String> terms, boolean decreasing) {
        assertEquals(iterations + 1, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonObject o = lines.get(i);
            assertEquals(i, o.get("iter").getAsInt());
            assertTrue(o.has("seconds"));
            double sum = 0;
            for (String t : terms) {
                sum += o.get(t).getAsDouble();
            }
            assertEquals(terms.size() + 3, o.size(), o.toString());
            assertEquals(o.get("loss").getAsDouble(), sum, 1e-5 * Math.abs(sum) + 1e-9);
        }
        double first = lines.get(0).get("loss").getAsDouble(), last = lines.get(iterations).get("loss").getAsDouble();
        assertTrue(decreasing ? last < first : last > first, first + " -> " + last);
    }

    private static void checkSize(Path image, int h, int w) throws IOException {
        RgbImage img = ImageFiles.read(image);
        assertArrayEquals(new int[]{h, w}, new int[]{img.height(), img.width()});
    }

    @Test
    void style() throws IOException {
        Path out = dir.resolve("style.jpg"), log = dir.resolve("style.jsonl");
        assertEquals(0, Main.run("style", "--content", dir.resolve("content.png").toString(), "--style",
                dir.resolve("style.png").toString(), "--size", "48", "--iterations", "6", "--out", out.toString(),
                "--log", log.toString(), "--plot", "--save-every", "3", "--quiet", "--init", "noise", "--original-colors"));
        checkSize(out, 34, 48);
        checkLog(log(log), 6, Set.of("content", "style", "tv"), true);
        assertTrue(Files.exists(dir.resolve("style-loss.png")));
        assertTrue(Files.exists(dir.resolve("style-iter3.jpg")) && Files.exists(dir.resolve("style-iter6.jpg")));
    }

    @Test
    void invert() throws IOException {
        Path out = dir.resolve("invert.png"), log = dir.resolve("invert.jsonl");
        assertEquals(0, Main.run("invert", "--image", dir.resolve("content.png").toString(), "--size", "0",
                "--layer", "relu3_1", "--iterations", "5", "--out", out.toString(), "--log", log.toString(), "--quiet"));
        checkSize(out, 40, 56);
        checkLog(log(log), 5, Set.of("feature", "tv"), true);
    }

    @Test
    void textureWithAdam() throws IOException {
        Path out = dir.resolve("texture.png"), log = dir.resolve("texture.jsonl");
        assertEquals(0, Main.run("texture", "--texture", dir.resolve("style.png").toString(), "--size", "40x32",
                "--iterations", "8", "--optimizer", "adam", "--learning-rate", "0.05", "--out", out.toString(),
                "--log", log.toString(), "--quiet"));
        checkSize(out, 32, 40);
        checkLog(log(log), 8, Set.of("texture"), true);
    }

    @Test
    void dream() throws IOException {
        Path out = dir.resolve("dream.png"), log = dir.resolve("dream.jsonl");
        assertEquals(0, Main.run("dream", "--image", dir.resolve("content.png").toString(), "--layer", "relu3_1",
                "--octaves", "1", "--iterations", "4", "--out", out.toString(), "--log", log.toString(), "--quiet"));
        checkSize(out, 40, 56);
        checkLog(log(log), 4, Set.of("dream"), false);
    }

    @Test
    void sameSeedSameImage() throws IOException {
        Path a = dir.resolve("a.png"), b = dir.resolve("b.png");
        for (Path p : List.of(a, b)) {
            assertEquals(0, Main.run("texture", "--texture", dir.resolve("style.png").toString(), "--size", "24x24",
                    "--iterations", "3", "--seed", "5", "--out", p.toString(), "--quiet"));
        }
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void errorsAreOneLineNamingTheProblem() {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            assertEquals(1, Main.run("invert", "--image", dir.resolve("missing.png").toString(), "--out",
                    dir.resolve("x.png").toString(), "--quiet"));
            assertEquals(1, Main.run("style", "--content", dir.resolve("content.png").toString(), "--style",
                    dir.resolve("style.png").toString(), "--style-layers", "relu9_1", "--out", dir.resolve("x.png").toString()));
        } finally {
            System.setErr(err);
        }
        String text = buf.toString();
        assertTrue(text.contains("missing.png"), text);
        assertTrue(text.contains("relu9_1") && text.contains("relu5_1"), text);
    }

    @Test
    void helpListsEveryOptionWithDefaults() {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertEquals(0, Main.run("style", "--help"));
            assertEquals(0, Main.run("--help"));
        } finally {
            System.setOut(out);
        }
        String text = buf.toString();
        for (String s : List.of("--style-scale", "--original-colors", "--pooling", "--optimizer", "--save-every",
                "default: relu4_2", "dream", "invert", "texture", "demo", "selfcheck")) {
            assertTrue(text.contains(s), s + " missing from help:\n" + text);
        }
    }
}
