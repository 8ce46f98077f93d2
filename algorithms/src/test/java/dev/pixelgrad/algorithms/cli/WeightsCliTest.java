package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.tensor.io.PixelgradHome;
import dev.pixelgrad.weights.KnownWeights;
import dev.pixelgrad.weights.Npy;
import dev.pixelgrad.weights.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * convert, weights fetch/import/list, features and classify end to end through Main.run, on the
 * weights module's tiny fixtures; offline fetches go to a loopback port nobody listens on.
 */
class WeightsCliTest {
    /** The fixtures written by weights/src/test/python/make_weight_fixtures.py (tests run in the module directory). */
    static final Path FIXTURES = Path.of("..", "weights", "src", "test", "resources", "fixtures");

    @TempDir
    Path dir;
    private PrintStream oldOut, oldErr;
    private ByteArrayOutputStream out, err;
    private String oldHome;   // the build's test home (surefire sets it): restored, never cleared, so no test falls back to ~/.cache

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        oldHome = System.getProperty(PixelgradHome.PROPERTY);
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.clearProperty(KnownWeights.MIRROR_PROPERTY);
        if (oldHome == null) {
            System.clearProperty(PixelgradHome.PROPERTY);
        } else {
            System.setProperty(PixelgradHome.PROPERTY, oldHome);
        }
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
        System.setProperty(PixelgradHome.PROPERTY, dir.toString());
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
        System.setProperty(PixelgradHome.PROPERTY, dir.toString());
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

    /** The cache in a temporary home, and downloads from a loopback port with nothing listening. */
    private Path offlineHome() throws IOException {
        Path home = dir.resolve("home");
        System.setProperty(PixelgradHome.PROPERTY, home.toString());
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.setProperty(KnownWeights.MIRROR_PROPERTY, "http://127.0.0.1:" + s.getLocalPort());
        }
        return home;
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void fetchOfflineSaysWhichFileToGetAndHowToUseIt() throws IOException {
        Path home = offlineHome();
        assertEquals(1, Main.run("weights", "fetch", "vgg19"));
        String err = stderr();
        assertFalse(err.contains("resuming"), err);
        assertTrue(err.startsWith("pixelgrad weights fetch: cannot download vgg19-dcbb9e9d.pth from http://127.0.0.1:"), err);
        for (String needed : new String[]{"https://download.pytorch.org/models/vgg19-dcbb9e9d.pth", "pixelgrad weights import FILE",
                "--weights FILE", KnownWeights.MIRROR_ENV}) {
            assertTrue(err.contains(needed), "missing '" + needed + "' in: " + err);
        }
        assertEquals("", stdout());
        assertFalse(Files.exists(home), "nothing written: not even the cache directory");
    }

    @Test
    void demoOfflinePrintsTheGuidanceOnce() throws IOException {
        Path home = offlineHome();
        Path out = dir.resolve("demo.png");
        assertEquals(1, Main.run("demo", "--out", out.toString(), "--quiet"));
        String err = stderr();
        assertEquals(1, count(err, "pixelgrad weights import FILE"), err);
        assertEquals(1, count(err, "--weights FILE"), err);
        assertFalse(err.contains("resuming") || err.contains("try again"), err);
        assertTrue(err.startsWith("demo: VGG-19 is not cached yet; fetching it (once)" + System.lineSeparator()), err);
        assertTrue(err.endsWith("demo: could not fetch VGG-19, so the demo did not run" + System.lineSeparator()), err);
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(home), "nothing written: not even the cache directory");
    }

    @Test
    void importedFileIsCachedAndListed() throws IOException {
        Path home = dir.resolve("home");
        System.setProperty(PixelgradHome.PROPERTY, home.toString());
        Path file = FIXTURES.resolve("tiny_vgg16.pth");
        Path copied = Files.copy(file, dir.resolve("tiny16-" + Sha256.of(file).substring(0, 8) + ".pth"));
        assertEquals(0, Main.run("weights", "import", copied.toString()), stderr());
        assertEquals(home.resolve("vgg16.safetensors") + System.lineSeparator(), stdout());
        assertTrue(stderr().contains("converting " + copied.getFileName()), stderr());
        out.reset();
        assertEquals(0, Main.run("weights", "list"));
        assertTrue(stdout().lines().anyMatch(l -> l.startsWith("vgg16 ") && l.endsWith(copied.getFileName().toString())), stdout());
    }

    @Test
    void importOfAWrongHashOrAWrongFormatIsOneLineAndCachesNothing() throws IOException {
        Path home = dir.resolve("home");
        System.setProperty(PixelgradHome.PROPERTY, home.toString());
        Path wrongHash = Files.copy(FIXTURES.resolve("tiny_vgg16.pth"), dir.resolve("vgg19-dcbb9e9d.pth"));
        Path wrongFormat = Files.copy(FIXTURES.resolve("image.png"), dir.resolve("vgg19.pth"));
        for (Path bad : new Path[]{wrongHash, wrongFormat}) {
            err.reset();
            assertEquals(1, Main.run("weights", "import", bad.toString()));
            List<String> lines = stderr().lines().filter(l -> !l.startsWith("checking the sha256")).toList();
            assertEquals(1, lines.size(), stderr());
            assertTrue(lines.get(0).startsWith("pixelgrad weights import: " + bad + ": "), stderr());
        }
        assertTrue(stderr().contains("unrecognised weight file"), stderr());
        assertFalse(Files.exists(home), "nothing written: not even the cache directory");
    }

    @Test
    void fileMirrorIsCheckedLikeADownload() throws IOException {
        Path home = dir.resolve("home");
        System.setProperty(PixelgradHome.PROPERTY, home.toString());
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        Files.copy(FIXTURES.resolve("tiny_vgg16.pth"), mirror.resolve("vgg16-397923af.pth"));   // a published name, another file
        System.setProperty(KnownWeights.MIRROR_PROPERTY, mirror.toUri().toString());
        assertEquals(1, Main.run("weights", "fetch", "vgg16"));
        assertTrue(stderr().contains("does not start with 397923af"), stderr());
        assertFalse(Files.exists(home), "nothing written: not even the cache directory");
    }
}
