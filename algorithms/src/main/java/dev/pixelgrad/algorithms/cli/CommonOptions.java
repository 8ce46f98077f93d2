package dev.pixelgrad.algorithms.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every image-optimising command takes (dream, invert, texture, style; demo takes a few of them). */
final class CommonOptions {
    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Output image, PNG or JPEG by extension (written atomically).")
    Path out;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "VGG weights, any supported format (default: the cached VGG-19, see 'pixelgrad weights fetch vgg19').")
    Path weights;

    @Mixin
    DeviceOption device;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Random seed; the same seed on the same device gives the same image (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--save-every", defaultValue = "0", paramLabel = "N", converter = Checked.NonNegativeInt.class,
            description = "Also write the image every N iterations, as OUT-iterN.EXT; 0 = never (default: ${DEFAULT-VALUE}).")
    int saveEvery;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--log", paramLabel = "FILE",
            description = "Write one JSON line per iteration: iter, loss, seconds, and each weighted loss term.")
    Path log;

    @Option(names = "--plot", description = "Also write the loss curve as OUT-loss.png.")
    boolean plot;

    @Mixin
    ServeOptions serve;

    RunReporter.Outputs outputs() {
        return new RunReporter.Outputs(out, saveEvery, quiet, log, plot);
    }
}
