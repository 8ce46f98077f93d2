package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.HeatMaps;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.lecture.Classifier;
import dev.pixelgrad.algorithms.lecture.Saliency;
import dev.pixelgrad.weights.Npy;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** A class saliency map of an image (Simonyan et al. 2014), optionally smoothed (SmoothGrad). */
@Command(name = "saliency", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Class saliency map: |d score / d pixel|, the maximum over the colour channels, of the class's "
                + "unnormalised score (Simonyan et al. 2014), computed on the image resized to 224x224 and resized back. "
                + "Writes OUT (the map as a heat map) and OUT-overlay (the heat map over the image), both at the image's size.",
                "Needs weights with the classifier (fc6-fc8)."})
final class SaliencyCommand implements Callable<Integer> {
    static final float SUGGESTED_NOISE = 0.15f;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The input image.")
    Path image;

    @Option(names = "--class", paramLabel = "K|NAME",
            description = "The class: a number (0-999) or an ImageNet name such as 'tabby' (default: the top class).")
    String cls;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "The heat map (PNG or JPEG by extension); the overlay goes to OUT-overlay with the same extension.")
    Path out;

    @Option(names = "--smooth", defaultValue = "0", paramLabel = "N", converter = Checked.NonNegativeInt.class,
            description = "SmoothGrad (Smilkov et al. 2017): average the gradient over N noisy copies; 0 = plain saliency (default: ${DEFAULT-VALUE}).")
    int smooth;

    @Option(names = "--noise", paramLabel = "SIGMA", converter = Checked.NonNegativeFloat.class,
            description = "SmoothGrad's noise: standard deviation as a fraction of the pixel range; with --smooth only (default: 0.15).")
    Float noise;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Seed of SmoothGrad's noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--npy", paramLabel = "FILE", description = "Also write the map as float32 .npy (H x W, the image's size).")
    Path npy;

    @Mixin
    ClassifierWeights classifierWeights;

    @Mixin
    DeviceOption device;

    private final VggSource network;

    SaliencyCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        InputFiles.require("--image", image);
        if (noise != null && smooth == 0) {
            throw new IllegalArgumentException("--noise " + noise + " is SmoothGrad's noise and needs --smooth N (N noisy copies, e.g. 20)");
        }
        Path overlay = OutputPaths.overlay(checkPicture(out));
        checkOutputs(out, overlay, npy);
        Classifier net = classifierWeights.load(network, device.backend(), "saliency");
        int k = cls == null ? -1 : ClassChoice.parse("--class", cls, net);

        RgbImage original = ImageFiles.read(image);
        RgbImage fitted = Classifier.fit(original);
        float[] scores = net.scoresOf(fitted)[0];
        k = k < 0 ? Classifier.top(scores) : k;
        System.out.printf(Locale.ROOT, "class %d '%s', probability %.4f%n", k, net.name(k), Classifier.probabilities(scores)[k]);

        float[] map;
        if (smooth == 0) {
            map = Saliency.map(net, fitted, k);
        } else {
            try (Progress bar = new Progress(smooth)) {
                map = Saliency.smoothGrad(net, fitted, k, smooth, noise == null ? SUGGESTED_NOISE : noise, seed, bar::stepTo);
            }
        }
        int h = original.height(), w = original.width();
        float[] resized = HeatMaps.resize(map, Classifier.SIZE, Classifier.SIZE, h, w);
        ImageFiles.write(HeatMaps.colour(resized, h, w), out);
        ImageFiles.write(HeatMaps.overlay(original, resized, 0.6f), overlay);
        System.out.println("saliency: " + out + ", overlay " + overlay);
        if (npy != null) {
            Npy.write(npy, new int[]{h, w}, resized);
            System.out.println("saliency: " + npy + " (" + h + " x " + w + ")");
        }
        return 0;
    }

    /** Refuses an --out whose name gives no picture format. */
    static Path checkPicture(Path out) {
        if (!ImageFiles.hasImageName(out)) {
            throw new IllegalArgumentException("--out " + out + ": cannot tell the picture's format from the name; end it in .png, .jpg or .jpeg");
        }
        return out;
    }

    /** Distinct names, each writable: checked before the network is loaded. */
    static void checkOutputs(Path out, Path second, Path npy) {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("--out", out);
        if (second != null) {
            files.put("--out (" + second.getFileName() + ")", second);
        }
        if (npy != null) {
            files.put("--npy", npy);
        }
        OutputPaths.checkDistinct(files);
        files.forEach(OutputPaths::checkWritable);
    }

    /** A bar over SmoothGrad's copies on a terminal, nothing otherwise. */
    private static final class Progress implements AutoCloseable {
        private final ProgressBar bar;

        Progress(int copies) {
            bar = RunReporter.stderrIsTerminal()
                    ? new ProgressBarBuilder().setTaskName("smoothgrad").setInitialMax(copies).setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" copies", 1).setConsumer(new ConsoleProgressBarConsumer(System.err)).build()
                    : null;
        }

        void stepTo(int done) {
            if (bar != null) {
                bar.stepTo(done);
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
