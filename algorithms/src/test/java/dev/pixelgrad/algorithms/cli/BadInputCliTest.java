package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.TinyVgg;
import dev.pixelgrad.algorithms.cli.CommandLineTest.Printed;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.nn.Preprocessing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.pixelgrad.algorithms.cli.CommandLineTest.printed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a new user's bad input gets: one line naming the option, the value and what is allowed,
 * before anything is loaded wherever that is possible (the network source here fails the test
 * when it is asked), and never a stack trace.
 */
class BadInputCliTest {
    @TempDir
    static Path dir;
    static Path image, out;

    /** Everything that uses it must fail before the weights load. */
    static final VggSource NEVER = (file, backend) -> {
        throw new AssertionError("the network was loaded, but the input was bad before that");
    };
    static final VggSource TINY = (file, backend) -> TinyVgg.random(backend, 7, Preprocessing.TORCHVISION);

    @BeforeAll
    static void files() throws IOException {
        image = dir.resolve("content.png");
        ImageFiles.write(CommandLineTest.picture(40, 56, 0), image);
        out = dir.resolve("out.png");
    }

    /** The options a command needs before the one under test. */
    static List<String> base(String command) {
        String img = image.toString(), o = out.toString();
        return new ArrayList<>(switch (command) {
            case "style" -> List.of("style", "--content", img, "--style", img, "--out", o);
            case "invert", "dream" -> List.of(command, "--image", img, "--out", o);
            case "texture" -> List.of("texture", "--texture", img, "--out", o);
            case "features" -> List.of("features", "--image", img, "--layers", "relu1_1", "--out", dir.toString());
            case "classify" -> List.of("classify", "--image", img);
            default -> List.of(command);
        });
    }

    static Printed run(VggSource source, List<String> args) {
        return printed(Main.commandLine(source), args.toArray(String[]::new));
    }

    static Printed run(VggSource source, String command, String... more) {
        List<String> args = base(command);
        args.addAll(List.of(more));
        return run(source, args);
    }

    /** One line on stderr, naming the command, and no trace. */
    static String oneLine(Printed p, String command) {
        String err = p.err().strip();
        assertFalse(err.contains("\n"), "more than one line:\n" + p.err());
        assertTrue(err.startsWith("pixelgrad " + command + ": "), err);
        return err;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ';', value = {
            "style;--style-weight;NaN;a finite number, 0 or more",
            "style;--content-weight;Infinity;a finite number, 0 or more",
            "style;--tv-weight;-1;a finite number, 0 or more",
            "style;--style-layers;relu1_1:NaN;the weight of relu1_1 must be a finite number, 0 or more",
            "style;--content-layers;relu4_2:-2;a finite number, 0 or more",
            "style;--style-blend-weights;-1;a finite number, 0 or more",
            "style;--style-scale;0;a finite number above 0",
            "style;--size;-5;a whole number, 0 or more",
            "style;--pooling;min;expected max or avg",
            "invert;--tv;NaN;a finite number, 0 or more",
            "invert;--tv-beta;0;a finite number above 0",
            "invert;--iterations;-1;a whole number, 0 or more",
            "invert;--learning-rate;NaN;a finite number above 0",
            "invert;--history;0;a whole number, 1 or more",
            "invert;--optimizer;sgd;expected lbfgs or adam",
            "invert;--save-every;-1;a whole number, 0 or more",
            "texture;--size;0x5;WIDTHxHEIGHT",
            "texture;--texture-size;-1;a whole number, 0 or more",
            "texture;--layers;pool1:1e99;a finite number, 0 or more",
            "dream;--step;NaN;a finite number above 0",
            "dream;--tile;-3;a whole number, 0 or more",
            "dream;--jitter;-1;a whole number, 0 or more",
            "dream;--octaves;0;a whole number, 1 or more",
            "dream;--octave-scale;1;a finite number above 1",
            "dream;--iterations;99999999999;a whole number, 0 or more",
            "dream;--layer;relu4_2:Infinity;a finite number",
            "classify;--top;-3;a whole number, 1 or more",
            "features;--size;-1;a whole number, 0 or more",
            "selfcheck;--device;banana;expected auto, java, opencl or opencl:PLATFORM:DEVICE",
            "tune;--device;opencl:x;expected auto, java, opencl or opencl:PLATFORM:DEVICE",
    })
    void badValuesAreRefusedWhenParsed(String command, String option, String value, String allowed) {
        Printed p = run(NEVER, command, option, value);
        assertEquals(2, p.rc(), p.err());
        String line = oneLine(p, command);
        assertTrue(line.contains("'" + option + "'") && line.contains(value) && line.contains(allowed), line);
    }

    @Test
    void anOutputUnderAFileIsRefusedBeforeTheWeightsLoad() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file.txt"), "not a directory");
        for (List<String> args : List.of(
                List.of("invert", "--image", image.toString(), "--out", file.resolve("out.png").toString()),
                List.of("dream", "--image", image.toString(), "--out", out.toString(), "--log", file.resolve("sub/log.jsonl").toString()),
                List.of("features", "--image", image.toString(), "--layers", "relu1_1", "--out", file.toString()),
                List.of("convert", "--in", image.toString(), "--out", file.resolve("w.safetensors").toString()))) {
            Printed p = run(NEVER, args);
            assertEquals(1, p.rc(), p.err());
            String line = oneLine(p, args.get(0));
            assertTrue(line.contains(file.toString()) && (line.contains("is a file, not a directory") || line.contains("is a file;")), line);
        }
    }

    /** Permission bits do not stop root, but sysfs refuses new files to everyone: a real "permission denied". */
    @Test
    void anUnwritableDirectoryIsNamedWithTheReason() {
        Path sys = Path.of("/sys");
        assumeTrue(Files.isDirectory(sys) && !Files.exists(sys.resolve("out.png")), "no sysfs here");
        Printed p = run(NEVER, "dream", "--log", "/sys/run.jsonl");
        assertEquals(1, p.rc(), p.err());
        assertEquals("pixelgrad dream: --log /sys/run.jsonl: cannot write in /sys (permission denied)", oneLine(p, "dream"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "--log;out.png;--log",
            "--log;sub/../out.png;--log",
            "--plot --log;out-loss.png;--plot",
            "--save-every 2 --log;out-iter4.png;--save-every 2",
    })
    void twoOutputsOnOneFileAreRefused(String options, String log, String named) {
        List<String> args = base("invert");
        args.addAll(List.of(options.split(" ")));
        args.add(dir.resolve(log).toString());
        Printed p = run(NEVER, args);
        assertEquals(1, p.rc(), p.err());
        String line = oneLine(p, "invert");
        assertTrue(line.contains(named) && (line.contains("are the same file") || line.contains("is also where")), line);
    }

    @Test
    void aLogBesideTheCheckpointsIsFine() {
        Printed p = run(TINY, "invert", "--save-every", "3", "--log", dir.resolve("out-iter4.png").toString(), "--iterations", "1",
                "--size", "32", "--quiet");
        assertEquals(0, p.rc(), p.err());
    }

    @Test
    void missingInputsAreNamedBeforeTheWeightsLoad() {
        String missing = dir.resolve("missing.png").toString();
        for (List<String> args : List.of(
                List.of("invert", "--image", missing, "--out", out.toString()),
                List.of("style", "--content", image.toString(), "--style", image + "," + missing, "--out", out.toString()),
                List.of("texture", "--texture", image.toString(), "--init", missing, "--out", out.toString()),
                List.of("dream", "--image", image.toString(), "--guide", missing, "--out", out.toString()),
                List.of("classify", "--image", missing),
                List.of("features", "--image", missing, "--layers", "relu1_1", "--out", dir.toString()))) {
            Printed p = run(NEVER, args);
            assertEquals(1, p.rc(), p.err());
            assertTrue(oneLine(p, args.get(0)).endsWith(missing + ": no such file"), p.err());
        }
    }

    @Test
    void blendWeightsMustMatchTheStyles() {
        Printed p = run(NEVER, "style", "--style-blend-weights", "1,2");
        assertEquals(1, p.rc());
        assertTrue(oneLine(p, "style").contains("--style-blend-weights: 2 weight(s) for 1 --style image(s)"), p.err());
    }

    @Test
    void anImageTooSmallForTheLayersSaysTheSmallestSize() throws IOException {
        Path tiny = dir.resolve("one-pixel.png");
        ImageFiles.write(CommandLineTest.picture(1, 1, 0), tiny);
        Printed p = run(TINY, List.of("invert", "--image", tiny.toString(), "--size", "0", "--out", out.toString()));
        assertEquals(1, p.rc(), p.err());
        assertEquals("pixelgrad invert: --image " + tiny + " is 1x1 px, but relu4_2 needs at least 8x8 px (each 2x2 pool up to "
                + "it halves the image); use --size 8 or more, or a layer before relu4_2", oneLine(p, "invert"));

        p = run(TINY, "dream", "--tile", "4");
        assertEquals(1, p.rc(), p.err());
        assertTrue(oneLine(p, "dream").contains("use --tile 8 or more (or 0)"), p.err());
    }

    /** demo is style with the library's defaults: its options and sizes are checked the same way. */
    @Test
    void theDemoChecksItsOptionsAndSizeLikeStyle() {
        Printed p = run(NEVER, List.of("demo", "--size", "0", "--out", out.toString()));
        assertEquals(2, p.rc(), p.err());
        assertTrue(p.err().contains("--size") && p.err().contains("0"), p.err());

        p = run(TINY, List.of("demo", "--size", "6", "--device", "java", "--out", out.toString()));
        assertEquals(1, p.rc(), p.err());
        String last = p.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("pixelgrad demo: the demo at --size 6 is ") && last.contains("needs at least")
                && last.contains("use --size "), p.err());

        p = run(TINY, List.of("demo", "--size", "20000", "--device", "java", "--out", out.toString()));
        assertEquals(1, p.rc(), p.err());
        last = p.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("this run needs about") && last.contains("use --size "), p.err());
    }

    @Test
    void aRunTooBigForTheHeapIsRefusedBeforeItStarts() {
        long t0 = System.nanoTime();
        Printed p = run(TINY, "style", "--size", "20000", "--device", "java");
        assertEquals(1, p.rc(), p.err());
        String line = oneLine(p, "style");
        assertTrue(line.contains("this run needs about") && line.contains("but the Java heap holds at most")
                && line.contains("use --size ") && line.contains("PIXELGRAD_JAVA_OPTS=-Xmx"), line);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "refused only after the work started");
    }

    @Test
    void outOfMemoryIsOneLine() {
        VggSource hungry = (file, backend) -> {
            throw new OutOfMemoryError("Java heap space");
        };
        Printed p = run(hungry, "invert");
        assertEquals(1, p.rc(), p.err());
        String line = oneLine(p, "invert");
        assertTrue(line.startsWith("pixelgrad invert: out of memory (Java heap space); the Java heap holds at most ")
                && line.contains("PIXELGRAD_JAVA_OPTS=-Xmx"), line);
    }

    /** A weight file that is not one: the same one line from every command that loads weights, demo included. */
    @Test
    void aBadWeightFileIsOneLineOnEveryCommand() throws IOException {
        Path bad = Files.writeString(dir.resolve("not-weights.pth"), "hello");
        for (String command : List.of("style", "invert", "texture", "dream", "features", "classify", "demo")) {
            List<String> args = command.equals("demo") ? new ArrayList<>(List.of("demo", "--out", out.toString())) : base(command);
            args.addAll(List.of("--weights", bad.toString(), "--device", "java"));
            Printed p = printed(Main.commandLine(new VggWeightsSource()), args.toArray(String[]::new));
            assertEquals(1, p.rc(), command + ": " + p.err());
            String last = p.err().strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.startsWith("pixelgrad " + command + ": " + bad + ": unrecognised weight file"), command + ": " + p.err());
            assertFalse(p.err().contains("\tat ") || p.err().contains("Exception"), command + ": " + p.err());
        }
    }

    @Test
    void anOptionTheOptimiserIgnoresIsWarned() {
        Printed p = run(TINY, "invert", "--optimizer", "adam", "--history", "5", "--iterations", "1", "--size", "32", "--quiet");
        assertEquals(0, p.rc(), p.err());
        assertEquals("pixelgrad invert: --history is ignored: it sizes L-BFGS's memory, and --optimizer is adam", p.err().strip());
        p = run(TINY, "texture", "--learning-rate", "0.1", "--iterations", "1", "--size", "32x32", "--quiet");
        assertEquals("pixelgrad texture: --learning-rate is ignored: it is Adam's step (--optimizer adam); L-BFGS finds its own",
                p.err().strip());
        p = run(TINY, "invert", "--optimizer", "adam", "--learning-rate", "0.1", "--iterations", "1", "--size", "32", "--quiet");
        assertEquals("", p.err());
    }

    @Test
    void tuneOnAMissingDeviceSaysOneThing() {
        Printed p = printed(Main.commandLine(NEVER), "tune", "--device", "opencl:5:0");
        assertEquals(2, p.rc(), p.err());
        oneLine(p, "tune");
    }

    /** The variable is read by a fresh JVM, so this runs the command line in one (about a second). */
    @Test
    void aBadDeviceInTheEnvironmentNamesTheVariable() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(Stream.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-Dpixelgrad.home=" + dir.resolve("home"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "invert", "--image", image.toString(), "--out", out.toString()).toList());
        pb.environment().put("PIXELGRAD_DEVICE", "banana");
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        String text = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, proc.exitValue(), text);
        List<String> lines = text.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(List.of("pixelgrad invert: device: PIXELGRAD_DEVICE: 'banana' is not a device; expected auto, java, "
                + "opencl or opencl:PLATFORM:DEVICE (see 'pixelgrad devices')"), lines);
    }
}
