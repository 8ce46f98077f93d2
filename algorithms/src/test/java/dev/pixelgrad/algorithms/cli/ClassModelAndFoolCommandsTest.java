package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.lecture.Classifier;
import dev.pixelgrad.algorithms.lecture.TinyClassifier;
import dev.pixelgrad.tensor.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code class-model} and {@code fool} end to end through Main.run, on the tiny random classifier. */
class ClassModelAndFoolCommandsTest {
    static final long SEED = 5;

    @TempDir
    static Path dir;
    static Path weights, convOnly, photo;
    static Classifier classifier;

    @BeforeAll
    static void files() throws IOException {
        weights = dir.resolve("tiny-classifier.safetensors");
        TinyClassifier.write(weights, Backends.java(), SEED);
        convOnly = dir.resolve("tiny-vgg19.safetensors");
        CommandLineTest.writeTinyVgg(convOnly);
        photo = dir.resolve("photo.png");
        ImageFiles.write(smoothPicture(3), photo);
        classifier = TinyClassifier.classifier(Backends.java(), SEED);
    }

    /** Main.run with stderr captured: exit code and what it printed. */
    private static String[] run(String... args) {
        return CliRun.codeAndErr(args);
    }

    private static String[] fool(Path out, String target, String... extra) {
        List<String> args = new ArrayList<>(List.of("fool", "--image", photo.toString(), "--target", target, "--out", out.toString(),
                "--weights", weights.toString(), "--device", "java"));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    private static String[] classModel(Path out, String cls, String... extra) {
        List<String> args = new ArrayList<>(List.of("class-model", "--class", cls, "--out", out.toString(), "--iterations", "4",
                "--weights", weights.toString(), "--device", "java"));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    private static float[] scoresOfPhoto() throws IOException {
        return classifier.scoresOf(ImageFiles.read(photo))[0];
    }

    /** A smooth 224 x 224 picture: on the random network, its class scores are far enough apart for a target to be reached. */
    static RgbImage smoothPicture(double phase) {
        int n = Classifier.SIZE;
        float[] rgb = new float[3 * n * n];
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    rgb[(ch * n + y) * n + x] = (float) (0.5 + 0.4 * Math.sin(0.05 * x + 0.03 * y * (ch + 1) + phase + ch));
                }
            }
        }
        return new RgbImage(rgb, n, n);
    }

    private static int rank(float[] scores, int place) {
        return IntStream.range(0, scores.length).boxed().sorted(Comparator.comparingDouble(i -> -scores[i])).toList().get(place);
    }

    @Test
    void foolReachesTheTargetAndPrintsTheChangeOfTheFiles() throws IOException {
        int target = rank(scoresOfPhoto(), 20);
        Path out = dir.resolve("fooled.png");
        String[] r = fool(out, classifier.name(target), "--quiet");
        assertEquals("0", r[0], r[1]);
        RgbImage fooled = ImageFiles.read(out), original = ImageFiles.read(photo);
        assertEquals(Classifier.SIZE, fooled.height());
        assertEquals(target, Classifier.top(classifier.scoresOf(fooled)[0]), "read back, the PNG is the target");
        assertTrue(r[1].contains("read back, fooled.png is classified as " + target + " (" + classifier.name(target) + ")"), r[1]);
        assertTrue(Files.exists(dir.resolve("fooled-diff.png")), "the magnified change beside the result");

        double linf = 0, l2 = 0;
        for (int i = 0; i < fooled.rgb().length; i++) {
            double d = Math.round(255 * fooled.rgb()[i]) - Math.round(255 * original.rgb()[i]);
            linf = Math.max(linf, Math.abs(d));
            l2 += d * d;
        }
        Matcher m = Pattern.compile("in (\\d+) steps; change in levels of 255: L-inf (\\d+), L2 ([0-9.]+)").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        int steps = Integer.parseInt(m.group(1));
        assertTrue(steps > 0 && steps < 100, steps + " steps");
        assertEquals(linf, Double.parseDouble(m.group(2)), 0.0, r[1]);
        assertEquals(Math.sqrt(l2), Double.parseDouble(m.group(3)), 0.006, r[1]);
        assertTrue(linf > 0);
    }

    @Test
    void foolWithTheCurrentClassHasNothingToDo() throws IOException {
        Path out = dir.resolve("same.png");
        String[] r = fool(out, Integer.toString(rank(scoresOfPhoto(), 0)));
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("is already classified as") && r[1].contains("nothing to do"), r[1]);
        assertFalse(Files.exists(out));
    }

    @Test
    void foolThatRunsOutOfStepsWritesNothingAndFails() throws IOException {
        Path out = dir.resolve("failed.png");
        String[] r = fool(out, Integer.toString(rank(scoresOfPhoto(), 900)), "--max-iterations", "2", "--step", "0.01", "--quiet");
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("was not reached in 2 steps") && r[1].contains("nothing written"), r[1]);
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("failed-diff.png")));
    }

    @Test
    void classModelRaisesTheScoreAndWritesTheSequence() throws IOException {
        Path out = dir.resolve("model.png");
        String[] r = classModel(out, "flamingo", "--save-every", "2", "--learning-rate", "10");
        assertEquals("0", r[0], r[1]);
        RgbImage img = ImageFiles.read(out);
        assertEquals(Classifier.SIZE, img.height());
        assertEquals(Classifier.SIZE, img.width());
        assertTrue(Files.exists(dir.resolve("model-iter2.png")), r[1]);
        assertFalse(Files.exists(dir.resolve("model-iter4.png")), "the last step is OUT itself");
        Matcher m = Pattern.compile("class 130 \\(flamingo\\): score (-?[0-9.]+) at the start, (-?[0-9.]+) in").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        assertTrue(Double.parseDouble(m.group(2)) > Double.parseDouble(m.group(1)), r[1]);
        assertTrue(r[1].contains("step 4/4, class score"), "plain progress lines off a terminal: " + r[1]);
    }

    @Test
    void badClassesAreRefusedWithTheirOption() {
        String[] r = classModel(dir.resolve("x.png"), "1000");
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("--class 1000: the classifier has classes 0 to 999"), r[1]);
        r = fool(dir.resolve("x.png"), "flamingoo");
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("--target 'flamingoo': no class of that name; the closest are 'flamingo' (130)"), r[1]);
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    @Test
    void weightsWithoutTheClassifierAreRefused() {
        for (String[] r : List.of(
                run("class-model", "--class", "3", "--out", dir.resolve("y.png").toString(), "--weights", convOnly.toString(), "--device", "java"),
                run("fool", "--image", photo.toString(), "--target", "3", "--out", dir.resolve("y.png").toString(),
                        "--weights", convOnly.toString(), "--device", "java"))) {
            assertEquals("1", r[0]);
            assertTrue(r[1].contains("needs VGG weights with the classifier (fc6, fc7, fc8)"), r[1]);
        }
    }

    @Test
    void nonPositiveCountsAndStepsAreRefusedWhenParsed() {
        String[][] cases = {
                {"--iterations", "0"}, {"--learning-rate", "0"}, {"--blur-sigma", "-1"}, {"--jitter", "-2"}, {"--l2", "NaN"}};
        for (String[] c : cases) {
            String[] r = classModel(dir.resolve("z.png"), "3", c);
            assertEquals("2", r[0], String.join(" ", c) + ": " + r[1]);
            assertTrue(r[1].contains("Invalid value for option '" + c[0] + "'"), r[1]);
        }
        for (String[] c : new String[][]{{"--max-iterations", "0"}, {"--step", "0"}, {"--step", "-1"}}) {
            String[] r = fool(dir.resolve("z.png"), "3", c);
            assertEquals("2", r[0], String.join(" ", c) + ": " + r[1]);
            assertTrue(r[1].contains("Invalid value for option '" + c[0] + "'"), r[1]);
        }
    }

    @Test
    void foolWritesOnlyPng() {
        String[] r = fool(dir.resolve("f.jpg"), "3");
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("--out") && r[1].contains("must be a PNG"), r[1]);
    }
}
