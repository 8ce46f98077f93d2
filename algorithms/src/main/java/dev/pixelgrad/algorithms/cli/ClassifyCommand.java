package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.weights.ImageNetClasses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/** Top-k ImageNet classes of an image, for weights that include fc6-fc8. */
@Command(name = "classify", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Print the most probable ImageNet classes of an image (resized so the short side is 224, centre-cropped to 224).")
final class ClassifyCommand implements Callable<Integer> {
    static final int SIZE = 224;

    @Option(names = "--weights", description = "weight file with fc layers; default: the cached vgg19")
    java.nio.file.Path weights;

    @Option(names = "--image", required = true, description = "input image")
    java.nio.file.Path image;

    @Option(names = "--top", defaultValue = "5", description = "how many classes to print")
    int top;

    @Mixin
    DeviceOption device;

    private final VggSource network;

    ClassifyCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() {
        return CliErrors.guard("classify", () -> {
            Backend be = device.backend();
            Vgg vgg = network.load(weights, be);
            if (!vgg.hasClassifier()) {
                throw new IllegalArgumentException("the weights have no fully connected layers (fc6, fc7, fc8); classify needs weights with a classifier");
            }
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
            IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> -p[i])).limit(Math.max(1, top))
                    .forEach(i -> System.out.printf(Locale.ROOT, "%6.2f%%  %4d  %s%n", 100 * p[i] / z, i, ImageNetClasses.name(i, p.length)));
            return 0;
        });
    }
}
