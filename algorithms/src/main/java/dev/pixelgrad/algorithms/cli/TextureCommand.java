package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.LayerWeights;
import dev.pixelgrad.algorithms.TextureSynthesis;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

@Command(name = "texture", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Texture synthesis: a new image with the Gram matrices of --texture.")
final class TextureCommand extends ImageCommand {
    @Option(names = "--texture", required = true, paramLabel = "FILE", description = "The example texture.")
    Path texture;

    @Option(names = "--layers", defaultValue = "relu1_1,pool1,pool2,pool3,pool4", paramLabel = "L[:W],...",
            description = "Gram layers, weights 1/(number of layers) unless given (default: ${DEFAULT-VALUE}).")
    String layers;

    @Option(names = "--size", defaultValue = "256x256", paramLabel = "WxH", description = "Output size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--texture-size", defaultValue = "256", paramLabel = "PIXELS",
            description = "Long side the example is scaled to before its Grams are taken (default: ${DEFAULT-VALUE}; 0 = as it is).")
    int textureSize;

    @Option(names = "--init", defaultValue = "noise", paramLabel = "noise|FILE", description = "Starting image (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--iterations", defaultValue = "200", description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Mixin
    OptimizerOptions optimizer;

    TextureCommand(VggSource network) {
        super(network);
    }

    static int[] parseSize(String text) {
        String[] wh = text.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (wh.length == 2) {
                int w = Integer.parseInt(wh[0].trim()), h = Integer.parseInt(wh[1].trim());
                if (w > 0 && h > 0) {
                    return new int[]{h, w};
                }
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message
        }
        throw new IllegalArgumentException("--size: expected WIDTHxHEIGHT such as 256x256, got '" + text + "'");
    }

    @Override
    public ImageJob plan(Vgg vgg, Backend backend) throws IOException {
        int[] hw = parseSize(size);
        Preprocessing pre = vgg.preprocessing();
        RgbImage example = read(texture, textureSize);
        var synthesis = new TextureSynthesis(vgg, ImageTensors.toNetwork(example, pre, backend),
                new TextureSynthesis.Options(LayerWeights.parse(layers, vgg, null)));
        RgbImage start = init(init, hw[0], hw[1], null);
        return ImageJob.minimising("texture", start, synthesis::loss, pre, optimizer.settings(iterations));
    }
}
