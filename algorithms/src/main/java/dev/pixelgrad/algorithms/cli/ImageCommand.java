package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.Resampling;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Tensor;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * The skeleton of every command that optimises an image, written once:
 * <pre>
 * options -> device (backend) -> network -> job (the command's loss and starting image)
 *         -> start in network space -> reporter -> optimisation -> the image written
 * </pre>
 * A command declares its options and {@link #plan}s its job; {@link #run} does the rest, for the
 * four algorithm commands and for {@code demo}.
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
        run(network, common.weights, common.device, common.outputs(), this);
        return 0;
    }

    /** The skeleton; errors are exceptions, which the command line prints as one line (exit code 1). */
    static void run(VggSource network, Path weights, DeviceOption device, RunReporter.Outputs outputs, ImageJob.Planner planner)
            throws IOException {
        ImageFiles.formatFor(outputs.out());   // a bad extension fails before any work
        Backend backend = device.backend();
        ImageJob job = planner.plan(network.load(weights, backend), backend);
        Tensor x0 = ImageTensors.toNetwork(job.start(), job.preprocessing(), backend);
        try (RunReporter r = new RunReporter(job.task(), outputs, job.preprocessing(), job.iterations(), job.finish())) {
            r.finish(job.optimisation().run(x0, r));
        }
    }

    /** The options with one value replaced, when the user gave it (null keeps the default). */
    static <O, V> O override(O options, V valueOrNull, BiFunction<O, V, O> with) {
        return valueOrNull == null ? options : with.apply(options, valueOrNull);
    }

    /** An image scaled to a long side (0 = as it is). */
    static RgbImage scaled(RgbImage img, int longSide) {
        return longSide > 0 ? Resampling.resizeLongSide(img, longSide) : img;
    }

    /** Reads an image, scaled to a long side (0 = as it is). */
    static RgbImage read(Path file, int longSide) throws IOException {
        return scaled(ImageFiles.read(file), longSide);
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
