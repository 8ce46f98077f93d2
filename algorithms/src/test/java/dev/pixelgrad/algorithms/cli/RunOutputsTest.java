package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.TinyVgg;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The files a run leaves behind: their permissions, and what Ctrl-C leaves. */
class RunOutputsTest {
    /** The converted-weights fixture of the weights module (tests run in the module directory). */
    private static final Path TINY_VGG16 = Path.of("..", "weights", "src", "test", "resources", "fixtures", "tiny_vgg16.pth");

    @TempDir
    Path dir;

    private static Set<PosixFilePermission> mode(Path p) throws IOException {
        return Files.getPosixFilePermissions(p);
    }

    /** Files whose names start with a dot: AtomicFiles' temporaries (.NAME.tmpXXXX). */
    private static List<Path> hidden(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    @Test
    void resultsFollowTheUmaskLikeAPlainNewFile() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path run = Files.createDirectories(dir.resolve("run"));
        ImageFiles.write(CommandLineTest.picture(24, 24, 1), dir.resolve("texture.png"));
        Path plain = Files.writeString(dir.resolve("plain.txt"), "made with the process umask");
        Path out = run.resolve("out.png");
        VggSource tiny = (file, backend) -> TinyVgg.random(backend, 7, Preprocessing.TORCHVISION);
        assertEquals(0, Main.commandLine(tiny).execute("texture", "--texture", dir.resolve("texture.png").toString(),
                "--size", "16x16", "--iterations", "2", "--save-every", "1", "--plot", "--log", run.resolve("log.jsonl").toString(),
                "--out", out.toString(), "--quiet"));
        for (String name : List.of("out.png", "out-iter1.png", "out-iter2.png", "out-loss.png", "log.jsonl")) {
            assertEquals(PosixFilePermissions.toString(mode(plain)), PosixFilePermissions.toString(mode(run.resolve(name))), name);
        }
        assertEquals(List.of(), hidden(run));
    }

    /**
     * Ctrl-C in a real JVM: SIGINT while texture runs with a checkpoint every iteration under umask 027.
     * The run stops after the iteration in progress, writes the image so far (mode rw-r-----), says so,
     * exits with 130, and leaves no temporary file.
     */
    @Test
    void ctrlCWritesTheImageSoFarAndNoTemporaryFile() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX signals and modes here");
        Path weights = dir.resolve("tiny16.safetensors");
        assertEquals(0, Main.run("convert", "--in", TINY_VGG16.toString(), "--out", weights.toString()));
        ImageFiles.write(CommandLineTest.picture(24, 24, 1), dir.resolve("texture.png"));
        Path run = Files.createDirectories(dir.resolve("run")), out = run.resolve("out.png"), log = run.resolve("log.jsonl");
        Path stderr = dir.resolve("stderr.txt");

        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask 027 && exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Dpixelgrad.home=" + dir.resolve("home"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "texture", "--texture", dir.resolve("texture.png").toString(), "--size", "24x24", "--iterations", "100000",
                "--optimizer", "adam", "--device", "java", "--weights", weights.toString(), "--save-every", "1", "--plot",
                "--log", log.toString(), "--out", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(stderr.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(log) || Files.readAllLines(log).size() < 3) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    fail("the run did not get going (alive: " + p.isAlive() + "):\n" + Files.readString(stderr));
                }
                Thread.sleep(20);
            }
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running 30 s after Ctrl-C");
        } finally {
            p.destroyForcibly();
        }
        String said = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(130, p.exitValue(), said);
        Matcher m = Pattern.compile("texture: stopped after (\\d+) iterations? \\([0-9.]+ s\\): (.*)\\R").matcher(said);
        assertTrue(m.find(), said);
        assertEquals(out.toAbsolutePath().toString(), m.group(2));
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.get(lines.size() - 1).startsWith("{\"iter\":" + m.group(1) + ","), "the image is the last logged iteration: "
                + lines.get(lines.size() - 1) + " vs " + m.group(0));
        RgbImage img = ImageFiles.read(out);
        assertEquals(24, img.height());
        assertEquals(24, img.width());
        for (Path f : List.of(out, run.resolve("out-loss.png"), run.resolve("out-iter1.png"), log)) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(mode(f)), f.getFileName().toString());
        }
        assertEquals(List.of(), hidden(run), "temporary files left behind");
    }
}
