package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.LayerWeights;
import dev.pixelgrad.algorithms.TextureSynthesis;
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

@Command(name = "texture", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "pixelgrad texture --texture FILE --out FILE [OPTIONS]",
        description = "Texture synthesis: a new image with the Gram matrices of --texture.")
final class TextureCommand extends ImageCommand {
    @Option(names = "--texture", required = true, paramLabel = "FILE", description = "The example texture.")
    Path texture;

    @Option(names = "--layers", defaultValue = "relu1_1,pool1,pool2,pool3,pool4", paramLabel = "L[:W],...",
            converter = Checked.WeightedLayers.class,
            description = "Gram layers, weights 1/(number of layers) unless given (default: ${DEFAULT-VALUE}).")
    String layers;

    @Option(names = "--size", defaultValue = "256x256", paramLabel = "WxH", converter = Checked.Size.class,
            description = "Output size (default: ${DEFAULT-VALUE}).")
    PixelSize size;

    @Option(names = "--texture-size", defaultValue = "256", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Long side the example is scaled to before its Grams are taken; 0 = as it is (default: ${DEFAULT-VALUE}).")
    int textureSize;

    @Option(names = "--init", defaultValue = "noise", paramLabel = "noise|FILE", description = "Starting image (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--iterations", defaultValue = "200", paramLabel = "N", converter = Checked.NonNegativeInt.class,
            description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Mixin
    OptimizerOptions optimizer;

    TextureCommand(VggSource network) {
        super(network);
    }

    @Override
    public List<String> layerOptions() {
        return List.of(layers);
    }

    @Override
    void checkInputs() {
        InputFiles.require("--texture", texture);
        InputFiles.requireStart(init, "noise");
        optimizer.warnIgnored();
    }

    @Override
    public ImageJob plan(Vgg vgg, Backend backend) throws IOException {
        int h = size.height(), w = size.width();
        Preprocessing pre = vgg.preprocessing();
        var options = new TextureSynthesis.Options(LayerWeights.parse(layers, vgg, null));
        var names = options.layers().names();
        RgbImage original = ImageFiles.read(texture);
        int[] ex = sizeFor(original, textureSize);
        requireReach("the output at --size " + size, h, w, vgg, names, min -> "use --size " + min + "x" + min + " or more");
        requireReach("--texture " + texture + (textureSize > 0 ? " at --texture-size " + textureSize : ""), ex[0], ex[1], vgg, names,
                min -> "use --texture-size " + longSideFor(original, min) + " or more");
        var settings = optimizer.settings(iterations);
        MemoryEstimate.of(vgg)
                .optimising("the output", h, w, names, MemoryEstimate.imageVectors(settings),
                        new MemoryEstimate.Knob("--size", w, h))
                .gramTarget("the example", ex[0], ex[1], names, MemoryEstimate.Knob.side("--texture-size", Math.max(ex[0], ex[1])))
                .require(backend);

        RgbImage example = scaled(original, textureSize);
        var synthesis = new TextureSynthesis(vgg, ImageTensors.toNetwork(example, pre, backend), options);
        RgbImage start = init(init, h, w, null);
        return ImageJob.minimising("texture", start, synthesis::loss, pre, settings).withReference("texture", example);
    }
}
