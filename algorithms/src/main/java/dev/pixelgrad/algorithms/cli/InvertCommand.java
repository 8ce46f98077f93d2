package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.FeatureInversion;
import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.LayerWeights;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

@Command(name = "invert", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "pixelgrad invert --image FILE --out FILE [OPTIONS]",
        description = "Feature inversion: the image whose features at a layer match those of --image.")
final class InvertCommand extends ImageCommand {
    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The image whose features are inverted.")
    Path image;

    @Option(names = "--layer", defaultValue = "relu4_2", paramLabel = "L[:W],...", converter = Checked.WeightedLayers.class,
            description = "Layer(s) to invert (default: ${DEFAULT-VALUE}).")
    String layer;

    @Option(names = "--tv", paramLabel = "LAMBDA", converter = Checked.NonNegativeFloat.class,
            description = "Total-variation weight lambda (default: 5 for torchvision weights, 2e5 for caffe weights).")
    Float tv;

    @Option(names = "--tv-beta", defaultValue = "2", paramLabel = "BETA", converter = Checked.PositiveFloat.class,
            description = "beta of R_{V^beta} (default: ${DEFAULT-VALUE}).")
    float tvBeta;

    @Option(names = "--init", defaultValue = "noise", paramLabel = "noise|FILE", description = "Starting image (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--size", defaultValue = "256", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Long side of the output; 0 = the image's own size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--iterations", defaultValue = "200", paramLabel = "N", converter = Checked.NonNegativeInt.class,
            description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Mixin
    OptimizerOptions optimizer;

    InvertCommand(VggSource network) {
        super(network);
    }

    @Override
    public List<String> layerOptions() {
        return List.of(layer);
    }

    @Override
    void checkInputs() {
        InputFiles.require("--image", image);
        InputFiles.requireStart(init, "noise");
        optimizer.warnIgnored();
    }

    /** The library's defaults for the weights' preprocessing, with what the user gave. */
    FeatureInversion.Options options(Vgg vgg) {
        FeatureInversion.Options o = FeatureInversion.Options.defaults(vgg.preprocessing())
                .withLayers(LayerWeights.parse(layer, vgg, 1f))
                .withTvBeta(tvBeta);
        return override(o, tv, FeatureInversion.Options::withTvWeight);
    }

    @Override
    public ImageJob plan(Vgg vgg, Backend backend) throws IOException {
        Preprocessing pre = vgg.preprocessing();
        FeatureInversion.Options options = options(vgg);
        RgbImage original = ImageFiles.read(image);
        var layers = options.layers().names();
        int[] hw = sizeReaching("--image", image, original, size, vgg, layers);
        var settings = optimizer.settings(iterations);
        MemoryEstimate.of(vgg).optimising("the image", hw[0], hw[1], layers, MemoryEstimate.imageVectors(settings), sizeKnob(hw))
                .featureTarget("its target", hw[0], hw[1], layers, sizeKnob(hw))
                .require(backend);

        RgbImage img = scaled(original, size);
        FeatureInversion inversion = new FeatureInversion(vgg, ImageTensors.toNetwork(img, pre, backend), options);
        RgbImage start = init(init, img.height(), img.width(), null);
        return ImageJob.minimising("invert", start, inversion::loss, pre, settings).withReference("target", img);
    }
}
