package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.embedding.Codes;
import dev.pixelgrad.algorithms.embedding.GridLayout;
import dev.pixelgrad.algorithms.embedding.NeighbourVote;
import dev.pixelgrad.algorithms.embedding.Pca;
import dev.pixelgrad.algorithms.embedding.ThumbnailMap;
import dev.pixelgrad.algorithms.embedding.Tsne;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.Resampling;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** A map of a folder of images: their codes at one layer, reduced to 2-D, drawn as thumbnails. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Map a folder of images to the plane by their codes at one layer (t-SNE after PCA, or the first two "
                + "principal components) and draw each image's thumbnail at its place, or snapped to a full grid by a "
                + "minimal-displacement assignment. Every image is resized to 224x224 first.",
                "With sub-folders, the first sub-folder under DIR is each image's label (in the --csv too) and the 5-NN label "
                        + "accuracy (leave-one-out) is printed for the map and for the codes: how much structure the map kept."})
final class EmbedCommand implements Callable<Integer> {
    /** How many neighbours vote in the label accuracy. */
    private static final int VOTERS = 5;

    enum Method { tsne, pca }

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "A folder of PNG and JPEG images, read recursively.")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "MAP.png", description = "The map (PNG or JPEG by extension).")
    Path out;

    @Option(names = "--layer", paramLabel = "NAME",
            description = "The layer whose codes are mapped: fc layers as they are, conv layers averaged over positions "
                    + "(default: relu7 with the classifier, else the last ReLU before pool5).")
    String layer;

    @Option(names = "--method", defaultValue = "tsne", paramLabel = "M",
            description = "tsne or pca (the first two principal components) (default: ${DEFAULT-VALUE}).")
    Method method;

    @Option(names = "--perplexity", defaultValue = "30", paramLabel = "P", converter = Checked.AboveOneFloat.class,
            description = "t-SNE's effective number of neighbours; needs at least 3P+1 images (default: ${DEFAULT-VALUE}).")
    float perplexity;

    @Option(names = "--iterations", defaultValue = "1000", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "t-SNE's gradient steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--pca-dims", defaultValue = "50", paramLabel = "K", converter = Checked.NonNegativeInt.class,
            description = "Before t-SNE, reduce longer codes to K principal components; 0 = off (default: ${DEFAULT-VALUE}).")
    int pcaDims;

    @Option(names = "--grid", description = "Snap the thumbnails to a full grid of ceil(sqrt N) columns, one image per cell.")
    boolean grid;

    @Option(names = "--thumb", defaultValue = "48", paramLabel = "PX", converter = Checked.PositiveInt.class,
            description = "Side of the thumbnails, at most 512 (default: ${DEFAULT-VALUE}).")
    int thumb;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write file,x,y (and label, with sub-folders) per image.")
    Path csv;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "t-SNE's seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--weights", paramLabel = "FILE", description = "VGG weights, any supported format (default: the cached VGG-19).")
    Path weights;

    @Mixin
    CodeOptions codeOptions;

    @Mixin
    DeviceOption device;

    private final VggSource network;

    EmbedCommand(VggSource network) {
        this.network = network;
    }

    @Override
    public Integer call() throws IOException {
        if (thumb > 512) {
            throw new IllegalArgumentException("--thumb " + thumb + ": expected at most 512 px");
        }
        List<Path> files = ImageFiles.imagesUnder("--images", images);
        OcclusionCommand.requireImageName(out);
        OutputPaths.checkWritable("--out", out);
        if (csv != null) {
            OutputPaths.checkWritable("--csv", csv);
        }
        Vgg vgg = network.load(weights, device.backend());
        String at = layer != null ? vgg.checkLayer(layer) : Codes.defaultLayer(vgg);
        FolderCodes.Result<RgbImage> folder = FolderCodes.read("embed", images, files, vgg, at, codeOptions.batch,
                !codeOptions.noCache, img -> Resampling.resize(img, thumb, thumb));
        int skipped = folder.skipped();
        List<String> names = new ArrayList<>(), labels = new ArrayList<>();
        List<RgbImage> thumbs = new ArrayList<>();
        List<double[]> codes = new ArrayList<>();
        for (FolderCodes.Entry<RgbImage> e : folder.entries()) {
            names.add(e.name().toString().replace('\\', '/'));
            labels.add(e.name().getNameCount() > 1 ? e.name().getName(0).toString() : ".");
            thumbs.add(e.kept());
            double[] row = new double[e.code().length];
            for (int j = 0; j < row.length; j++) {
                row[j] = e.code()[j];
            }
            codes.add(row);
        }
        int n = names.size();
        if (n < 2) {
            throw new IllegalArgumentException("--images " + images + ": " + n + " readable image" + (n == 1 ? "" : "s")
                    + (skipped > 0 ? " (" + skipped + " skipped)" : "") + "; a map needs at least 2");
        }
        double[][] x = codes.toArray(new double[0][]);
        double[][] y = reduce(x);
        BufferedImage map;
        if (grid) {
            map = ThumbnailMap.grid(GridLayout.cells(y), thumbs);
        } else {
            map = ThumbnailMap.scatter(y, thumbs);
        }
        ImageFiles.write(map, out);
        boolean labelled = labels.stream().anyMatch(l -> !l.equals("."));
        if (csv != null) {
            StringBuilder s = new StringBuilder(labelled ? "file,x,y,label\n" : "file,x,y\n");
            for (int i = 0; i < n; i++) {
                s.append(quote(names.get(i))).append(',').append((float) y[i][0]).append(',').append((float) y[i][1]);
                if (labelled) {
                    s.append(',').append(quote(labels.get(i)));
                }
                s.append('\n');
            }
            AtomicFiles.writeString(csv, s.toString());
        }
        if (labelled && new HashSet<>(labels).size() > 1) {
            int k = Math.min(VOTERS, n - 1);
            System.out.printf(Locale.ROOT, "%d-NN label accuracy (leave-one-out) in the 2-D map: %.1f%%%n", k,
                    100 * NeighbourVote.accuracy(y, labels, k));
            System.out.printf(Locale.ROOT, "%d-NN label accuracy (leave-one-out) in the %s codes (%d values): %.1f%%%n", k, at,
                    x[0].length, 100 * NeighbourVote.accuracy(x, labels, k));
        }
        System.err.printf(Locale.ROOT, "embed: %d images%s by %s codes, %s%s, %dx%d map: %s%n", n,
                skipped > 0 ? " (" + skipped + " skipped)" : "", at, method, grid ? " on a grid" : "", map.getWidth(),
                map.getHeight(), out.toAbsolutePath());
        return 0;
    }

    /** The codes in 2-D by the chosen method. */
    private double[][] reduce(double[][] x) {
        int n = x.length, d = x[0].length;
        if (method == Method.pca) {
            if (d < 2) {
                throw new IllegalArgumentException("--layer " + layer + ": codes of 1 value cannot give 2 principal components");
            }
            return Pca.fit(x).transform(x, 2);
        }
        if (pcaDims > 0 && d > pcaDims) {
            x = Pca.fit(x).transform(x, Math.min(pcaDims, n));
        }
        Tsne.Options o = Tsne.Options.defaults().withPerplexity(perplexity).withIterations(iterations).withSeed(seed);
        try (StepProgress progress = new StepProgress("embed t-SNE", iterations, "iterations")) {
            return Tsne.embed(x, o, new Tsne.Listener() {
                @Override
                public void iteration(int done) {
                    progress.stepTo(done);
                }
            }).y();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage().replaceAll("use a perplexity of at most (\\d+)", "use --perplexity $1 or less");
            throw new IllegalArgumentException("--images " + images + ": " + m, e);
        }
    }

    /** A CSV field, quoted when it holds a comma, quote or line break. */
    private static String quote(String s) {
        return s.matches("[^,\"\r\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
