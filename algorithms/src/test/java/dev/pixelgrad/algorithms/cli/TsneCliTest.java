package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.weights.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tsne} end to end through Main.run on a small generated .npy. */
class TsneCliTest {
    @TempDir
    static Path dir;
    static Path codes;

    /** 3 clusters x 40 points as an N x 4 x 4 x 4 array (64 values a row, so --pca-dims 10 reduces them). */
    @BeforeAll
    static void files() throws IOException {
        SplittableRandom r = new SplittableRandom(9);
        int n = 120, d = 64;
        float[] centres = new float[3 * d];
        for (int i = 0; i < centres.length; i++) centres[i] = (float) (8 * (r.nextDouble() - 0.5));
        float[] data = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) data[i * d + j] = centres[(i % 3) * d + j] + (float) (r.nextDouble() - 0.5);
        }
        codes = dir.resolve("codes.npy");
        Npy.write(codes, new int[]{n, 4, 4, 4}, data);
        Npy.write(dir.resolve("flat.npy"), new int[]{n * d}, data);
    }

    @Test
    void writesOneLinePerRowInInputOrderAndTheKlDivergence() throws IOException {
        Path out = dir.resolve("map/tsne.csv");
        String[] r = CliRun.codeOutAndErr("tsne", "--in", codes.toString(), "--out", out.toString(), "--perplexity", "10",
                "--iterations", "300", "--pca-dims", "10");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("reduced to 10 principal components"), r[2]);
        assertTrue(r[2].contains("tsne: 300/300 iterations"), r[2]);
        assertTrue(r[1].matches("KL divergence [0-9.]+ after 300 iterations \\(exact, perplexity 10.0, 120 points\\) -> .*\\s*"), r[1]);
        List<String> lines = Files.readAllLines(out);
        assertEquals(121, lines.size());
        assertEquals("index,x,y", lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            assertEquals(Integer.toString(i - 1), f[0]);
            assertTrue(Double.isFinite(Double.parseDouble(f[1])) && Double.isFinite(Double.parseDouble(f[2])), lines.get(i));
        }
        // the three clusters: each point's nearest neighbour in the map has its label (i % 3)
        double[][] y = lines.stream().skip(1).map(l -> l.split(","))
                .map(f -> new double[]{Double.parseDouble(f[1]), Double.parseDouble(f[2])}).toArray(double[][]::new);
        for (int i = 0; i < y.length; i++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < y.length; j++) {
                double dd = Math.hypot(y[i][0] - y[j][0], y[i][1] - y[j][1]);
                if (j != i && dd < bestD) {
                    bestD = dd;
                    best = j;
                }
            }
            assertEquals(i % 3, best % 3, "point " + i);
        }
    }

    @Test
    void tooFewPointsForThePerplexityNamesOneThatFits() {
        String[] r = CliRun.codeAndErr("tsne", "--in", codes.toString(), "--out", dir.resolve("x.csv").toString(),
                "--perplexity", "50");
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("--in " + codes + ": t-SNE: perplexity 50 needs at least 3 x perplexity + 1 = 151 points, got 120;"
                + " use --perplexity 39 or less"), r[1]);
    }

    @Test
    void aOneDimensionalArrayIsRefusedWithAHint() {
        String[] r = CliRun.codeAndErr("tsne", "--in", dir.resolve("flat.npy").toString(), "--out", dir.resolve("y.csv").toString());
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("expected an N x D array (one row per point), got shape [7680]"), r[1]);
    }
}
