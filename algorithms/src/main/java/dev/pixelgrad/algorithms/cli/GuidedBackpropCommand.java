package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.HeatMaps;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.lecture.Classifier;
import dev.pixelgrad.algorithms.lecture.GuidedBackprop;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.weights.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Guided backpropagation (Springenberg et al. 2015) from one channel of a VGG layer to the image. */
@Command(name = "guided-backprop", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Guided backpropagation (Springenberg et al. 2015): the image gradient of one channel's summed "
                + "activations at a VGG layer, every ReLU passing back only positive gradients at positive inputs. "
                + "Computed on the image resized to 224x224; OUT is the signed gradient (mid-grey = 0) resized to the image's size."})
final class GuidedBackpropCommand implements Callable<Integer> {
    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The input image.")
    Path image;

    @Option(names = "--layer", required = true, paramLabel = "L",
            description = "A VGG layer: conv, relu or pool (e.g. relu4_3, pool5), or fc6, relu6, fc7, relu7, fc8 when the weights have them.")
    String layer;

    @Option(names = "--channel", paramLabel = "C", converter = Checked.NonNegativeInt.class,
            description = "The layer's channel (unit, for fc layers) to start from (default: the one with the largest mean activation).")
    Integer channel;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The signed gradient as a picture (PNG or JPEG by extension).")
    Path out;

    @Option(names = "--npy", paramLabel = "FILE", description = "Also write the gradient as float32 .npy (3 x H x W, the image's size).")
    Path npy;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "VGG weights, any supported format (default: the cached VGG-19).")
    Path weights;

    @Mixin
    DeviceOption device;

    private final VggSource network;

    GuidedBackpropCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        InputFiles.require("--image", image);
        SaliencyCommand.checkOutputs(SaliencyCommand.checkPicture(out), null, npy);
        Backend be = device.backend();
        Vgg vgg = network.load(weights, be);
        int channels;
        try {
            channels = GuidedBackprop.channels(vgg, layer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--layer " + layer + ": " + e.getMessage(), e);
        }
        if (channel != null && channel >= channels) {
            throw new IllegalArgumentException("--channel " + channel + ": " + layer + " has " + channels
                    + " channels, 0 to " + (channels - 1));
        }
        RgbImage original = ImageFiles.read(image);
        GuidedBackprop.Result r = GuidedBackprop.compute(vgg, be, Classifier.fit(original), layer, channel == null ? -1 : channel);
        System.out.printf(Locale.ROOT, "%s channel %d of %d%s, mean activation %.4g%n", layer, r.channel(), channels,
                channel == null ? " (the largest mean activation)" : "", r.mean());

        int h = original.height(), w = original.width(), plane = Classifier.SIZE * Classifier.SIZE;
        float[] resized = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            float[] one = java.util.Arrays.copyOfRange(r.gradient(), c * plane, (c + 1) * plane);
            System.arraycopy(HeatMaps.resize(one, Classifier.SIZE, Classifier.SIZE, h, w), 0, resized, c * h * w, h * w);
        }
        ImageFiles.write(HeatMaps.signed(resized, h, w), out);
        System.out.println("guided-backprop: " + out);
        if (npy != null) {
            Npy.write(npy, new int[]{3, h, w}, resized);
            System.out.println("guided-backprop: " + npy + " (3 x " + h + " x " + w + ")");
        }
        return 0;
    }
}
