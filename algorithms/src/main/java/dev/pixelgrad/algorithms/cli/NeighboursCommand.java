package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.embedding.Codes;
import dev.pixelgrad.algorithms.embedding.Neighbours;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.Resampling;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.image.TileGrid;
import dev.pixelgrad.algorithms.lecture.Classifier;
import dev.pixelgrad.nn.Vgg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "neighbours", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The images of a folder nearest to a query in the network's feature space (L2 on the codes of a layer), "
                + "next to the nearest in pixel space: the first row of the sheet is the query and its nearest by features, "
                + "the second its nearest by pixels. Every image is resized to 224x224 first."})
final class NeighboursCommand implements Callable<Integer> {
    /** Side of the tiles on the sheet. */
    private static final int TILE = 96;

    @Option(names = "--query", required = true, paramLabel = "FILE", description = "The query image.")
    Path query;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "A folder of PNG and JPEG images, read recursively.")
    Path images;

    @Option(names = "--k", defaultValue = "8", paramLabel = "K", converter = Checked.PositiveInt.class,
            description = "How many neighbours (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--layer", paramLabel = "NAME",
            description = "The layer whose codes are compared: fc layers as they are, conv layers averaged over positions "
                    + "(default: relu7 with the classifier, else the last ReLU before pool5).")
    String layer;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The sheet (PNG or JPEG by extension).")
    Path out;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "VGG weights, any supported format (default: the cached VGG-19).")
    Path weights;

    @Mixin
    CodeOptions codeOptions;

    @Mixin
    DeviceOption device;

    private final VggSource network;

    NeighboursCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        InputFiles.require("--query", query);
        List<Path> files = ImageFiles.imagesUnder("--images", images);
        OcclusionCommand.requireImageName(out);
        OutputPaths.checkWritable("--out", out);
        Vgg vgg = network.load(weights, device.backend());
        String at = layer != null ? vgg.checkLayer(layer) : Codes.defaultLayer(vgg);
        RgbImage q = Classifier.fit(ImageFiles.read(query));
        float[] queryCode = Codes.of(vgg, q, at);
        FolderCodes.Result<RgbImage> folder = FolderCodes.read("neighbours", images, files, vgg, at, codeOptions.batch,
                !codeOptions.noCache, img -> img);
        List<String> names = new ArrayList<>();
        List<RgbImage> pictures = new ArrayList<>();
        List<float[]> codes = new ArrayList<>(), pixels = new ArrayList<>();
        for (FolderCodes.Entry<RgbImage> e : folder.entries()) {
            names.add(e.name().toString());
            pictures.add(e.kept());
            codes.add(e.code());
            pixels.add(e.kept().rgb());
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("--images " + images + ": no image could be read");
        }
        List<Neighbours.Match> byCode = Neighbours.nearest(queryCode, codes, k), byPixel = Neighbours.nearest(q.rgb(), pixels, k);
        System.out.printf(Locale.ROOT, "%4s  %-40s  %s%n", "rank", "by " + at + " (distance, image)", "by pixels (distance, image)");
        for (int r = 0; r < byCode.size(); r++) {
            Neighbours.Match c = byCode.get(r), p = byPixel.get(r);
            System.out.printf(Locale.ROOT, "%4d  %10.4g  %-28s  %10.4g  %s%n", r + 1, c.distance(), names.get(c.index()),
                    p.distance(), names.get(p.index()));
        }
        List<RgbImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (List<Neighbours.Match> row : List.of(byCode, byPixel)) {
            tiles.add(Resampling.resize(q, TILE, TILE));
            captions.add(row == byCode ? "query, " + at : "query, pixels");
            for (Neighbours.Match m : row) {
                tiles.add(Resampling.resize(pictures.get(m.index()), TILE, TILE));
                captions.add(String.format(Locale.ROOT, "%.3g %s", m.distance(), names.get(m.index())));
            }
        }
        ImageFiles.write(TileGrid.render(tiles, captions, byCode.size() + 1), out);
        System.err.printf(Locale.ROOT, "neighbours: %d images, %d nearest by %s and by pixels: %s%n", names.size(), byCode.size(), at,
                out.toAbsolutePath());
        return 0;
    }
}
