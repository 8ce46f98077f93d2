package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.LayerWeights;
import dev.pixelgrad.algorithms.StyleTransfer;
import dev.pixelgrad.algorithms.image.Colors;
import dev.pixelgrad.algorithms.image.ImageFiles;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

@Command(name = "style", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "pixelgrad style --content FILE --style FILE[,...] --out FILE [OPTIONS]",
        description = "Neural style transfer: the content of --content painted in the style of --style.")
final class StyleCommand extends ImageCommand {
    @Option(names = "--content", required = true, paramLabel = "FILE", description = "The content image.")
    Path content;

    @Option(names = "--style", required = true, paramLabel = "FILE", split = ",",
            description = "Style image(s); repeat or separate with commas to blend several.")
    List<Path> styles;

    @Option(names = "--style-blend-weights", split = ",", paramLabel = "W", converter = Checked.NonNegativeFloat.class,
            description = "One weight per style image, normalised to sum 1 (default: equal).")
    float[] blendWeights;

    @Option(names = "--size", defaultValue = "512", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Long side of the output; 0 = the content image's own size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--style-scale", defaultValue = "1.0", paramLabel = "FACTOR", converter = Checked.PositiveFloat.class,
            description = "Style images are scaled to this times the output's long side (default: ${DEFAULT-VALUE}).")
    float styleScale;

    @Option(names = "--content-weight", paramLabel = "ALPHA", converter = Checked.NonNegativeFloat.class,
            description = "alpha (default: 1).")
    Float contentWeight;

    @Option(names = "--style-weight", paramLabel = "BETA", converter = Checked.NonNegativeFloat.class,
            description = "beta (default: 1e8 for torchvision weights, 5e3 for caffe weights).")
    Float styleWeight;

    @Option(names = "--tv-weight", paramLabel = "GAMMA", converter = Checked.NonNegativeFloat.class,
            description = "gamma, weight of the total variation of the RGB image (default: 10 for torchvision weights, 1e6 for caffe weights).")
    Float tvWeight;

    @Option(names = "--tv-beta", defaultValue = "2", paramLabel = "BETA", converter = Checked.PositiveFloat.class,
            description = "beta of R_{V^beta} (default: ${DEFAULT-VALUE}).")
    float tvBeta;

    @Option(names = "--content-layers", defaultValue = "relu4_2", paramLabel = "L[:W],...", converter = Checked.WeightedLayers.class,
            description = "Content layer(s) (default: ${DEFAULT-VALUE}).")
    String contentLayers;

    @Option(names = "--style-layers", defaultValue = "relu1_1,relu2_1,relu3_1,relu4_1,relu5_1", paramLabel = "L[:W],...",
            converter = Checked.WeightedLayers.class,
            description = "Style layers, weights 1/(number of layers) unless given (default: ${DEFAULT-VALUE}).")
    String styleLayers;

    @Option(names = "--init", defaultValue = "content", paramLabel = "content|noise|FILE", description = "Starting image (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--original-colors", description = "Keep the content's colours: only the luminance is stylised (YIQ).")
    boolean originalColors;

    @Option(names = "--pooling", defaultValue = "max", paramLabel = "max|avg", converter = Checked.Pooling.class,
            description = "VGG pooling (default: ${DEFAULT-VALUE}).")
    PoolingMode pooling;

    @Option(names = "--iterations", defaultValue = "300", paramLabel = "N", converter = Checked.NonNegativeInt.class,
            description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Mixin
    OptimizerOptions optimizer;

    StyleCommand(VggSource network) {
        super(network);
    }

    @Override
    public List<String> layerOptions() {
        return List.of(contentLayers, styleLayers);
    }

    @Override
    void checkInputs() {
        InputFiles.require("--content", content);
        for (Path s : styles) {
            InputFiles.require("--style", s);
        }
        InputFiles.requireStart(init, "content", "noise");
        if (blendWeights != null && blendWeights.length != styles.size()) {
            throw new IllegalArgumentException("--style-blend-weights: " + blendWeights.length + " weight(s) for "
                    + styles.size() + " --style image(s); give one per image");
        }
        if (blendWeights != null && IntStream.range(0, blendWeights.length).mapToDouble(i -> blendWeights[i]).sum() <= 0) {
            throw new IllegalArgumentException("--style-blend-weights: the weights sum to 0; give at least one above 0");
        }
        optimizer.warnIgnored();
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
        Vgg vgg = loaded.withPooling(pooling);
        Preprocessing pre = vgg.preprocessing();
        StyleTransfer.Options options = options(vgg);
        List<String> contentNames = options.contentLayers().names(), styleNames = options.styleLayers().names();
        Set<String> all = new LinkedHashSet<>(contentNames);
        all.addAll(styleNames);

        RgbImage contentOriginal = ImageFiles.read(content);
        int[] hw = sizeReaching("--content", content, contentOriginal, size, vgg, all);
        int styleSide = Math.max(1, Math.round(styleScale * Math.max(hw[0], hw[1])));
        var settings = optimizer.settings(iterations);
        MemoryEstimate memory = MemoryEstimate.of(vgg)
                .optimising("the image", hw[0], hw[1], all, MemoryEstimate.imageVectors(settings), sizeKnob(hw))
                .featureTarget("the content", hw[0], hw[1], contentNames, sizeKnob(hw));
        List<RgbImage> styleOriginals = new ArrayList<>();
        for (Path s : styles) {
            RgbImage original = ImageFiles.read(s);
            int[] shw = sizeFor(original, styleSide);
            requireReach("--style " + s + " at " + styleSide + " px", shw[0], shw[1], vgg, styleNames,
                    min -> "use a larger --size or --style-scale");
            memory.gramTarget("--style " + s, shw[0], shw[1], styleNames, sizeKnob(hw));
            styleOriginals.add(original);
        }
        memory.require(backend);

        RgbImage contentImage = scaled(contentOriginal, size);
        List<Tensor> styleImages = new ArrayList<>();
        List<RgbImage> styleShown = new ArrayList<>();
        for (RgbImage s : styleOriginals) {
            styleShown.add(scaled(s, styleSide));
            styleImages.add(ImageTensors.toNetwork(styleShown.get(styleShown.size() - 1), pre, backend));
        }
        StyleTransfer transfer = new StyleTransfer(vgg, ImageTensors.toNetwork(contentImage, pre, backend), styleImages,
                blendWeights, options);
        RgbImage start = init(init, contentImage.height(), contentImage.width(), contentImage);
        ImageJob job = ImageJob.minimising("style", start, transfer::loss, pre, settings).withReference("content", contentImage);
        for (int i = 0; i < styleShown.size(); i++) {
            job = job.withReference(styleShown.size() == 1 ? "style" : "style " + (i + 1), styleShown.get(i));
        }
        return originalColors ? job.withFinish(rgb -> Colors.keepOriginalColors(rgb, contentImage)) : job;
    }
}
