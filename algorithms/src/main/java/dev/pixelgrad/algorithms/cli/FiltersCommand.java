package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.embedding.ConvFilters;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggLayer;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** The filters of one convolution as a grid of small pictures. */
@Command(name = "filters", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The filters of a VGG convolution as a grid of small pictures, each stretched from its own minimum "
                + "(black) to its maximum (white). conv1_1's filters, which read the image, are in colour: the pattern of "
                + "RGB pixels each responds to most. Deeper filters read 64 or more channels; each shows the mean over "
                + "them, in grey."})
final class FiltersCommand implements Callable<Integer> {
    @Option(names = "--layer", required = true, paramLabel = "NAME", description = "A conv layer, e.g. conv1_1.")
    String layer;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The grid (PNG or JPEG by extension).")
    Path out;

    @Option(names = "--scale", defaultValue = "8", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "Each filter weight becomes an N x N block (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "VGG weights, any supported format, the classifier not needed (default: the cached VGG-19).")
    Path weights;

    private final VggSource network;

    FiltersCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        OcclusionCommand.requireImageName(out);
        OutputPaths.checkWritable("--out", out);
        Backend be = Backends.java();   // the weights are only read
        Vgg vgg = network.load(weights, be);
        List<VggLayer> convs = vgg.spec().layers(false).stream().filter(l -> l.kind() == VggLayer.Kind.CONV).toList();
        VggLayer conv = convs.stream().filter(l -> l.name().equals(layer.trim())).findFirst().orElseThrow(() ->
                new IllegalArgumentException("--layer " + layer + ": not a conv layer of " + vgg.spec().arch().id()
                        + "; expected one of " + String.join(", ", convs.stream().map(VggLayer::name).toList())));
        int[] d = vgg.parameters().get(conv.weightName()).shape().dims();   // (K, C, R, S)
        float[] w = vgg.parameters().get(conv.weightName()).toArray();
        boolean colour = d[1] == 3;
        List<float[]> cells = colour
                ? ConvFilters.colour(w, d[0], d[2], d[3], rgbChannels(vgg.preprocessing(), be), gains(vgg.preprocessing()))
                : ConvFilters.grey(w, d[0], d[1], d[2], d[3]);
        RgbImage grid = ConvFilters.grid(cells, d[2], d[3], scale);
        ImageFiles.write(grid, out);
        System.out.printf(Locale.ROOT, "%s: %d filters of %d channel%s, %dx%d, %s; %s grid: %s%n", conv.name(), d[0], d[1],
                d[1] == 1 ? "" : "s", d[3], d[2],
                colour ? "in colour (" + vgg.preprocessing().id() + " weights)" : "grey (mean over the input channels)",
                grid.sizeText(), out.toAbsolutePath());
        return 0;
    }

    /**
     * The RGB channel each network input channel reads (Caffe weights read BGR), found by sending a
     * pure red, green and blue pixel through the preprocessing: the channel that reaches its upper
     * bound is the one that reads that colour.
     */
    static int[] rgbChannels(Preprocessing pre, Backend be) {
        int[] rgbOf = new int[3];
        float[] hi = pre.upperBounds();
        for (int colour = 0; colour < 3; colour++) {
            float[] pixel = new float[3];
            pixel[colour] = 1f;
            float[] x = pre.fromRgb(pixel, 1, 1, be).toArray();
            for (int ch = 0; ch < 3; ch++) {
                if (Math.abs(x[ch] - hi[ch]) < 1e-3f * Math.max(1f, Math.abs(hi[ch]))) {
                    rgbOf[ch] = colour;
                }
            }
        }
        return rgbOf;
    }

    /** d(network input)/d(rgb in [0, 1]) per network channel: a filter times this is its pattern on pixels. */
    static float[] gains(Preprocessing pre) {
        float[] scale = pre.rgbScale();
        return new float[]{1f / scale[0], 1f / scale[1], 1f / scale[2]};
    }
}
