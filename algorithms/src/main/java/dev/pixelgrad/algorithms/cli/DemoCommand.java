package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.weights.VggWeights;
import dev.pixelgrad.weights.WeightFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Style transfer of the bundled examples (Chelsea the cat in the style of the Hubble deep field),
 * small enough to finish in a few minutes on two cores.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Style transfer of the bundled example images (the default command).")
final class DemoCommand implements Callable<Integer> {
    private static final String EXAMPLES = "/dev/pixelgrad/algorithms/examples/";

    @Option(names = "--out", defaultValue = "pixelgrad-demo.png", paramLabel = "FILE", description = "Output image (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--weights", paramLabel = "FILE", description = "VGG weights file (default: the cached VGG-19, fetched when missing).")
    Path weights;

    @Mixin
    DeviceOption device;

    @Option(names = "--size", defaultValue = "160", description = "Long side of the output (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--iterations", defaultValue = "30", description = "L-BFGS steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (weights == null && !ensureWeights()) {
            return 1;
        }
        Path dir = Files.createTempDirectory("pixelgrad-demo");
        try {
            Path content = extract("chelsea.png", dir), style = extract("hubble_deep_field.jpg", dir);
            List<String> args = new ArrayList<>(List.of("--content", content.toString(), "--style", style.toString(),
                    "--out", out.toString(), "--size", Integer.toString(size), "--iterations", Integer.toString(iterations)));
            if (weights != null) {
                args.addAll(List.of("--weights", weights.toString()));
            }
            if (device.spec != null) {
                args.addAll(List.of("--device", device.spec));
            }
            if (quiet) {
                args.add("--quiet");
            }
            System.err.println("demo: style transfer of Chelsea the cat in the style of the Hubble deep field, "
                    + size + " px, " + iterations + " L-BFGS steps on " + Backends.select(device.spec, m -> { }).name());
            int rc = Main.commandLine(new StyleCommand()).execute(args.toArray(String[]::new));
            if (rc == 0) {
                System.out.println("demo: wrote " + out.toAbsolutePath());
            }
            return rc;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** True when the cached VGG-19 can be had, fetching it (once) when it is not there yet. */
    private boolean ensureWeights() {
        try {
            VggWeights.requireCached("vgg19");
            return true;
        } catch (WeightFileException notCached) {
            System.err.println("demo: VGG-19 is not cached yet; fetching it (once)");
        }
        if (Main.run("weights", "fetch", "vgg19") == 0) {
            return true;
        }
        System.err.println("demo: could not fetch VGG-19; try again with: ./pixelgrad weights fetch vgg19"
                + "   (or run offline with --weights FILE)");
        return false;
    }

    private static Path extract(String name, Path dir) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(EXAMPLES + name)) {
            if (in == null) {
                throw new IOException("demo: bundled example " + name + " is missing from the jar");
            }
            Path p = dir.resolve(name);
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            return p;
        }
    }
}
