package dev.pixelgrad.algorithms.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pixelgrad.algorithms.TinyVgg;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.testing.Npy;
import dev.pixelgrad.weights.ConvertedFormat;
import dev.pixelgrad.weights.DType;
import dev.pixelgrad.weights.LoadedWeights;
import dev.pixelgrad.weights.RawTensor;
import dev.pixelgrad.weights.WeightFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each command end to end through Main.run, with --weights naming a converted file of a narrow random VGG-19;
 * and through Main.commandLine with a tiny network handed in as the {@link VggSource}.
 */
class CommandLineTest {
    @TempDir
    static Path dir;
    static Path weights;

    /** The parity fixture's narrow VGG-19, written as a converted weights file (what --weights reads). */
    @BeforeAll
    static void tinyWeightsFile() throws IOException {
        weights = dir.resolve("tiny-vgg19.safetensors");
        writeTinyVgg(weights);
        ImageFiles.write(picture(40, 56, 0), dir.resolve("content.png"));
        ImageFiles.write(picture(48, 48, 2), dir.resolve("style.png"));
    }

    /** Writes the narrow random VGG-19 of the loss fixtures as a converted weights file. */
    static void writeTinyVgg(Path file) throws IOException {
        VggSpec spec = new VggSpec(VggSpec.Arch.VGG19, new int[]{4, 6, 8, 8, 8}, 16, 10);
        Map<String, RawTensor> params = new LinkedHashMap<>();
        for (String name : spec.parameterShapes(false).keySet()) {
            Npy.Array a = Npy.read(Path.of("src/test/resources/fixtures/losses/weights", name + ".npy"));
            params.put(name, new RawTensor(name, a.shape(), DType.F32, a.data()));
        }
        ConvertedFormat.write(new LoadedWeights(file, WeightFormat.SAFETENSORS, spec, Preprocessing.TORCHVISION,
                "test", params, "tiny", "0"), file, false);
    }

    /** Main.run with --weights pointing at the tiny file. */
    private static int run(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--weights";
        all[args.length + 1] = weights.toString();
        return Main.run(all);
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
        assertEquals(0, run("style", "--content", dir.resolve("content.png").toString(), "--style",
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
        assertEquals(0, run("invert", "--image", dir.resolve("content.png").toString(), "--size", "0",
                "--layer", "relu3_1", "--iterations", "5", "--out", out.toString(), "--log", log.toString(), "--quiet"));
        checkSize(out, 40, 56);
        checkLog(log(log), 5, Set.of("feature", "tv"), true);
    }

    @Test
    void textureWithAdam() throws IOException {
        Path out = dir.resolve("texture.png"), log = dir.resolve("texture.jsonl");
        assertEquals(0, run("texture", "--texture", dir.resolve("style.png").toString(), "--size", "40x32",
                "--iterations", "8", "--optimizer", "adam", "--learning-rate", "0.02", "--out", out.toString(),
                "--log", log.toString(), "--quiet"));
        checkSize(out, 32, 40);
        checkLog(log(log), 8, Set.of("texture"), true);
    }

    @Test
    void dream() throws IOException {
        Path out = dir.resolve("dream.png"), log = dir.resolve("dream.jsonl");
        assertEquals(0, run("dream", "--image", dir.resolve("content.png").toString(), "--layer", "relu3_1",
                "--octaves", "1", "--iterations", "4", "--out", out.toString(), "--log", log.toString(), "--quiet"));
        checkSize(out, 40, 56);
        checkLog(log(log), 4, Set.of("dream"), false);
    }

    @Test
    void demoRunsOfflineWithAWeightsFile() throws IOException {
        Path out = dir.resolve("demo.png");
        assertEquals(0, run("demo", "--size", "48", "--iterations", "2", "--out", out.toString(), "--quiet"));
        checkSize(out, 32, 48);   // chelsea.png is 451x300
    }

    /** What a command line printed on stdout and stderr while it ran args. */
    record Printed(int rc, String out, String err) {
    }

    static Printed printed(CommandLine cl, String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        try {
            return new Printed(cl.execute(args), o.toString(), e.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void demoRunsThroughTheLibraryOnAnInjectedNetwork() throws IOException {
        Path out = dir.resolve("demo-injected.png");
        List<Path> asked = new ArrayList<>();
        VggSource tiny = (file, backend) -> {
            asked.add(file);
            return TinyVgg.random(backend, 7, Preprocessing.TORCHVISION);
        };
        Printed p = printed(Main.commandLine(tiny), "demo", "--size", "48", "--iterations", "2", "--out", out.toString(), "--quiet");
        assertEquals(0, p.rc(), p.err());
        checkSize(out, 32, 48);
        assertEquals(Collections.singletonList(null), asked, "no --weights: the source's default network");
        assertTrue(p.err().startsWith("demo: style transfer of Chelsea the cat in the style of the Hubble deep field, 48 px, 2 L-BFGS steps on "), p.err());
        assertEquals("demo: wrote " + out.toAbsolutePath() + System.lineSeparator(), p.out());
    }

    @Test
    void demoWithoutANetworkSaysHowToGetOne() {
        VggSource none = new VggSource() {
            @Override
            public Vgg load(Path fileOrNull, Backend backend) {
                throw new AssertionError("nothing to load");
            }

            @Override
            public boolean hasDefault() {
                return false;
            }
        };
        Path out = dir.resolve("demo-none.png");
        Printed p = printed(Main.commandLine(none), "demo", "--out", out.toString(), "--quiet");
        assertEquals(1, p.rc());
        assertTrue(p.err().contains("demo: VGG-19 is not cached yet") && p.err().contains("demo: could not fetch VGG-19"), p.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void theWeightsOptionReachesTheSource() {
        List<Path> asked = new ArrayList<>();
        VggSource tiny = (file, backend) -> {
            asked.add(file);
            return TinyVgg.random(backend, 7, Preprocessing.TORCHVISION);
        };
        Path w = dir.resolve("any.safetensors"), out = dir.resolve("texture-injected.png");
        assertEquals(0, Main.commandLine(tiny).execute("texture", "--texture", dir.resolve("style.png").toString(), "--size", "16x16",
                "--iterations", "1", "--weights", w.toString(), "--out", out.toString(), "--quiet"));
        assertEquals(List.of(w), asked);
    }

    @Test
    void sameSeedSameImage() throws IOException {
        Path a = dir.resolve("a.png"), b = dir.resolve("b.png");
        for (Path p : List.of(a, b)) {
            assertEquals(0, run("texture", "--texture", dir.resolve("style.png").toString(), "--size", "24x24",
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
            assertEquals(1, run("invert", "--image", dir.resolve("missing.png").toString(), "--out",
                    dir.resolve("x.png").toString(), "--quiet"));
            assertEquals(1, run("style", "--content", dir.resolve("content.png").toString(), "--style",
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
