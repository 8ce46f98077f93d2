package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.lecture.TinyClassifier;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.weights.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code saliency} and {@code guided-backprop} end to end through Main.run, on the tiny classifier. */
class LectureMapsCommandsTest {
    @TempDir
    static Path dir;
    static Path classifier, convOnly, photo;

    @BeforeAll
    static void files() throws IOException {
        classifier = dir.resolve("tiny-classifier.safetensors");
        TinyClassifier.write(classifier, Backends.java(), 3);
        convOnly = dir.resolve("tiny-vgg19.safetensors");
        CommandLineTest.writeTinyVgg(convOnly);
        photo = dir.resolve("photo.png");
        ImageFiles.write(CommandLineTest.picture(50, 70, 1), photo);
    }

    /** Main.run with stdout and stderr captured: exit code, stdout, stderr. */
    private static String[] run(String... args) {
        return CliRun.codeOutAndErr(args);
    }

    private static String[] saliency(Path weights, String... extra) {
        List<String> args = new ArrayList<>(List.of("saliency", "--image", photo.toString(), "--weights", weights.toString(),
                "--device", "java"));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    private static String[] guided(String... extra) {
        List<String> args = new ArrayList<>(List.of("guided-backprop", "--image", photo.toString(), "--weights",
                classifier.toString(), "--device", "java"));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    private static void assertSize(Path picture) throws IOException {
        RgbImage img = ImageFiles.read(picture);
        assertArrayEquals(new int[]{50, 70}, new int[]{img.height(), img.width()}, picture.toString());
    }

    @Test
    void saliencyWritesTheMapTheOverlayAndTheNpyAtTheImageSize() throws IOException {
        Path out = dir.resolve("sal.png"), npy = dir.resolve("sal.npy");
        String[] r = saliency(classifier, "--out", out.toString(), "--npy", npy.toString(), "--class", "Tabby");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("class 281 'tabby', probability 0."), r[1]);
        assertSize(out);
        assertSize(dir.resolve("sal-overlay.png"));
        Npy.Array a = Npy.read(npy);
        assertArrayEquals(new int[]{50, 70}, a.shape());
        float max = 0;
        for (float v : a.data()) {
            assertTrue(v >= -1e-6f, "a saliency map is not negative (up to resampling): " + v);
            max = Math.max(max, v);
        }
        assertTrue(max > 0);
    }

    @Test
    void saliencyOfTheTopClassWithSmoothGrad() throws IOException {
        Path out = dir.resolve("smooth.jpg");
        String[] r = saliency(classifier, "--out", out.toString(), "--smooth", "3", "--noise", "0.1");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].matches("(?s)class \\d+ '.+', probability 0\\.\\d{4}\n.*"), r[1]);
        assertSize(out);
        assertSize(dir.resolve("smooth-overlay.jpg"));
    }

    @Test
    void saliencyRefusesBadInput() {
        String out = dir.resolve("bad.png").toString();
        String[] r = saliency(classifier, "--out", out, "--class", "1000");
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("--class 1000: the classifier has classes 0 to 999"), r[2]);
        r = saliency(classifier, "--out", out, "--class", "tabby kat");
        assertTrue(r[2].contains("--class 'tabby kat': no class of that name; the closest are 'tabby' (281)"), r[2]);
        r = saliency(convOnly, "--out", out);
        assertTrue(r[2].contains("saliency needs VGG weights with the classifier (fc6, fc7, fc8)"), r[2]);
        r = saliency(classifier, "--out", out, "--noise", "0.2");
        assertTrue(r[2].contains("--noise 0.2 is SmoothGrad's noise and needs --smooth N"), r[2]);
        r = saliency(classifier, "--out", dir.resolve("map.tif").toString());
        assertTrue(r[2].contains("--out") && r[2].contains("end it in .png, .jpg or .jpeg"), r[2]);
        assertFalse(Files.exists(dir.resolve("bad.png")), "nothing written after a refusal");
    }

    @Test
    void guidedBackpropWritesTheSignedGradientAtTheImageSize() throws IOException {
        Path out = dir.resolve("guided.png"), npy = dir.resolve("guided.npy");
        String[] r = guided("--layer", "relu4_3", "--out", out.toString(), "--npy", npy.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].matches("(?s)relu4_3 channel \\d of 8 \\(the largest mean activation\\), mean activation .*"), r[1]);
        assertSize(out);
        assertArrayEquals(new int[]{3, 50, 70}, Npy.read(npy).shape());
        r = guided("--layer", "fc8", "--channel", "281", "--out", dir.resolve("guided-fc8.png").toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("fc8 channel 281 of 1000, mean activation"), r[1]);
    }

    @Test
    void guidedBackpropRefusesAnUnknownLayerAndAChannelOutOfRange() {
        String out = dir.resolve("bad-guided.png").toString();
        String[] r = guided("--layer", "relu9_1", "--out", out);
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("--layer relu9_1: unknown layer 'relu9_1'; valid layers: conv1_1"), r[2]);
        r = guided("--layer", "relu1_1", "--channel", "4", "--out", out);
        assertTrue(r[2].contains("--channel 4: relu1_1 has 4 channels, 0 to 3"), r[2]);
        r = run("guided-backprop", "--image", photo.toString(), "--weights", convOnly.toString(), "--device", "java",
                "--layer", "fc6", "--out", out);
        assertTrue(r[2].contains("--layer fc6: unknown layer 'fc6'"), r[2]);
        assertFalse(Files.exists(Path.of(out)));
    }
}
