package dev.pixelgrad.algorithms.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.weights.TransformerNetWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train-style} and {@code stylize} end to end through Main.run, on the tiny VGG and a width-4 transformer. */
class FastStyleCommandsTest {
    @TempDir
    static Path dir;
    static Path vgg, model, data;

    @BeforeAll
    static void files() throws IOException {
        vgg = dir.resolve("tiny-vgg19.safetensors");
        CommandLineTest.writeTinyVgg(vgg);
        model = dir.resolve("tiny-model.safetensors");
        TransformerNetWeights.save(TransformerNet.initialized(4, 5, Backends.java()), Map.of("note", "test"), model);
        data = dir.resolve("photos");
        Files.createDirectories(data.resolve("a/b"));
        for (int i = 0; i < 5; i++) {
            ImageFiles.write(CommandLineTest.picture(36 + 4 * i, 44, i), data.resolve(i % 2 == 0 ? "a/p" + i + ".png" : "a/b/p" + i + ".jpg"));
        }
        ImageFiles.write(CommandLineTest.picture(21, 30, 1), dir.resolve("odd.png"));
        ImageFiles.write(CommandLineTest.picture(40, 40, 3), dir.resolve("style.png"));
    }

    /** Main.run with stderr captured: exit code and what it printed. */
    private static String[] run(String... args) {
        return CliRun.codeAndErr(args);
    }

    private static String[] train(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train-style", "--style", dir.resolve("style.png").toString(),
                "--data", data.toString(), "--size", "32", "--batch", "2", "--width", "4", "--seed", "3",
                "--weights", vgg.toString(), "--device", "java"));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    private static List<JsonObject> log(Path p) throws IOException {
        return Files.readAllLines(p).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    @Test
    void trainStyleCanBeWatched() {
        Path out = dir.resolve("served.safetensors");
        String[] r = train("--out", out.toString(), "--iterations", "2", "--sample", dir.resolve("odd.png").toString(),
                "--sample-every", "1", "--serve", "0");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].matches("(?s).*train-style: watch it at http://127\\.0\\.0\\.1:\\d+/\n.*"), r[1]);
        assertTrue(Files.exists(out));
    }

    @Test
    void stylizeKeepsTheSizeOfAnImageThatIsNoMultipleOfFour() throws IOException {
        Path out = dir.resolve("odd-styled.png");
        String[] r = run("stylize", "--model", model.toString(), "--image", dir.resolve("odd.png").toString(),
                "--out", out.toString(), "--device", "java");
        assertEquals("0", r[0], r[1]);
        RgbImage img = ImageFiles.read(out);
        assertArrayEquals(new int[]{21, 30}, new int[]{img.height(), img.width()});
    }

    @Test
    void stylizeInTilesGivesTheWholeImageWhereTilesAgree() throws IOException {
        Path whole = dir.resolve("whole.png"), tiled = dir.resolve("tiled.png");
        Path big = dir.resolve("big.png");
        ImageFiles.write(CommandLineTest.picture(100, 150, 2), big);
        assertEquals("0", run("stylize", "--model", model.toString(), "--image", big.toString(), "--out", whole.toString(),
                "--device", "java")[0]);
        String[] r = run("stylize", "--model", model.toString(), "--image", big.toString(), "--out", tiled.toString(),
                "--device", "java", "--tile", "96");
        assertEquals("0", r[0], r[1]);
        RgbImage a = ImageFiles.read(whole), b = ImageFiles.read(tiled);
        assertArrayEquals(new int[]{a.height(), a.width()}, new int[]{b.height(), b.width()});
        // instance norm takes its statistics per tile, so tiles differ a little from the whole; no seam means no large jump
        double mean = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            mean += Math.abs(a.rgb()[i] - b.rgb()[i]);
        }
        mean /= a.rgb().length;
        assertTrue(mean < 0.1, "mean difference tiled vs whole: " + mean);
    }

    @Test
    void stylizeAFolderGivesAFolderWithTheSameNames() throws IOException {
        Path out = dir.resolve("styled-frames");
        String[] r = run("stylize", "--model", model.toString(), "--image", data.toString(), "--out", out.toString(),
                "--device", "java", "--size", "32", "--original-colors");
        assertEquals("0", r[0], r[1]);
        for (int i = 0; i < 5; i++) {
            Path p = out.resolve(i % 2 == 0 ? "a/p" + i + ".png" : "a/b/p" + i + ".jpg");
            assertTrue(Files.isRegularFile(p), p + " missing; stderr: " + r[1]);
            assertEquals(32, ImageFiles.read(p).longSide());
        }
        assertTrue(r[1].contains("stylize: 5 images in") && r[1].contains("peak Java heap"), r[1]);
    }

    @Test
    void stylizeRefusesAModelOfAnotherArchitecture() {
        String[] r = run("stylize", "--model", vgg.toString(), "--image", dir.resolve("odd.png").toString(),
                "--out", dir.resolve("never.png").toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[1].contains(vgg.toString()), r[1]);
        assertFalse(Files.exists(dir.resolve("never.png")));
    }

    @Test
    void stylizeRefusesAnImageSmallerThanTheNetworkNeedsNamingIt() throws IOException {
        Path tiny = dir.resolve("tiny.png");
        ImageFiles.write(CommandLineTest.picture(5, 12, 2), tiny);
        String[] r = run("stylize", "--model", model.toString(), "--image", tiny.toString(),
                "--out", dir.resolve("never.png").toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("--image " + tiny + ": 12x5 px; the network needs at least 8x8"), r[1]);
        assertFalse(Files.exists(dir.resolve("never.png")));
    }

    @Test
    void stylizeRefusesATruncatedModel() throws IOException {
        Path cut = dir.resolve("cut.safetensors");
        byte[] all = Files.readAllBytes(model);
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        String[] r = run("stylize", "--model", cut.toString(), "--image", dir.resolve("odd.png").toString(),
                "--out", dir.resolve("never.png").toString(), "--device", "java");
        assertEquals("1", r[0]);
        assertTrue(r[1].contains(cut.toString()), r[1]);
    }

    @Test
    void trainingRefusesAFolderWithoutImages() throws IOException {
        Path empty = dir.resolve("no-images");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("notes.txt"), "not an image");
        String[] r = run("train-style", "--style", dir.resolve("style.png").toString(), "--data", empty.toString(),
                "--out", dir.resolve("m.safetensors").toString(), "--weights", vgg.toString(),
                "--device", "java", "--width", "4", "--size", "32");
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("--data") && r[1].contains(empty.toString()), r[1]);
    }

    @Test
    void trainingWritesAModelThatStylizesAndLogsEveryStep() throws IOException {
        Path out = dir.resolve("trained.safetensors"), log = dir.resolve("train.jsonl");
        String[] r = train("--iterations", "3", "--out", out.toString(), "--log", log.toString(), "--plot",
                "--sample", dir.resolve("odd.png").toString(), "--sample-every", "3");
        assertEquals("0", r[0], r[1]);
        List<JsonObject> lines = log(log);
        assertEquals(3, lines.size());
        for (int i = 0; i < 3; i++) {
            JsonObject o = lines.get(i);
            assertEquals(i + 1, o.get("iter").getAsInt());
            double sum = o.get("content").getAsDouble() + o.get("style").getAsDouble() + o.get("tv").getAsDouble();
            assertEquals(o.get("loss").getAsDouble(), sum, 1e-5 * sum);
        }
        assertTrue(Files.exists(dir.resolve("trained-loss.png")));
        assertTrue(Files.exists(dir.resolve("trained-sample-iter3.png")));
        assertEquals("0", run("stylize", "--model", out.toString(), "--image", dir.resolve("odd.png").toString(),
                "--out", dir.resolve("trained-odd.png").toString(), "--device", "java")[0]);
    }

    @Test
    void resumingContinuesExactlyAsTheUninterruptedRun() throws IOException {
        Path logA = dir.resolve("a.jsonl"), logB = dir.resolve("b.jsonl");
        Path outA = dir.resolve("a.safetensors"), outB = dir.resolve("b.safetensors");
        // 5 images in batches of 2: the epoch ends after step 3, so the resume also crosses an epoch
        assertEquals("0", train("--iterations", "5", "--out", outA.toString(), "--log", logA.toString(), "--quiet")[0]);
        assertEquals("0", train("--iterations", "2", "--checkpoint-every", "2", "--out", outB.toString(), "--log", logB.toString(),
                "--quiet")[0]);
        Path checkpoint = dir.resolve("b-checkpoint.safetensors");
        assertTrue(Files.exists(checkpoint));
        String[] r = train("--iterations", "5", "--resume", checkpoint.toString(), "--out", outB.toString(), "--log", logB.toString(),
                "--quiet");
        assertEquals("0", r[0], r[1]);
        List<JsonObject> a = log(logA), b = log(logB);
        assertEquals(5, b.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(a.get(i).get("iter").getAsInt(), b.get(i).get("iter").getAsInt());
            assertEquals(a.get(i).get("loss").getAsFloat(), b.get(i).get("loss").getAsFloat(), "step " + (i + 1));
        }
        // the resumed part's clock counts on from the time the checkpoint recorded
        for (int i = 1; i < 5; i++) {
            assertTrue(b.get(i).get("seconds").getAsDouble() >= b.get(i - 1).get("seconds").getAsDouble(), "seconds at step " + (i + 1));
        }
    }

    @Test
    void resumingWithOtherSettingsIsRefused() {
        Path out = dir.resolve("c.safetensors");
        assertEquals("0", train("--iterations", "1", "--checkpoint-every", "1", "--out", out.toString(), "--quiet")[0]);
        String[] r = run("train-style", "--style", dir.resolve("style.png").toString(), "--data", data.toString(),
                "--size", "32", "--batch", "3", "--width", "4", "--seed", "3", "--weights", vgg.toString(),
                "--device", "java", "--out", out.toString(), "--resume", dir.resolve("c-checkpoint.safetensors").toString());
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("--batch 2"), r[1]);
    }
}
