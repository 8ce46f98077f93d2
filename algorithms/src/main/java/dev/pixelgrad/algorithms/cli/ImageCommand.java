package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.cli.live.LiveView;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.Resampling;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Tensor;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * The skeleton of every command that optimises an image, written once:
 * <pre>
 * options (checked as parsed) -> inputs and outputs checked -> device (backend) -> network
 *         -> job (the command's loss and starting image; sizes and memory checked first)
 *         -> start in network space -> reporter -> optimisation -> the image written
 * </pre>
 * A command declares its options, {@link #checkInputs checks} its input files and {@link #plan}s
 * its job; {@link #run} does the rest, for the four algorithm commands and for {@code demo}.
 * Everything that can fail on a user's input fails before the weights load or before the first
 * large buffer is allocated.
 */
abstract class ImageCommand implements Callable<Integer>, ImageJob.Planner {
    private final VggSource network;

    @Mixin
    CommonOptions common;

    ImageCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public final Integer call() throws IOException {
        common.serve.check();
        checkInputs();
        run(network, common.weights, common.device, common.outputs(), common.serve, this);
        return 0;
    }

    /**
     * Checks, before anything loads, the input files and the options that depend on each other,
     * and warns about options given that will do nothing.
     *
     * @throws IllegalArgumentException naming the option and the problem
     */
    abstract void checkInputs();

    /**
     * The skeleton; errors are exceptions, which the command line prints as one line (exit code 1).
     *
     * @param serve the live page's options, or null for none
     */
    static void run(VggSource network, Path weights, DeviceOption device, RunReporter.Outputs outputs, ServeOptions serve,
                    ImageJob.Planner planner) throws IOException {
        OutputPaths.check(outputs);   // an unwritable output fails before any work
        Backend backend = device.backend();
        ImageJob job = planner.plan(network.load(weights, backend, readsClassifier(planner.layerOptions())), backend);
        Tensor x0 = ImageTensors.toNetwork(job.start(), job.preprocessing(), backend);
        LiveView live = serve == null || !serve.enabled() ? null : LiveView.start(job.task(), job.iterations(), job.knobs(),
                serve.setup(job.references()), job.preprocessing(), job.finish(), System.err);
        try (RunReporter r = new RunReporter(job.task(), outputs, job.preprocessing(), job.iterations(), job.finish(), live)) {
            r.finish(job.optimisation().run(x0, r));
        }
    }

    /** Whether layer options like "relu4_2:1,fc8" name a layer of the classifier (null: unknown, so yes). */
    static boolean readsClassifier(List<String> layerOptions) {
        if (layerOptions == null) {
            return true;
        }
        for (String option : layerOptions) {
            for (String layer : option.split(",")) {
                String name = layer.contains(":") ? layer.substring(0, layer.indexOf(':')) : layer;
                if (VggSpec.classifierLayerNames().contains(name.trim())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The options with one value replaced, when the user gave it (null keeps the default). */
    static <O, V> O override(O options, V valueOrNull, BiFunction<O, V, O> with) {
        return valueOrNull == null ? options : with.apply(options, valueOrNull);
    }

    /** An image scaled to a long side (0 = as it is). */
    static RgbImage scaled(RgbImage img, int longSide) {
        return longSide > 0 ? Resampling.resizeLongSide(img, longSide) : img;
    }

    /** The (height, width) an image will have when scaled to a long side (0 = as it is), known before scaling it. */
    static int[] sizeFor(RgbImage img, int longSide) {
        return longSide > 0 ? Resampling.sizeForLongSide(img.height(), img.width(), longSide) : new int[]{img.height(), img.width()};
    }

    /** The long side that gives an image at least {@code shortSide} pixels on its short side. */
    static int longSideFor(RgbImage img, int shortSide) {
        return (int) Math.ceil((double) shortSide * img.longSide() / Math.min(img.height(), img.width()));
    }

    /** Reads an image, scaled to a long side (0 = as it is). */
    static RgbImage read(Path file, int longSide) throws IOException {
        return scaled(ImageFiles.read(file), longSide);
    }

    /**
     * Throws unless an (h, w) image reaches the deepest of the layers: every 2x2 pool on the way
     * halves it ({@link Vgg#smallestInputSide}).
     *
     * @param image  what the image is, for the message (e.g. "--image cat.png at --size 4")
     * @param remedy what to change, for the smallest side that works (e.g. {@code m -> "use --size 16 or more"})
     */
    static void requireReach(String image, int h, int w, Vgg vgg, Collection<String> layers, IntFunction<String> remedy) {
        int min = vgg.smallestInputSide(layers);
        if (Math.min(h, w) < min) {
            String deepest = vgg.layerNames().stream().filter(layers::contains).reduce((a, b) -> b).orElse("");
            throw new IllegalArgumentException(image + " is " + w + "x" + h + " px, but " + deepest + " needs at least "
                    + min + "x" + min + " px (each 2x2 pool up to it halves the image); " + remedy.apply(min) + ", or a layer before "
                    + deepest);
        }
    }

    /**
     * The (height, width) of {@code original} at {@code --size} (0 = as it is), checked to reach the
     * layers before the image is scaled.
     */
    static int[] sizeReaching(String option, Path file, RgbImage original, int size, Vgg vgg, Collection<String> layers) {
        int[] hw = sizeFor(original, size);
        requireReach(option + " " + file + (size > 0 ? " at --size " + size : ""), hw[0], hw[1], vgg, layers,
                min -> "use --size " + longSideFor(original, min) + " or more");
        return hw;
    }

    /** {@code --size}, which sets the long side of an image that is now (h, w). */
    static MemoryEstimate.Knob sizeKnob(int[] hw) {
        return MemoryEstimate.Knob.side("--size", Math.max(hw[0], hw[1]));
    }

    /** The starting image: noise, the content (when there is one), or a file scaled to exactly (h, w). */
    RgbImage init(String init, int h, int w, RgbImage content) throws IOException {
        if (init.equals("noise")) {
            return ImageTensors.noise(h, w, common.seed);
        }
        if (init.equals("content") && content != null) {
            return content;
        }
        return Resampling.resize(ImageFiles.read(Path.of(init)), h, w);
    }
}
