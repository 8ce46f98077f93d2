package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.HeatMaps;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.lecture.Classifier;
import dev.pixelgrad.algorithms.lecture.Occlusion;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.weights.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "occlusion", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Occlusion sensitivity (Zeiler & Fergus 2014): slide a grey patch over the image and map the "
                + "probability of a class at each position.",
                "The image is resized to 224x224; the patch is mid-grey (0.5 in [0, 1] RGB, near zero once the weights' mean "
                        + "is subtracted). Each pixel gets the mean probability over the patches that cover it, resized back to "
                        + "the image. The heat map is bright where the probability is LOW: there the region matters."})
final class OcclusionCommand implements Callable<Integer> {
    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The input image.")
    Path image;

    @Option(names = "--class", paramLabel = "K|NAME",
            description = "The class, by number or ImageNet name (default: the top class of the unoccluded image).")
    String className;

    @Option(names = "--patch", defaultValue = "32", paramLabel = "PIXELS", converter = Checked.PositiveInt.class,
            description = "Side of the grey square, in the 224x224 input (default: ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--stride", defaultValue = "8", paramLabel = "PIXELS", converter = Checked.PositiveInt.class,
            description = "Pixels between patch positions, at most --patch; the last position is flush with the edge (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--batch", defaultValue = "4", paramLabel = "B", converter = Checked.PositiveInt.class,
            description = "Occluded copies per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "The heat map at the image's size (PNG or JPEG by extension); the map over the image goes beside it, "
                    + "with -overlay added to the name.")
    Path out;

    @Option(names = "--npy", paramLabel = "FILE", description = "Also write the probability map as float32 .npy, H x W at the image's size.")
    Path npy;

    @Mixin
    ClassifierWeights classifierWeights;

    @Mixin
    DeviceOption device;

    private final VggSource network;

    OcclusionCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        InputFiles.require("--image", image);
        if (patch > Classifier.SIZE) {
            throw new IllegalArgumentException("--patch " + patch + ": the network input is " + Classifier.SIZE + "x" + Classifier.SIZE
                    + " px; use a patch of at most " + Classifier.SIZE);
        }
        if (stride > patch) {
            throw new IllegalArgumentException("--stride " + stride + ": more than --patch " + patch
                    + " leaves pixels no patch covers; use a stride of at most the patch");
        }
        Path overlay = OutputPaths.overlay(out);
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("--out", out);
        outputs.put("--out (overlay)", overlay);
        if (npy != null) {
            outputs.put("--npy", npy);
        }
        OutputPaths.checkDistinct(outputs);
        outputs.forEach(OutputPaths::checkWritable);
        requireImageName(out);
        Backend be = device.backend();
        Classifier classifier = classifierWeights.load(network, be, "occlusion");
        RgbImage original = ImageFiles.read(image);
        RgbImage input = Classifier.fit(original);

        float[] plain = classifier.scoresOf(input)[0];
        int k = className != null ? ClassChoice.parse("--class", className, classifier) : Classifier.top(plain);
        System.out.printf(Locale.ROOT, "class %d (%s): p = %.4f unoccluded%n", k, classifier.name(k),
                Classifier.probabilities(plain)[k]);

        Occlusion occlusion = new Occlusion(patch, stride, batch);
        int patches = occlusion.patches(Classifier.SIZE, Classifier.SIZE);
        long t0 = System.nanoTime();
        float[] map;
        try (StepProgress progress = new StepProgress("occlusion", patches, "patches")) {
            map = occlusion.map(input, k, classifier::scoresOf, progress::stepTo);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        int h = original.height(), w = original.width();
        float[] p = HeatMaps.resize(map, Classifier.SIZE, Classifier.SIZE, h, w);
        float[] drop = new float[p.length];   // bright where the probability is low
        for (int i = 0; i < p.length; i++) {
            drop[i] = -p[i];
        }
        ImageFiles.write(HeatMaps.colour(drop, h, w), out);
        ImageFiles.write(HeatMaps.overlay(original, drop, 0.6f), overlay);
        if (npy != null) {
            Npy.write(npy, new int[]{h, w}, p);
        }
        System.err.printf(Locale.ROOT, "occlusion: %d patches in %.1f s, %.1f patches/s (batch %d, %s): %s, %s%n", patches, seconds,
                patches / seconds, batch, be.name(), out.toAbsolutePath(), overlay.getFileName());
        return 0;
    }

    /** Refuses an output name that is neither PNG nor JPEG before any work is done. */
    static void requireImageName(Path out) {
        if (!ImageFiles.hasImageName(out)) {
            throw new IllegalArgumentException("--out " + out + ": cannot tell the image format from the name; end it in .png, .jpg or .jpeg");
        }
    }
}
