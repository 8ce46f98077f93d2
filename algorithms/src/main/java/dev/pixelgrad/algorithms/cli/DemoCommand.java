package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageOptimization;
import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.StyleTransfer;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Style transfer of the bundled examples (Chelsea the cat in the style of the Hubble deep field),
 * small enough to finish in seconds on two cores: {@code style} with the library's defaults.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Style transfer of the bundled example images (the default command).")
final class DemoCommand implements Callable<Integer>, ImageJob.Planner {
    private static final String EXAMPLES = "/dev/pixelgrad/algorithms/examples/";

    private final VggSource network;

    @Option(names = "--out", defaultValue = "pixelgrad-demo.png", paramLabel = "FILE", description = "Output image (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--weights", paramLabel = "FILE", description = "VGG weights file (default: the cached VGG-19, fetched when missing).")
    Path weights;

    @Mixin
    DeviceOption device;

    @Option(names = "--size", defaultValue = "160", paramLabel = "PIXELS", converter = Checked.PositiveInt.class,
            description = "Long side of the output (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--iterations", defaultValue = "30", paramLabel = "N", converter = Checked.NonNegativeInt.class,
            description = "L-BFGS steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    DemoCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        if (weights == null && !defaultNetworkAvailable()) {
            return 1;
        }
        System.err.println("demo: style transfer of Chelsea the cat in the style of the Hubble deep field, "
                + size + " px, " + iterations + " L-BFGS steps on " + Backends.select(device.spec, m -> { }).name());
        ImageCommand.run(network, weights, device, new RunReporter.Outputs(out, 0, quiet, null, false), null, this);
        System.out.println("demo: wrote " + out.toAbsolutePath());
        return 0;
    }

    /** Style's default layers: none of the classifier's. */
    @Override
    public List<String> layerOptions() {
        return List.of();
    }

    /**
     * What {@code style} does with its defaults: the content as the start, styles at the content's
     * size; the same checks of size and memory before any large buffer exists.
     */
    @Override
    public ImageJob plan(Vgg loaded, Backend backend) throws IOException {
        Vgg vgg = loaded.withPooling(PoolingMode.MAX);   // style's default, whatever the source gave
        Preprocessing pre = vgg.preprocessing();
        StyleTransfer.Options options = StyleTransfer.Options.defaults(pre);
        List<String> contentLayers = options.contentLayers().names(), styleLayers = options.styleLayers().names();
        Set<String> all = new LinkedHashSet<>(contentLayers);
        all.addAll(styleLayers);

        RgbImage contentOriginal = example("chelsea.png"), styleOriginal = example("hubble_deep_field.jpg");
        int[] hw = ImageCommand.sizeFor(contentOriginal, size), styleHw = ImageCommand.sizeFor(styleOriginal, Math.max(hw[0], hw[1]));
        ImageCommand.requireReach("the demo at --size " + size, Math.min(hw[0], styleHw[0]), Math.min(hw[1], styleHw[1]), vgg, all,
                min -> "use --size " + ImageCommand.longSideFor(contentOriginal, min) + " or more");
        var settings = ImageOptimization.Settings.defaults(iterations);
        MemoryEstimate.of(vgg)
                .optimising("the image", hw[0], hw[1], all, MemoryEstimate.imageVectors(settings), ImageCommand.sizeKnob(hw))
                .featureTarget("the content", hw[0], hw[1], contentLayers, ImageCommand.sizeKnob(hw))
                .gramTarget("the style", styleHw[0], styleHw[1], styleLayers, ImageCommand.sizeKnob(hw))
                .require(backend);

        RgbImage content = ImageCommand.scaled(contentOriginal, size);
        RgbImage style = ImageCommand.scaled(styleOriginal, content.longSide());
        StyleTransfer transfer = new StyleTransfer(vgg, ImageTensors.toNetwork(content, pre, backend),
                List.of(ImageTensors.toNetwork(style, pre, backend)), null, options);
        return ImageJob.minimising("style", content, transfer::loss, pre, settings);
    }

    /** True when the default network can be had, fetching it (once) when it is not there yet. */
    private boolean defaultNetworkAvailable() {
        if (network.hasDefault()) {
            return true;
        }
        System.err.println("demo: VGG-19 is not cached yet; fetching it (once)");
        if (network.fetchDefault()) {
            return true;
        }
        // the fetch has said why and how to get the file by hand; saying it again would bury that
        System.err.println("demo: could not fetch VGG-19, so the demo did not run");
        return false;
    }

    private static RgbImage example(String name) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(EXAMPLES + name)) {
            BufferedImage img = in == null ? null : ImageIO.read(in);
            if (img == null) {
                throw new IOException("demo: bundled example " + name + " is missing from the jar");
            }
            return ImageFiles.toRgb(img);
        }
    }
}
