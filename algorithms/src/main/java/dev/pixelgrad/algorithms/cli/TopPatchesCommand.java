package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.image.TileGrid;
import dev.pixelgrad.algorithms.lecture.ReceptiveField;
import dev.pixelgrad.algorithms.lecture.TopPatches;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "top-patches", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The image patches that activate one channel of a VGG layer most (Zeiler & Fergus 2014): every image "
                + "in a folder goes to the layer, the strongest activations over all positions of all images win, and each "
                + "shows the receptive field of its unit.",
                "Writes a grid of the patches, a caption (activation, image) under each, and prints them as a table."})
final class TopPatchesCommand implements Callable<Integer> {
    /** Tiles are the field's size, but at least this, so a small field stays visible... */
    static final int SMALLEST_TILE = 64;
    /** ...and at most this, so the grid of the deepest layers stays a reasonable picture. */
    static final int LARGEST_TILE = 128;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "A folder of PNG and JPEG images, read recursively.")
    Path images;

    @Option(names = "--layer", required = true, paramLabel = "NAME", description = "A conv, relu or pool layer, e.g. relu4_3.")
    String layer;

    @Option(names = "--channel", required = true, paramLabel = "C", description = "The channel of the layer, from 0.")
    int channel;

    @Option(names = "--top", defaultValue = "16", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "How many patches (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--size", defaultValue = "224", paramLabel = "PIXELS", converter = Checked.PositiveInt.class,
            description = "Long side each image is resized to first (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The grid of patches (PNG or JPEG by extension).")
    Path out;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "VGG weights, any supported format, the classifier not needed (default: the cached VGG-19).")
    Path weights;

    @Mixin
    DeviceOption device;

    private final VggSource network;

    TopPatchesCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        List<Path> files = ImageFiles.imagesUnder("--images", images);
        OcclusionCommand.requireImageName(out);
        OutputPaths.checkWritable("--out", out);
        Backend be = device.backend();
        Vgg vgg = network.load(weights, be);
        TopPatches patches = new TopPatches(vgg, layer, channel, top);
        long t0 = System.nanoTime();
        try (StepProgress progress = new StepProgress("top-patches", files.size(), "images")) {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                RgbImage img = ImageCommand.read(file, size);
                ImageCommand.requireReach("--images " + file + " at --size " + size, img.height(), img.width(), vgg, List.of(layer),
                        min -> "use --size " + ImageCommand.longSideFor(img, min) + " or more");
                patches.add(images.relativize(file).toString(), img);
                progress.stepTo(i + 1);
            }
        }
        ReceptiveField field = patches.field();
        int side = Math.max(SMALLEST_TILE, Math.min(LARGEST_TILE, field.size()));
        List<RgbImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%s channel %d: receptive field %d px, %d px between units%n", layer, channel, field.size(),
                field.jump());
        System.out.printf(Locale.ROOT, "%4s  %12s  %9s  %-19s  %s%n", "rank", "activation", "unit y,x", "box x,y,w,h", "image");
        int rank = 0;
        for (TopPatches.Patch p : patches.ranked()) {
            int[] b = p.box();
            System.out.printf(Locale.ROOT, "%4d  %12.5g  %9s  %-19s  %s%n", ++rank, p.activation(), p.y() + "," + p.x(),
                    b[1] + "," + b[0] + "," + b[3] + "," + b[2], p.image());
            tiles.add(patches.tile(p, side));
            captions.add(String.format(Locale.ROOT, "%.3g %s", p.activation(), p.image()));
        }
        ImageFiles.write(TileGrid.render(tiles, captions), out);
        System.err.printf(Locale.ROOT, "top-patches: %d images in %.1f s: %s%n", files.size(), (System.nanoTime() - t0) / 1e9,
                out.toAbsolutePath());
        return 0;
    }
}
