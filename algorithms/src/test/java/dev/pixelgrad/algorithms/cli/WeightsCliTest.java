package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.weights.Npy;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** convert, weights list, features and classify end to end through Main.run, on the weights module's tiny fixtures. */
class WeightsCliTest {
    /** The fixtures written by weights/src/test/python/make_weight_fixtures.py (tests run in the module directory). */
    static final Path FIXTURES = Path.of("..", "weights", "src", "test", "resources", "fixtures");

    @TempDir
    Path dir;
    private PrintStream oldOut, oldErr;
    private ByteArrayOutputStream out, err;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.clearProperty("pixelgrad.home");
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void convertThenListTheCache() {
        Path converted = dir.resolve("vgg16.safetensors");
        int rc = Main.run("convert", "--in", FIXTURES.resolve("tiny_vgg16.caffemodel").toString(), "--out", converted.toString());
        assertEquals(0, rc, stderr());
        assertTrue(stdout().contains("preprocessing caffe (Caffe model)"), stdout());
        assertTrue(stdout().matches("(?s).*MB in \\d+\\.\\d\\d s.*"), stdout());
        assertTrue(Files.isRegularFile(converted));
        System.setProperty("pixelgrad.home", dir.toString());
        assertEquals(0, Main.run("weights", "list"));
        assertTrue(stdout().contains("vgg16") && stdout().contains("caffe"), stdout());
    }

    @Test
    void failedConvertSaysWhyAndWritesNothing() {
        Path target = dir.resolve("bad.safetensors");
        int rc = Main.run("convert", "--in", FIXTURES.resolve("tiny_vgg16_noncontig.pth").toString(), "--out", target.toString());
        assertEquals(1, rc);
        assertTrue(stderr().contains("classifier.0.weight") && stderr().contains("not contiguous"), stderr());
        assertFalse(Files.exists(target));
    }

    @Test
    void missingCacheNamesTheFetchCommand() {
        System.setProperty("pixelgrad.home", dir.toString());
        int rc = Main.run("features", "--image", FIXTURES.resolve("image.png").toString(), "--layers", "relu1_1", "--out", dir.toString());
        assertEquals(1, rc);
        assertTrue(stderr().contains("pixelgrad weights fetch vgg19"), stderr());
    }

    @Test
    void featuresMatchPyTorchWithoutResampling() throws IOException {
        Path outDir = dir.resolve("feats");
        int rc = Main.run("features", "--weights", FIXTURES.resolve("tiny_vgg16.pth").toString(), "--image",
                FIXTURES.resolve("image.png").toString(), "--layers", "relu1_1,relu3_2,relu5_3", "--out", outDir.toString(),
                "--size", "56", "--device", "java");
        assertEquals(0, rc, stderr());
        for (String layer : new String[]{"relu1_1", "relu3_2", "relu5_3"}) {
            Npy.Array got = Npy.read(outDir.resolve(layer + ".npy"));
            Npy.Array ref = Npy.read(FIXTURES.resolve("features/vgg16/" + layer + ".npy"));
            assertArrayEquals(ref.shape(), got.shape(), layer);
            double maxDiff = 0, maxRef = 0;
            for (int i = 0; i < ref.data().length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(got.data()[i] - ref.data()[i]));
                maxRef = Math.max(maxRef, Math.abs(ref.data()[i]));
            }
            assertTrue(maxDiff / maxRef <= 1e-4, layer + ": relative error " + maxDiff / maxRef);
        }
    }

    @Test
    void unknownLayerIsListed() {
        int rc = Main.run("features", "--weights", FIXTURES.resolve("tiny_vgg16.pth").toString(), "--image",
                FIXTURES.resolve("image.png").toString(), "--layers", "relu9_9", "--out", dir.toString());
        assertEquals(1, rc);
        assertTrue(stderr().contains("relu9_9"), stderr());
    }

    @Test
    void classifyPrintsTopFiveWithPyTorchsWinner() throws IOException {
        int rc = Main.run("classify", "--weights", FIXTURES.resolve("tiny_vgg16_legacy.pth").toString(), "--image",
                FIXTURES.resolve("image224.png").toString(), "--device", "java");
        assertEquals(0, rc, stderr());
        String[] lines = stdout().trim().split("\n");
        assertEquals(5, lines.length, stdout());
        float[] logits = Npy.read(FIXTURES.resolve("logits/vgg16_image224.npy")).data();
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            best = logits[i] > logits[best] ? i : best;
        }
        assertTrue(lines[0].trim().matches("\\d+\\.\\d\\d%\\s+" + best + "\\s+class " + best), stdout());
    }

    @Test
    void helpShowsDefaults() {
        assertEquals(0, Main.run("convert", "--help"));
        assertTrue(stdout().contains("(default: auto)"), stdout());
    }
}
