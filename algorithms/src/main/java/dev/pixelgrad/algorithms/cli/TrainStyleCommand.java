package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.cli.live.Knobs;
import dev.pixelgrad.algorithms.cli.live.LiveRun;
import dev.pixelgrad.algorithms.cli.live.LiveView;
import dev.pixelgrad.algorithms.faststyle.FastStyleTraining;
import dev.pixelgrad.algorithms.faststyle.PerceptualLoss;
import dev.pixelgrad.algorithms.faststyle.Stylizer;
import dev.pixelgrad.algorithms.faststyle.TrainingCheckpoint;
import dev.pixelgrad.algorithms.faststyle.TrainingImages;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.optim.AdamOptions;
import dev.pixelgrad.nn.optim.ParameterAdam;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.weights.Sha256;
import dev.pixelgrad.weights.TransformerNetWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

@Command(name = "train-style", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "pixelgrad train-style --style FILE --data DIR --out MODEL [OPTIONS]",
        description = {"Fast style transfer, step 1: train a transform network for one style on a folder of photographs "
                + "(Johnson et al.; the defaults are pytorch/examples' fast_neural_style). Then 'pixelgrad stylize --model MODEL'."})
final class TrainStyleCommand implements Callable<Integer> {
    @Option(names = "--style", required = true, paramLabel = "FILE", description = "The style image.")
    Path style;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Training photographs, JPEG or PNG, read recursively (e.g. COCO 2014's train2014/).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "The trained model (.safetensors, written atomically).")
    Path out;

    @Option(names = "--size", defaultValue = "256", paramLabel = "PIXELS", converter = Checked.PositiveInt.class,
            description = "Training crops: short side resized to this, then centre-cropped square (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch", defaultValue = "4", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", defaultValue = "2", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "Passes over --data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--iterations", defaultValue = "0", paramLabel = "N", converter = Checked.NonNegativeInt.class,
            description = "Train exactly N steps in all, however many epochs that takes, instead of --epochs; "
                    + "0 = train --epochs (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--learning-rate", defaultValue = "1e-3", paramLabel = "LR", converter = Checked.PositiveFloat.class,
            description = "Adam's step size (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--content-weight", defaultValue = "1e5", paramLabel = "ALPHA", converter = Checked.NonNegativeFloat.class,
            description = "Weight of the feature MSE at the content layers (default: ${DEFAULT-VALUE}).")
    float contentWeight;

    @Option(names = "--style-weight", defaultValue = "1e10", paramLabel = "BETA", converter = Checked.NonNegativeFloat.class,
            description = "Weight of the Gram MSE summed over the style layers (default: ${DEFAULT-VALUE}).")
    float styleWeight;

    @Option(names = "--tv-weight", defaultValue = "0", paramLabel = "GAMMA", converter = Checked.NonNegativeFloat.class,
            description = "Weight of the total variation of the output in 0-1 (default: ${DEFAULT-VALUE}).")
    float tvWeight;

    @Option(names = "--content-layers", defaultValue = "relu2_2", paramLabel = "L,...",
            description = "Content layers (default: ${DEFAULT-VALUE}).")
    String contentLayers;

    @Option(names = "--style-layers", defaultValue = "relu1_2,relu2_2,relu3_3,relu4_3", paramLabel = "L,...",
            description = "Style layers (default: ${DEFAULT-VALUE}).")
    String styleLayers;

    @Option(names = "--style-size", defaultValue = "0", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Long side of the style image; 0 = its own size (default: ${DEFAULT-VALUE}).")
    int styleSize;

    @Option(names = "--width", defaultValue = "32", paramLabel = "CHANNELS", converter = Checked.PositiveInt.class,
            description = "Channels of the network's first layer: 32 as pytorch/examples, 16 for the half-width network, "
                    + "about 4x cheaper (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "The fixed VGG that measures the loss, any supported format (default: the cached VGG-16, "
                    + "see 'pixelgrad weights fetch vgg16').")
    Path weights;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "N", converter = Checked.NonNegativeInt.class,
            description = "Write OUT-checkpoint.safetensors every N steps (and on Ctrl-C); 0 = only on Ctrl-C (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue a run exactly where its checkpoint stopped.")
    Path resume;

    @Option(names = "--sample", paramLabel = "IMAGE", description = "An image to stylise now and then, to watch the training.")
    Path sample;

    @Option(names = "--sample-every", defaultValue = "500", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "Stylise --sample every N steps, as OUT-sample-iterN.png (default: ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(names = "--log", paramLabel = "FILE", description = "One JSON line per step: iter, loss, seconds, content, style, tv.")
    Path log;

    @Option(names = "--plot", description = "Also write the loss curve as OUT-loss.png.")
    boolean plot;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the network's first weights and of the order of the images (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOption device;

    @Mixin
    ServeOptions serve;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    private final VggSource network;
    /** The --sample picture, read at the first sample. */
    private RgbImage sampleImage;
    /** The live page (--serve), or null. */
    private LiveView live;

    TrainStyleCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        serve.check();
        InputFiles.require("--style", style);
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + data + ": " + (Files.exists(data) ? "is a file" : "no such folder")
                    + "; give a folder of JPEG or PNG photographs");
        }
        if (resume != null) {
            InputFiles.require("--resume", resume);
        }
        if (sample != null) {
            InputFiles.require("--sample", sample);
        }
        OutputPaths.checkWritable("--out", out);

        Backend backend = device.backend();
        Vgg vgg = network.load(weights, "vgg16", backend);
        PerceptualLoss.Options lossOptions = new PerceptualLoss.Options(vgg.parseLayers(contentLayers), vgg.parseLayers(styleLayers),
                contentWeight, styleWeight, tvWeight);
        RgbImage styleImage = ImageCommand.read(style, styleSize);
        PerceptualLoss loss;
        try (Tensor s = Tensor.of(to255(styleImage), Shape.of(1, 3, styleImage.height(), styleImage.width()), backend)) {
            loss = new PerceptualLoss(vgg, s, lossOptions);
        }
        TransformerNet net = TransformerNet.initialized(width, seed, backend);
        FastStyleTraining training = new FastStyleTraining(net, loss,
                new ParameterAdam(net.parameters(), AdamOptions.defaults().withLearningRate(learningRate)));

        Map<String, String> settings = settings();
        FastStyleTraining.Progress from = FastStyleTraining.Progress.START;
        double secondsBefore = 0;
        if (resume != null) {
            TrainingCheckpoint c = TrainingCheckpoint.read(resume, net);
            c.requireSameSettings(resume, settings);
            c.restore(training);
            from = c.progress();
            secondsBefore = c.seconds();
        }
        try (TrainingImages images = TrainingImages.open(data, size, batch, seed, from.next(), msg -> System.err.println("train-style: " + msg));
             TrainingReporter reporter = new TrainingReporter(from.iteration(), lastIteration(images.imageCount()), secondsBefore, quiet, log);
             LiveView closedAtTheEnd = live = startLive(styleImage, lastIteration(images.imageCount()), vgg)) {
            FastStyleTraining.Progress end = training.run(images, from, iterations, iterations > 0 ? 0 : epochs, new FastStyleTraining.Listener() {
                @Override
                public void step(FastStyleTraining.Step s) throws IOException {
                    reporter.step(s);
                    if (live != null) {
                        live.step((int) s.iteration(), s.loss(), s.terms(), reporter.totalSeconds());
                    }
                    if (checkpointEvery > 0 && s.iteration() % checkpointEvery == 0) {
                        writeCheckpoint(training, new FastStyleTraining.Progress(s.iteration(), s.next()), settings, reporter.totalSeconds());
                    }
                    if (sample != null && s.iteration() % sampleEvery == 0) {
                        writeSample(net, backend, s.iteration());
                    }
                }

                @Override
                public boolean stopRequested() {
                    return reporter.stopRequested() || (live != null && live.stopRequested());   // the page may pause here
                }
            });
            boolean stopped = reporter.stopRequested() || (live != null && live.run().state() == LiveRun.State.STOPPING);
            if (stopped) {
                writeCheckpoint(training, end, settings, reporter.totalSeconds());
                reporter.say("stopped at iteration " + end.iteration() + "; continue with --resume " + checkpointPath());
            }
            TransformerNetWeights.save(net, modelMetadata(vgg, end.iteration()), out);
            if (plot) {
                reporter.writePlot(OutputPaths.plot(out));
            }
            if (images.skippedCount() > 0) {
                reporter.say(images.skippedCount() + " unreadable image(s) skipped");
            }
            if (live != null) {
                live.finished((int) end.iteration(), null, (stopped ? "stopped" : "done") + ", wrote " + out.getFileName());
            }
            reporter.close();
            if (!quiet) {
                System.err.printf(Locale.ROOT, "train-style: %d iterations, %d images in %.1f s (%.2f img/s, %s): %s%n",
                        end.iteration() - from.iteration(), reporter.images(), reporter.seconds(),
                        reporter.images() / Math.max(1e-9, reporter.seconds()), PeakMemory.describe(backend), out.toAbsolutePath());
            }
        }
        return 0;
    }

    /** The last iteration: --iterations, or --epochs of ceil(images / batch) steps. */
    long lastIteration(int imageCount) {
        return iterations > 0 ? iterations : (long) epochs * ((imageCount + batch - 1) / batch);
    }

    Path checkpointPath() {
        return OutputPaths.sibling(out, "-checkpoint", ".safetensors");
    }

    private void writeCheckpoint(FastStyleTraining training, FastStyleTraining.Progress at, Map<String, String> settings,
                                 double seconds) throws IOException {
        TrainingCheckpoint.of(training, at, settings, seconds).write(checkpointPath(), training.transformer());
    }

    private void writeSample(TransformerNet net, Backend backend, long iteration) throws IOException {
        if (sampleImage == null) {
            sampleImage = ImageFiles.read(sample);   // once: every sample stylises the same picture
        }
        RgbImage img = sampleImage;
        Path file = OutputPaths.sibling(out, "-sample-iter" + iteration, ".png");
        RgbImage stylised = new Stylizer(net::forward, backend).stylize(img);
        ImageFiles.write(stylised, file);
        if (live != null) {
            live.image((int) iteration, stylised);
        }
    }

    /** The live page for --serve (null without it): the loss terms each step, the stylised --sample at each sample. */
    private LiveView startLive(RgbImage styleImage, long last, Vgg vgg) throws IOException {
        if (!serve.enabled()) {
            return null;
        }
        Map<String, RgbImage> refs = new LinkedHashMap<>();
        refs.put("style", styleImage);
        if (sample != null) {
            refs.put("sample", ImageFiles.read(sample));
        }
        return LiveView.start("train-style", (int) Math.min(Integer.MAX_VALUE, last), Knobs.none(), serve.setup(refs),
                vgg.preprocessing(), UnaryOperator.identity(), System.err);
    }

    /** What a resume must repeat, by option. */
    Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("--style (sha256)", Sha256.of(style));
        s.put("--size", Integer.toString(size));
        s.put("--batch", Integer.toString(batch));
        s.put("--seed", Long.toString(seed));
        s.put("--width", Integer.toString(width));
        s.put("--learning-rate", Float.toString(learningRate));
        s.put("--content-weight", Float.toString(contentWeight));
        s.put("--style-weight", Float.toString(styleWeight));
        s.put("--tv-weight", Float.toString(tvWeight));
        s.put("--content-layers", contentLayers);
        s.put("--style-layers", styleLayers);
        s.put("--style-size", Integer.toString(styleSize));
        return s;
    }

    /** What the model file records about its training. */
    private Map<String, String> modelMetadata(Vgg vgg, long iterationsDone) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("style_sha256", Sha256.of(style));
        m.put("style_file", style.getFileName().toString());
        m.put("content_weight", Float.toString(contentWeight));
        m.put("style_weight", Float.toString(styleWeight));
        m.put("tv_weight", Float.toString(tvWeight));
        m.put("content_layers", contentLayers);
        m.put("style_layers", styleLayers);
        m.put("vgg", weights == null ? "vgg16 (cached)" : weights.getFileName().toString());
        m.put("iterations", Long.toString(iterationsDone));
        m.put("batch", Integer.toString(batch));
        m.put("size", Integer.toString(size));
        m.put("learning_rate", Float.toString(learningRate));
        m.put("seed", Long.toString(seed));
        return m;
    }

    private static float[] to255(RgbImage img) {
        float[] rgb = img.rgb(), out = new float[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = rgb[i] * 255f;
        }
        return out;
    }
}
