package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.faststyle.Stylizer;
import dev.pixelgrad.algorithms.image.Colors;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.DeviceMemory;
import dev.pixelgrad.weights.TransformerNetWeights;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "stylize", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "pixelgrad stylize --model FILE --image FILE|DIR --out FILE|DIR [OPTIONS]",
        description = {"Fast style transfer: one forward pass of a trained transform network (see train-style).",
                "A folder of images (e.g. the frames of a video) gives a folder of stylised images with the same names."})
final class StylizeCommand implements Callable<Integer> {
    /** Tiles overlap by this much: more than the 9x9 convolutions see on each side after the two halvings. */
    static final int TILE_OVERLAP = 32;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A model written by train-style, or a pytorch/examples fast_neural_style checkpoint (.pth or .model).")
    Path model;

    @Option(names = "--image", required = true, paramLabel = "FILE|DIR", description = "An image, or a folder of images (read recursively).")
    Path image;

    @Option(names = "--out", required = true, paramLabel = "FILE|DIR",
            description = "The stylised image (PNG or JPEG by extension), or a folder for a folder of images.")
    Path out;

    @Option(names = "--size", defaultValue = "0", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Long side of the output; 0 = each image's own size, nothing resampled (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--tile", defaultValue = "0", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Stylise in overlapping tiles of at most this side, cross-faded; 0 = only when the image does not fit "
                    + "in the device's memory (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--original-colors", description = "Keep each image's colours: only the luminance is stylised (YIQ).")
    boolean originalColors;

    @Mixin
    DeviceOption device;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        InputFiles.require("--model", model);
        boolean folder = Files.isDirectory(image);
        List<Path> inputs = folder ? ImageFiles.imagesUnder("--image", image) : List.of(requireFile(image));
        if (folder && Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + ": --image is a folder, so --out must be a folder, and this is a file");
        }
        if (!folder) {
            OutputPaths.checkWritable("--out", out);
        }
        if (tile > 0 && tile <= 2 * TILE_OVERLAP) {
            throw new IllegalArgumentException("--tile " + tile + ": tiles overlap by " + TILE_OVERLAP + " px, so a tile needs more than "
                    + 2 * TILE_OVERLAP + " px");
        }
        Backend backend = device.backend();
        TransformerNet net = TransformerNetWeights.load(model, backend).net();
        Stylizer stylizer = new Stylizer(net::forward, backend);
        long t0 = System.nanoTime();
        try (Frames progress = new Frames(inputs.size(), folder && !quiet)) {
            for (Path in : inputs) {
                Path target = folder ? out.resolve(image.relativize(in).toString()) : out;
                if (folder) {
                    Files.createDirectories(target.toAbsolutePath().getParent());
                }
                RgbImage img = ImageCommand.read(in, size);
                if (Math.min(img.height(), img.width()) < Stylizer.SMALLEST_SIDE) {
                    throw new IllegalArgumentException("--image " + in + ": " + img.sizeText() + " px; the network needs at least "
                            + Stylizer.SMALLEST_SIDE + "x" + Stylizer.SMALLEST_SIDE + (size > 0 ? " (raise --size)" : ""));
                }
                ImageFiles.write(stylize(stylizer, net.width(), backend, img), target);
                progress.step();
            }
        }
        if (!quiet) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "stylize: %d image%s in %.1f s (%s): %s%n", inputs.size(), inputs.size() == 1 ? "" : "s",
                    seconds, PeakMemory.describe(backend), out.toAbsolutePath());
        }
        return 0;
    }

    private RgbImage stylize(Stylizer stylizer, int width, Backend backend, RgbImage img) {
        int side = tile > 0 ? tile : tileThatFits(img.height(), img.width(), width, availableBytes(backend));
        RgbImage styled = side > 0 ? stylizer.stylizeTiled(img, side, TILE_OVERLAP) : stylizer.stylize(img);
        return originalColors ? Colors.keepOriginalColors(styled, img) : styled;
    }

    private static Path requireFile(Path file) {
        InputFiles.require("--image", file);
        return file;
    }

    /**
     * Bytes of the forward pass on an (h, w) image, without a tape: the widest moments hold the
     * upsampled 2w-channel map, its padded copy and the w-channel output at full size, plus the
     * input and output images.
     */
    static long forwardBytes(int h, int w, int width) {
        long pixels = (long) (h + 8) * (w + 8);
        return 4L * pixels * (5L * width + 6);
    }

    /** 0 when the whole image fits in {@code available} bytes, else the largest tile side (a multiple of 4) that does. */
    static int tileThatFits(int h, int w, int width, long available) {
        if (forwardBytes(h, w, width) <= available) {
            return 0;
        }
        int side = Math.max(h, w);
        while (side > 4 * TILE_OVERLAP && forwardBytes(side, side, width) > available) {
            side = side * 3 / 4 / 4 * 4;
        }
        return Math.max(side, 4 * TILE_OVERLAP);
    }

    /** What a forward pass may use: half the device's memory (or of the free Java heap), and no buffer above the device's limit. */
    static long availableBytes(Backend backend) {
        if (backend instanceof DeviceMemory d) {
            return Math.min(d.memoryBytes() / 2, d.maxBufferBytes() * 2);
        }
        Runtime rt = Runtime.getRuntime();
        return (rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) / 2;
    }

    /** A bar over the images of a folder (on a terminal), or a line every tenth of them. */
    private static final class Frames implements AutoCloseable {
        private final int total;
        private final boolean show;
        private final ProgressBar bar;
        private int done;

        Frames(int total, boolean show) {
            this.total = total;
            this.show = show;
            this.bar = show && RunReporter.stderrIsTerminal()
                    ? new ProgressBarBuilder().setTaskName("stylize").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" img", 1).setConsumer(new ConsoleProgressBarConsumer(System.err)).build()
                    : null;
        }

        void step() {
            done++;
            if (bar != null) {
                bar.stepTo(done);
            } else if (show && (done % Math.max(1, total / 10) == 0 || done == total)) {
                System.err.printf(Locale.ROOT, "stylize: %d/%d images%n", done, total);
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
