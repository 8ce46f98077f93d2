package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.DeepDream;
import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.LayerWeights;
import dev.pixelgrad.algorithms.cli.live.Knobs;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

@Command(name = "dream", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "pixelgrad dream --image FILE --out FILE [OPTIONS]",
        description = "DeepDream: amplify what a layer sees in an image by gradient ascent.")
final class DreamCommand extends ImageCommand {
    /** Image-sized vectors of the octave loop besides the tile's pass: x, base, detail, gradient, jitter copies. */
    private static final int OCTAVE_VECTORS = 8;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The image to dream on.")
    Path image;

    @Option(names = "--layer", defaultValue = "relu4_2", paramLabel = "L[:W],...", converter = Checked.SignedWeightedLayers.class,
            description = "Layer(s) to amplify, with optional weights, e.g. relu4_2:1,relu5_1:0.5 (default: ${DEFAULT-VALUE}).")
    String layer;

    @Option(names = "--iterations", defaultValue = "10", paramLabel = "N", converter = Checked.NonNegativeInt.class,
            description = "Steps per octave; the start line gives the total (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--step", defaultValue = "1.5", paramLabel = "LEVELS", converter = Checked.PositiveFloat.class,
            description = "Mean pixel change per step, in levels of 255 (default: ${DEFAULT-VALUE}).")
    float step;

    @Option(names = "--octaves", defaultValue = "4", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "Number of image sizes, smallest first (default: ${DEFAULT-VALUE}).")
    int octaves;

    @Option(names = "--octave-scale", defaultValue = "1.4", paramLabel = "RATIO", converter = Checked.AboveOneFloat.class,
            description = "Size ratio between octaves, above 1 (default: ${DEFAULT-VALUE}).")
    float octaveScale;

    @Option(names = "--jitter", defaultValue = "32", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Largest random roll in pixels, undone after each step (default: ${DEFAULT-VALUE}).")
    int jitter;

    @Option(names = "--tile", defaultValue = "512", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Compute the gradient in tiles of this size at a random offset; 0 = the whole image at once "
                    + "(default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--guide", paramLabel = "FILE", description = "Guided dream: pull the features toward this image's.")
    Path guide;

    @Option(names = "--size", defaultValue = "0", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Long side of the output; 0 = the image's own size (default: ${DEFAULT-VALUE}).")
    int size;

    DreamCommand(VggSource network) {
        super(network);
    }

    @Override
    public List<String> layerOptions() {
        return List.of(layer);
    }

    @Override
    void checkInputs() {
        InputFiles.require("--image", image);
        if (guide != null) {
            InputFiles.require("--guide", guide);
        }
    }

    @Override
    public ImageJob plan(Vgg vgg, Backend backend) throws IOException {
        Preprocessing pre = vgg.preprocessing();
        LayerWeights layers = LayerWeights.parse(layer, vgg, 1f);
        RgbImage original = ImageFiles.read(image);
        int[] hw = sizeReaching("--image", image, original, size, vgg, layers.names());
        if (tile > 0) {
            requireReach("a tile of --tile " + tile, tile, tile, vgg, layers.names(), min -> "use --tile " + min + " or more (or 0)");
        }
        RgbImage guideOriginal = guide == null ? null : ImageFiles.read(guide);
        int longSide = Math.max(hw[0], hw[1]);
        memory(vgg, layers.names(), hw, guideOriginal == null ? null : sizeFor(guideOriginal, longSide)).require(backend);

        RgbImage img = scaled(original, size);
        var options = new DeepDream.Options(layers, iterations, step, octaves, octaveScale, jitter, tile);
        Tensor guideImage = guideOriginal == null ? null : ImageTensors.toNetwork(scaled(guideOriginal, longSide), pre, backend);
        DeepDream dream = new DeepDream(vgg, guideImage, options, common.seed);
        DeepDream.Plan steps = dream.plan(img.height(), img.width());
        if (!common.quiet) {   // --iterations counts per octave: say the total, and any octave too small to keep
            System.err.println("dream: " + steps.describe());
        }
        ImageJob job = new ImageJob("dream", pre, img, steps.steps(), dream::run, UnaryOperator.identity(),
                Knobs.dream(step, layer, guide == null ? text -> checkLayers(text, vgg, img) : null), Map.of("start", img));
        return guideOriginal == null ? job : job.withReference("guide", scaled(guideOriginal, longSide));
    }

    /** A new --layer from the live page: layers that exist and that the image and a tile reach. */
    private String checkLayers(String text, Vgg vgg, RgbImage img) {
        List<String> names = LayerWeights.parse(text, vgg, 1f).names();
        requireReach("the image", img.height(), img.width(), vgg, names, min -> "choose a layer before it");
        if (tile > 0) {
            requireReach("a tile of --tile " + tile, tile, tile, vgg, names, min -> "choose a layer before it");
        }
        return text;
    }

    /** The gradient's pass runs on one tile at a time (the whole image when --tile is 0); the octave loop keeps full-size copies. */
    private MemoryEstimate memory(Vgg vgg, List<String> layers, int[] hw, int[] guideHw) {
        int th = tile == 0 ? hw[0] : Math.min(tile, hw[0]), tw = tile == 0 ? hw[1] : Math.min(tile, hw[1]);
        MemoryEstimate m = MemoryEstimate.of(vgg)
                .optimising(tile == 0 ? "the whole image" : "each tile", th, tw, layers, 0, MemoryEstimate.Knob.side("--tile", Math.max(th, tw)))
                .vectors("the octaves' copies of the image", hw[0], hw[1], OCTAVE_VECTORS, sizeKnob(hw));
        return guideHw == null ? m : m.gramTarget("the guide", guideHw[0], guideHw[1], layers, sizeKnob(hw));
    }
}
