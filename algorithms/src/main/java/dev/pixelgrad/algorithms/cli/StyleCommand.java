package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.LayerWeights;
import dev.pixelgrad.algorithms.StyleTransfer;
import dev.pixelgrad.algorithms.image.Colors;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "style", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Neural style transfer: the content of --content painted in the style of --style.")
final class StyleCommand extends ImageCommand {
    @Option(names = "--content", required = true, paramLabel = "FILE", description = "The content image.")
    Path content;

    @Option(names = "--style", required = true, paramLabel = "FILE", split = ",",
            description = "Style image(s); repeat or separate with commas to blend several.")
    List<Path> styles;

    @Option(names = "--style-blend-weights", split = ",", paramLabel = "W",
            description = "One weight per style image, normalised to sum 1 (default: equal).")
    float[] blendWeights;

    @Option(names = "--size", defaultValue = "512", description = "Long side of the output (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--style-scale", defaultValue = "1.0",
            description = "Style images are scaled to this times the output's long side (default: ${DEFAULT-VALUE}).")
    float styleScale;

    @Option(names = "--content-weight", paramLabel = "ALPHA", description = "alpha (default: 1).")
    Float contentWeight;

    @Option(names = "--style-weight", paramLabel = "BETA",
            description = "beta (default: 1e8 for torchvision weights, 5e3 for caffe weights).")
    Float styleWeight;

    @Option(names = "--tv-weight", paramLabel = "GAMMA",
            description = "gamma, weight of the total variation of the RGB image (default: 10 for torchvision weights, 1e6 for caffe weights).")
    Float tvWeight;

    @Option(names = "--tv-beta", defaultValue = "2", description = "beta of R_{V^beta} (default: ${DEFAULT-VALUE}).")
    float tvBeta;

    @Option(names = "--content-layers", defaultValue = "relu4_2", paramLabel = "L[:W],...", description = "Content layer(s) (default: ${DEFAULT-VALUE}).")
    String contentLayers;

    @Option(names = "--style-layers", defaultValue = "relu1_1,relu2_1,relu3_1,relu4_1,relu5_1", paramLabel = "L[:W],...",
            description = "Style layers, weights 1/(number of layers) unless given (default: ${DEFAULT-VALUE}).")
    String styleLayers;

    @Option(names = "--init", defaultValue = "content", paramLabel = "content|noise|FILE", description = "Starting image (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--original-colors", description = "Keep the content's colours: only the luminance is stylised (YIQ).")
    boolean originalColors;

    @Option(names = "--pooling", defaultValue = "max", paramLabel = "max|avg", description = "VGG pooling (default: ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--iterations", defaultValue = "300", description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Mixin
    OptimizerOptions optimizer;

    StyleCommand(VggSource network) {
        super(network);
    }

    /** The library's defaults for the weights' preprocessing, with what the user gave. */
    StyleTransfer.Options options(Vgg vgg) {
        StyleTransfer.Options o = StyleTransfer.Options.defaults(vgg.preprocessing())
                .withContentLayers(LayerWeights.parse(contentLayers, vgg, null))
                .withStyleLayers(LayerWeights.parse(styleLayers, vgg, null))
                .withTvBeta(tvBeta);
        o = override(o, contentWeight, StyleTransfer.Options::withContentWeight);
        o = override(o, styleWeight, StyleTransfer.Options::withStyleWeight);
        return override(o, tvWeight, StyleTransfer.Options::withTvWeight);
    }

    @Override
    public ImageJob plan(Vgg loaded, Backend backend) throws IOException {
        Vgg vgg = loaded.withPooling(PoolingMode.parse(pooling));
        Preprocessing pre = vgg.preprocessing();
        RgbImage contentImage = read(content, size);
        int styleSide = Math.max(1, Math.round(styleScale * contentImage.longSide()));
        List<Tensor> styleImages = new ArrayList<>();
        for (Path s : styles) {
            styleImages.add(ImageTensors.toNetwork(read(s, styleSide), pre, backend));
        }
        StyleTransfer transfer = new StyleTransfer(vgg, ImageTensors.toNetwork(contentImage, pre, backend), styleImages,
                blendWeights, options(vgg));
        RgbImage start = init(init, contentImage.height(), contentImage.width(), contentImage);
        ImageJob job = ImageJob.minimising("style", start, transfer::loss, pre, optimizer.settings(iterations));
        return originalColors ? job.withFinish(rgb -> Colors.keepOriginalColors(rgb, contentImage)) : job;
    }
}
