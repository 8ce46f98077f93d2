package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.lecture.ClassModel;
import dev.pixelgrad.algorithms.lecture.Classifier;
import dev.pixelgrad.tensor.Tensor;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "class-model", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "pixelgrad class-model --class K|NAME --out FILE [OPTIONS]",
        description = {"Class model visualisation (Simonyan et al. 2014, Yosinski et al. 2015): the 224x224 image whose class "
                + "score the network finds highest, by gradient ascent from noise with L2 decay, jitter, blur and a clamp to [0, 255].",
                "The defaults are CS231n's class visualisation (learning rate 25 and L2 1e-3 in its normalised units, 100 steps, "
                        + "jitter 16, blur sigma 0.5 every 10 steps), translated to levels of 255: one normalised unit is "
                        + "0.226 x 255 = 57.6 levels."})
final class ClassModelCommand implements Callable<Integer> {
    @Option(names = "--class", required = true, paramLabel = "K|NAME",
            description = "The class: a number from 0 to 999 or an ImageNet name, e.g. flamingo.")
    String className;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The image (PNG or JPEG by extension), 224x224.")
    Path out;

    @Option(names = "--iterations", defaultValue = "100", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "Gradient steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--learning-rate", defaultValue = "3.7", paramLabel = "LEVELS", converter = Checked.PositiveFloat.class,
            description = "Root-mean-square pixel change of one step, in levels of 255: x += rate g / rms(g); "
                    + "CS231n's 25 units of 57.6 levels over 3x224x224 values (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--l2", defaultValue = "3e-7", paramLabel = "LAMBDA", converter = Checked.NonNegativeFloat.class,
            description = "Weight of the decay lambda ||x - mean colour||^2, x in levels; "
                    + "CS231n's 1e-3 / 57.6^2 (default: ${DEFAULT-VALUE}).")
    float l2;

    @Option(names = "--blur-every", defaultValue = "10", paramLabel = "N", converter = Checked.NonNegativeInt.class,
            description = "Blur the image every N steps; 0 = never (default: ${DEFAULT-VALUE}).")
    int blurEvery;

    @Option(names = "--blur-sigma", defaultValue = "0.5", paramLabel = "PIXELS", converter = Checked.PositiveFloat.class,
            description = "The blur's standard deviation (default: ${DEFAULT-VALUE}).")
    float blurSigma;

    @Option(names = "--jitter", defaultValue = "16", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Largest random roll before each forward pass, undone after it (default: ${DEFAULT-VALUE}).")
    int jitter;

    @Option(names = "--save-every", defaultValue = "0", paramLabel = "N", converter = Checked.NonNegativeInt.class,
            description = "Also write the image every N steps as OUT-iterN.png; 0 = only the end (default: ${DEFAULT-VALUE}).")
    int saveEvery;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Random seed of the start noise and the jitter (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ClassifierWeights classifierWeights;

    @Mixin
    DeviceOption device;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    private final VggSource network;

    ClassModelCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        classifierWeights.requireFile();
        ImageFiles.formatFor(out);   // a bad extension fails before any work
        OutputPaths.checkWritable("--out", out);
        Classifier classifier = classifierWeights.load(network, device.backend(), "class-model");
        int k = ClassChoice.parse("--class", className, classifier);
        ClassModel model = new ClassModel(classifier,
                new ClassModel.Options(iterations, learningRate, l2, blurEvery, blurSigma, jitter), seed);
        Tensor x = model.start();
        float before = model.score(x, k);
        String label = k + " (" + classifier.name(k) + ")";
        try (Progress progress = new Progress(iterations, quiet)) {
            model.run(x, k, (t, score, image) -> {
                progress.step(t + 1, score);
                if (saveEvery > 0 && (t + 1) % saveEvery == 0 && t + 1 < iterations) {
                    write(image, OutputPaths.checkpoint(out, t + 1));
                }
            });
        }
        write(x, out);
        float[] scores = classifier.scoresOf(ImageFiles.read(out))[0];
        double p = Classifier.probabilities(scores)[k];
        System.err.printf(Locale.ROOT, "class-model: class %s: score %.3f at the start, %.3f in %s (probability %.1f%%, top class %d)%n",
                label, before, scores[k], out, 100 * p, Classifier.top(scores));
        x.close();
        return 0;
    }

    private static void write(Tensor x, Path file) {
        try {
            ImageFiles.write(ClassModel.image(x), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bar with the class score (on a terminal), or a line every tenth of the steps. */
    private static final class Progress implements AutoCloseable {
        private final int total;
        private final boolean quiet;
        private final ProgressBar bar;

        Progress(int total, boolean quiet) {
            this.total = total;
            this.quiet = quiet;
            this.bar = !quiet && RunReporter.stderrIsTerminal()
                    ? new ProgressBarBuilder().setTaskName("class-model").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()
                    : null;
        }

        void step(int done, float score) {
            if (bar != null) {
                bar.stepTo(done);
                bar.setExtraMessage(String.format(Locale.ROOT, "score %.3f", score));
            } else if (!quiet && (done % Math.max(1, total / 10) == 0 || done == total)) {
                System.err.printf(Locale.ROOT, "class-model: step %d/%d, class score %.3f%n", done, total, score);
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
