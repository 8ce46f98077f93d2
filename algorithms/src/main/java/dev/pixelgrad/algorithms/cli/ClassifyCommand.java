package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.weights.ImageNetClasses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/** Top-k ImageNet classes of an image, for weights that include fc6-fc8. */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the most probable ImageNet classes of an image (resized so the short side is 224, centre-cropped to 224).")
final class ClassifyCommand implements Callable<Integer> {
    static final int SIZE = 224;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The input image.")
    Path image;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", converter = Checked.PositiveInt.class,
            description = "How many classes to print (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    ClassifierWeights classifierWeights;

    @Mixin
    DeviceOption device;

    private final VggSource network;

    ClassifyCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        InputFiles.require("--image", image);
        Backend be = device.backend();
        Vgg vgg = classifierWeights.load(network, be, "classify").vgg();
        RgbImage rgb = ImageFiles.read(image).shortSideCenterCrop(SIZE);
        float[] logits = vgg.forward(vgg.preprocessing().fromRgb(rgb.rgb(), rgb.height(), rgb.width(), be)).toArray();
        double max = IntStream.range(0, logits.length).mapToDouble(i -> logits[i]).max().orElse(0);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        final double z = sum;
        IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> -p[i])).limit(top)
                .forEach(i -> System.out.printf(Locale.ROOT, "%6.2f%%  %4d  %s%n", 100 * p[i] / z, i, ImageNetClasses.name(i, p.length)));
        return 0;
    }
}
