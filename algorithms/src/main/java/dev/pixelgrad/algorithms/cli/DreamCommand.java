package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.DeepDream;
import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.LayerWeights;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

@Command(name = "dream", mixinStandardHelpOptions = true, sortOptions = false,
        description = "DeepDream: amplify what a layer sees in an image by gradient ascent.")
final class DreamCommand extends ImageCommand {
    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The image to dream on.")
    Path image;

    @Option(names = "--layer", defaultValue = "relu4_2", paramLabel = "L[:W],...",
            description = "Layer(s) to amplify, with optional weights, e.g. relu4_2:1,relu5_1:0.5 (default: ${DEFAULT-VALUE}).")
    String layer;

    @Option(names = "--iterations", defaultValue = "10", description = "Steps per octave; the start line gives the total (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--step", defaultValue = "1.5", description = "Mean pixel change per step, in levels of 255 (default: ${DEFAULT-VALUE}).")
    float step;

    @Option(names = "--octaves", defaultValue = "4", description = "Number of image sizes, smallest first (default: ${DEFAULT-VALUE}).")
    int octaves;

    @Option(names = "--octave-scale", defaultValue = "1.4", description = "Size ratio between octaves (default: ${DEFAULT-VALUE}).")
    float octaveScale;

    @Option(names = "--jitter", defaultValue = "32", description = "Largest random roll in pixels, undone after each step (default: ${DEFAULT-VALUE}).")
    int jitter;

    @Option(names = "--tile", defaultValue = "512",
            description = "Compute the gradient in tiles of this size at a random offset (0 = whole image) (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--guide", paramLabel = "FILE", description = "Guided dream: pull the features toward this image's.")
    Path guide;

    @Option(names = "--size", defaultValue = "0", description = "Long side of the output (default: ${DEFAULT-VALUE} = the image's own size).")
    int size;

    DreamCommand(VggSource network) {
        super(network);
    }

    @Override
    public ImageJob plan(Vgg vgg, Backend backend) throws IOException {
        Preprocessing pre = vgg.preprocessing();
        RgbImage img = read(image, size);
        var options = new DeepDream.Options(LayerWeights.parse(layer, vgg, 1f), iterations, step, octaves, octaveScale, jitter, tile);
        Tensor guideImage = guide == null ? null : ImageTensors.toNetwork(read(guide, img.longSide()), pre, backend);
        DeepDream dream = new DeepDream(vgg, guideImage, options, common.seed);
        DeepDream.Plan steps = dream.plan(img.height(), img.width());
        if (!common.quiet) {   // --iterations counts per octave: say the total, and any octave too small to keep
            System.err.println("dream: " + steps.describe());
        }
        return new ImageJob("dream", pre, img, steps.steps(), dream::run, UnaryOperator.identity());
    }
}
