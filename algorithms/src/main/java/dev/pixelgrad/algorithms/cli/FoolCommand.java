package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.HeatMaps;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.lecture.Classifier;
import dev.pixelgrad.algorithms.lecture.Fooling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "fool", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "pixelgrad fool --image FILE --target K|NAME --out FILE.png [OPTIONS]",
        description = {"A fooling image: the small change that makes the network predict --target, by steps along the "
                + "target score's gradient, x += step g / rms(g), stopping as soon as the image, rounded to 8 bits as the PNG "
                + "keeps it, is classified as the target.",
                "The image is resized to 224x224 and the result is written at that size, with the change beside it as "
                        + "OUT-diff.png (magnified so the largest becomes full range around grey). A run that does not reach the "
                        + "target writes nothing and exits with 1."})
final class FoolCommand implements Callable<Integer> {
    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The image to change.")
    Path image;

    @Option(names = "--target", required = true, paramLabel = "K|NAME",
            description = "The class to reach: a number from 0 to 999 or an ImageNet name, e.g. 'tree frog'.")
    String target;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The fooling image, 224x224 (PNG: a JPEG would blur the change away).")
    Path out;

    @Option(names = "--max-iterations", defaultValue = "100", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "Give up after this many steps (default: ${DEFAULT-VALUE}).")
    int maxIterations;

    @Option(names = "--step", defaultValue = "1", paramLabel = "LEVELS", converter = Checked.PositiveFloat.class,
            description = "Root-mean-square pixel change of one step, in levels of 255 (default: ${DEFAULT-VALUE}).")
    float step;

    @Mixin
    ClassifierWeights classifierWeights;

    @Mixin
    DeviceOption device;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    private final VggSource network;

    FoolCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        InputFiles.require("--image", image);
        classifierWeights.requireFile();
        if (!"png".equals(ImageFiles.formatFor(out))) {
            throw new IllegalArgumentException("--out " + out + ": the fooling image must be a PNG (end the name in .png); "
                    + "JPEG's compression would undo a change of a few levels");
        }
        Path diff = OutputPaths.sibling(out, "-diff", ".png");
        OutputPaths.checkWritable("--out", out);
        Classifier classifier = classifierWeights.load(network, device.backend(), "fool");
        int t = ClassChoice.parse("--target", target, classifier);
        RgbImage original = Classifier.fit(ImageFiles.read(image));
        int before = Classifier.top(classifier.scoresOf(original)[0]);
        if (before == t) {
            System.err.println("fool: " + image + " is already classified as " + label(classifier, t) + "; nothing to do, nothing written");
            return 0;
        }
        Fooling.Result r = Fooling.run(classifier, original, t, maxIterations, step, (i, score, top) -> {
            if (!quiet) {
                System.err.printf(Locale.ROOT, "fool: step %d: target score %.3f, top class %s%n", i, score, label(classifier, top));
            }
        });
        if (!r.fooled()) {
            System.err.printf(Locale.ROOT, "fool: the target %s was not reached in %d steps of %s levels (the image is classified as %s, "
                            + "target score %.3f against %.3f); nothing written. Try more --max-iterations or a larger --step%n",
                    label(classifier, t), r.steps(), step, label(classifier, r.predicted()), r.scores()[t], r.scores()[r.predicted()]);
            return 1;
        }
        float[] change = change(r.image(), original);
        ImageFiles.write(r.image(), out);
        ImageFiles.write(HeatMaps.signed(change, Classifier.SIZE, Classifier.SIZE), diff);
        int reread = Classifier.top(classifier.scoresOf(ImageFiles.read(out))[0]);
        System.err.printf(Locale.ROOT, "fool: %s -> %s in %d step%s; change in levels of 255: L-inf %.0f, L2 %.2f (over 3x224x224 values)%n",
                label(classifier, before), label(classifier, t), r.steps(), r.steps() == 1 ? "" : "s", lInf(change), l2(change));
        System.err.printf(Locale.ROOT, "fool: wrote %s (224x224) and the change magnified in %s; read back, %s is classified as %s%n",
                out, diff, out.getFileName(), label(classifier, reread));
        return reread == t ? 0 : 1;
    }

    private static String label(Classifier c, int k) {
        return k + " (" + c.name(k) + ")";
    }

    /** fooled - original, per value, in levels of 255. */
    static float[] change(RgbImage fooled, RgbImage original) {
        float[] d = new float[fooled.rgb().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = 255f * (fooled.rgb()[i] - original.rgb()[i]);
        }
        return d;
    }

    static double lInf(float[] d) {
        double m = 0;
        for (float v : d) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double l2(float[] d) {
        double s = 0;
        for (float v : d) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }
}
