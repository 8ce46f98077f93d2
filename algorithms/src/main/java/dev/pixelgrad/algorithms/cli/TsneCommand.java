package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.embedding.Pca;
import dev.pixelgrad.algorithms.embedding.Tsne;
import dev.pixelgrad.tensor.io.AtomicFiles;
import dev.pixelgrad.weights.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Embeds the rows of a NumPy array in the plane by t-SNE and writes them as CSV. */
@Command(name = "tsne", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Map the rows of a float32 .npy array to 2-D by t-SNE (Barnes-Hut, or exact for small N) and write them as CSV: index,x,y.",
                "An N x D array gives N points; higher ranks keep the first axis as the points and flatten the rest (N x C x H x W -> N x C*H*W)."})
final class TsneCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "CODES.npy", description = "The points: a float32 .npy, one row per point.")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "The map, one line per row in input order.")
    Path out;

    @Option(names = "--perplexity", defaultValue = "30", paramLabel = "P", converter = Checked.AboveOneFloat.class,
            description = "Effective number of neighbours; needs at least 3P+1 points (default: ${DEFAULT-VALUE}).")
    float perplexity;

    @Option(names = "--iterations", defaultValue = "1000", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "Gradient steps, the first 250 with early exaggeration (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the neighbour search; one seed gives one map, bit for bit (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pca-dims", defaultValue = "50", paramLabel = "K", converter = Checked.NonNegativeInt.class,
            description = "Reduce to K principal components first when the rows are longer; 0 = off (default: ${DEFAULT-VALUE}).")
    int pcaDims;

    @Option(names = "--exact", description = "Exact O(N^2) gradient instead of Barnes-Hut (taken anyway below "
            + Tsne.EXACT_BELOW + " points).")
    boolean exact;

    @Override
    public Integer call() throws IOException {
        InputFiles.require("--in", in);
        OutputPaths.checkWritable("--out", out);
        double[][] x = rows(Npy.read(in));
        int n = x.length, d = x[0].length;
        if (pcaDims > 0 && d > pcaDims) {
            int k = Math.min(pcaDims, n);
            x = Pca.fit(x).transform(x, k);
            System.err.printf(Locale.ROOT, "tsne: %d points of %d values, reduced to %d principal components%n", n, d, k);
        }
        Tsne.Options o = Tsne.Options.defaults().withPerplexity(perplexity).withIterations(iterations).withSeed(seed)
                .withMethod(exact ? Tsne.Method.EXACT : Tsne.Method.AUTO);
        Tsne.Result r;
        try (StepProgress progress = new StepProgress("tsne", iterations, "iterations")) {
            r = Tsne.embed(x, o, new Tsne.Listener() {
                @Override
                public void iteration(int done) {
                    progress.stepTo(done);
                }
            });
        } catch (IllegalArgumentException e) {
            String m = e.getMessage().replaceAll("use a perplexity of at most (\\d+)", "use --perplexity $1 or less");
            throw new IllegalArgumentException("--in " + in + ": " + m, e);
        }
        StringBuilder csv = new StringBuilder("index,x,y\n");
        for (int i = 0; i < n; i++) {
            csv.append(i).append(',').append((float) r.y()[i][0]).append(',').append((float) r.y()[i][1]).append('\n');
        }
        AtomicFiles.writeString(out, csv.toString());
        System.out.printf(Locale.ROOT, "KL divergence %.4f after %d iterations (%s, perplexity %s, %d points) -> %s%n",
                r.klDivergence(), iterations, r.exact() ? "exact" : "Barnes-Hut", perplexity, n, out);
        return 0;
    }

    /** The array as rows: the first axis is the points, the rest flattened. */
    private double[][] rows(Npy.Array a) {
        int[] shape = a.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("--in " + in + ": expected an N x D array (one row per point), got shape "
                    + Arrays.toString(shape) + "; reshape it to rows, e.g. x.reshape(-1, 1) for one value per point");
        }
        int n = shape[0];
        if (n == 0) {
            throw new IllegalArgumentException("--in " + in + ": the array has no rows");
        }
        int d = a.data().length / n;
        if (d == 0) {
            throw new IllegalArgumentException("--in " + in + ": the rows are empty (shape " + Arrays.toString(shape) + ")");
        }
        double[][] x = new double[n][d];
        float[] data = a.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = data[i * d + j];
            }
        }
        return x;
    }
}
