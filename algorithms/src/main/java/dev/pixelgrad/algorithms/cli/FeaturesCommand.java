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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Writes the activations of chosen layers for one image as NumPy files. */
@Command(name = "features", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Write the activations of VGG layers for an image, one float32 .npy (1 x C x H x W) per layer.")
final class FeaturesCommand implements Callable<Integer> {
    @Option(names = "--weights", description = "weight file (any supported format); default: the cached vgg19")
    Path weights;

    @Option(names = "--image", required = true, description = "input image")
    Path image;

    @Option(names = "--layers", required = true, description = "comma-separated layer names, e.g. relu1_1,relu4_1")
    String layers;

    @Option(names = "--out", required = true, description = "directory for <layer>.npy")
    Path out;

    @Option(names = "--size", defaultValue = "0", description = "long side in pixels (0: keep the image's size; no resampling when equal)")
    int size;

    @Mixin
    DeviceOption device;

    private final VggSource network;

    FeaturesCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() {
        return CliErrors.guard("features", () -> {
            Backend be = device.backend();
            Vgg vgg = network.load(weights, be);
            List<String> names = vgg.parseLayers(layers);
            RgbImage rgb = size > 0 ? ImageFiles.read(image, size) : ImageFiles.read(image);
            Map<String, Tensor> acts = vgg.forward(vgg.preprocessing().fromRgb(rgb.rgb(), rgb.height(), rgb.width(), be), names);
            Files.createDirectories(out);
            for (String name : names) {
                Tensor t = acts.get(name);
                Path f = out.resolve(name + ".npy");
                Npy.write(f, t.shape().dims(), t.toArray());
                System.out.println(name + " " + t.shape() + " -> " + f);
            }
            return 0;
        });
    }
}
