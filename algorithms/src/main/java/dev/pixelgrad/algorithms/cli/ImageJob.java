package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageOptimization;
import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.LossTerms;
import dev.pixelgrad.algorithms.Monitor;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Tensor;

import dev.pixelgrad.algorithms.cli.live.Knobs;
import dev.pixelgrad.nn.optim.OptimizerKind;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One run, as a command plans it and {@link ImageCommand#run} carries it out.
 *
 * @param task          the name the progress lines and the plot carry
 * @param preprocessing how images enter and leave network space
 * @param start         the starting image
 * @param iterations    how many iterations the reporter should expect
 * @param optimisation  the run itself
 * @param finish        what turns the RGB result into the image to write (e.g. keep the content's colours)
 * @param knobs         what the live page may change between steps
 * @param references    the still images the live page shows, by name (the start, then the targets)
 */
record ImageJob(String task, Preprocessing preprocessing, RgbImage start, int iterations, Optimisation optimisation,
                UnaryOperator<RgbImage> finish, Knobs knobs, Map<String, RgbImage> references) {
    /** What a command adds to the skeleton of {@link ImageCommand#run}: its job, on the loaded network. */
    @FunctionalInterface
    interface Planner {
        ImageJob plan(Vgg vgg, Backend backend) throws IOException;

        /**
         * The layer options as given (e.g. "relu4_2:1,relu5_1"), so the network is loaded without
         * its classifier when none names fc6-fc8; null means the job may need any layer.
         */
        default List<String> layerOptions() {
            return null;
        }
    }

    /** Runs from x0 (the start in network space) to the end, or until the monitor asks to stop; returns the result. */
    @FunctionalInterface
    interface Optimisation {
        Tensor run(Tensor x0, Monitor monitor);
    }

    /** Minimises a loss over the pixels of a copy of the start with {@link ImageOptimization} (invert, texture, style). */
    static ImageJob minimising(String task, RgbImage start, Function<Tensor, LossTerms> loss, Preprocessing preprocessing,
                               ImageOptimization.Settings settings) {
        Knobs knobs = settings.optimizer() == OptimizerKind.ADAM ? Knobs.weightsAndRate(settings.learningRate()) : Knobs.weights();
        return new ImageJob(task, preprocessing, start, settings.iterations(), (x0, monitor) -> {
            Tensor x = ImageTensors.leafCopy(x0);
            ImageOptimization.run(x, loss, preprocessing, settings, monitor);
            return x;
        }, UnaryOperator.identity(), knobs, Map.of("start", start));
    }

    ImageJob withFinish(UnaryOperator<RgbImage> f) {
        return new ImageJob(task, preprocessing, start, iterations, optimisation, f, knobs, references);
    }

    /** The job with more still images for the live page, after those it has (e.g. "content", then "style"). */
    ImageJob withReference(String name, RgbImage image) {
        Map<String, RgbImage> more = new LinkedHashMap<>(references);
        more.put(name, image);
        return new ImageJob(task, preprocessing, start, iterations, optimisation, finish, knobs, more);
    }
}
