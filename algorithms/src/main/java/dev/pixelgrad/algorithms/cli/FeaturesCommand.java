package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.weights.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Writes the activations of chosen layers for one image as NumPy files. */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write the activations of VGG layers for an image: one float32 npy (1 x C x H x W) per layer.")
final class FeaturesCommand implements Callable<Integer> {
    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The input image.")
    Path image;

    @Option(names = "--layers", required = true, paramLabel = "L,...", description = "Comma-separated layer names, e.g. relu1_1,relu4_1.")
    String layers;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for LAYER.npy, created when missing.")
    Path out;

    @Option(names = "--size", defaultValue = "0", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Long side the image is scaled to; 0 = as it is, without resampling (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "VGG weights, any supported format (default: the cached VGG-19, see 'pixelgrad weights fetch vgg19').")
    Path weights;

    @Mixin
    DeviceOption device;

    private final VggSource network;

    FeaturesCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        InputFiles.require("--image", image);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + ": is a file; give a directory for the .npy files");
        }
        OutputPaths.checkWritable("--out", out.resolve("features.npy"));
        Backend be = device.backend();
        Vgg vgg = network.load(weights, be);
        List<String> names = vgg.parseLayers(layers);
        RgbImage original = ImageFiles.read(image);
        int[] hw = ImageCommand.sizeReaching("--image", image, original, size, vgg, names);
        MemoryEstimate.of(vgg).featureTarget("the image", hw[0], hw[1], names, ImageCommand.sizeKnob(hw)).require(be);
        RgbImage rgb = ImageCommand.scaled(original, size);
        Map<String, Tensor> acts = vgg.forward(vgg.preprocessing().fromRgb(rgb.rgb(), rgb.height(), rgb.width(), be), names);
        Files.createDirectories(out);
        for (String name : names) {
            Tensor t = acts.get(name);
            Path f = out.resolve(name + ".npy");
            Npy.write(f, t.shape().dims(), t.toArray());
            System.out.println(name + " " + t.shape() + " -> " + f);
        }
        return 0;
    }
}
