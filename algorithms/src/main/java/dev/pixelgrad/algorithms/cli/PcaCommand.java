package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.embedding.FeaturePca;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** The first three principal components of a layer's features over the positions of one image, as colours. */
@Command(name = "pca", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"What a VGG layer sees in one image: each position of the layer is a sample of its channels, and the "
                + "first three principal components over the positions become red, green and blue (each from its 1st to its "
                + "99th percentile), resized onto the image. Positions the layer finds alike get alike colours.",
                "Prints each component's share of the variance. --layers a,b,c puts one panel per layer side by side."})
final class PcaCommand implements Callable<Integer> {
    /** White between the panels of a strip. */
    static final int PANEL_GAP = 4;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The input image.")
    Path image;

    @Option(names = "--layer", paramLabel = "NAME", description = "A conv, relu or pool layer, e.g. relu3_1.")
    String layer;

    @Option(names = "--layers", paramLabel = "L,...", description = "Instead of --layer: several layers, one panel each, left to right.")
    String layers;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The picture (PNG or JPEG by extension).")
    Path out;

    @Option(names = "--size", defaultValue = "224", paramLabel = "PIXELS", converter = Checked.NonNegativeInt.class,
            description = "Long side the image is scaled to; 0 = as it is (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "VGG weights, any supported format, the classifier not needed (default: the cached VGG-19).")
    Path weights;

    @Mixin
    DeviceOption device;

    private final VggSource network;

    PcaCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        if ((layer == null) == (layers == null)) {
            throw new IllegalArgumentException(layer == null
                    ? "pca: give --layer NAME (one picture) or --layers a,b,c (a strip, one panel per layer)"
                    : "pca: give --layer or --layers, not both");
        }
        InputFiles.require("--image", image);
        OcclusionCommand.requireImageName(out);
        OutputPaths.checkWritable("--out", out);
        Backend be = device.backend();
        Vgg vgg = network.load(weights, be);
        List<String> names = vgg.parseLayers(layer != null ? layer : layers);
        for (String name : names) {
            if (!vgg.spec().featureLayerNames().contains(name)) {
                throw new IllegalArgumentException((layer != null ? "--layer " : "--layers ") + name
                        + ": a classifier layer has one position; expected a conv, relu or pool layer (conv1_1 to pool5)");
            }
        }
        RgbImage original = ImageFiles.read(image);
        int[] hw = ImageCommand.sizeReaching("--image", image, original, size, vgg, names);
        MemoryEstimate.of(vgg).featureTarget("the image", hw[0], hw[1], names, ImageCommand.sizeKnob(hw)).require(be);
        RgbImage rgb = ImageCommand.scaled(original, size);

        long t0 = System.nanoTime();
        Map<String, Tensor> acts = vgg.forward(vgg.preprocessing().fromRgb(rgb.rgb(), rgb.height(), rgb.width(), be), names);
        List<RgbImage> panels = new ArrayList<>();
        for (String name : names) {
            int[] d = acts.get(name).shape().dims();   // (1, C, h, w)
            FeaturePca p = FeaturePca.of(acts.get(name).toArray(), d[1], d[2], d[3]);
            panels.add(p.resized(rgb.height(), rgb.width()));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %d channels at %dx%d positions%s; explained variance",
                    name, d[1], d[3], d[2], p.fitted() < p.positions() ? " (fitted on " + p.fitted() + ")" : ""));
            double sum = 0;
            for (int i = 0; i < p.ratios().length; i++) {
                line.append(String.format(Locale.ROOT, " PC%d %.3f", i + 1, p.ratios()[i]));
                sum += p.ratios()[i];
            }
            System.out.println(line.append(String.format(Locale.ROOT, " (sum %.3f)", sum)));
        }
        ImageFiles.write(strip(panels), out);
        System.err.printf(Locale.ROOT, "pca: %d layer%s of a %s image in %.1f s: %s%n", names.size(), names.size() == 1 ? "" : "s",
                rgb.sizeText(), (System.nanoTime() - t0) / 1e9, out.toAbsolutePath());
        return 0;
    }

    /** Panels of one size side by side, {@link #PANEL_GAP} px of white between them. */
    static RgbImage strip(List<RgbImage> panels) {
        if (panels.size() == 1) {
            return panels.get(0);
        }
        int h = panels.get(0).height(), w = panels.get(0).width(), n = panels.size();
        int width = n * w + (n - 1) * PANEL_GAP, hw = h * width;
        float[] rgb = new float[3 * hw];
        Arrays.fill(rgb, 1f);
        for (int i = 0; i < n; i++) {
            float[] p = panels.get(i).rgb();
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(p, (ch * h + y) * w, rgb, ch * hw + y * width + i * (w + PANEL_GAP), w);
                }
            }
        }
        return new RgbImage(rgb, h, width);
    }
}
