package dev.pixelgrad.algorithms.embedding;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TsneTest {
    @Test
    void vantagePointTreeFindsWhatBruteForceFinds() {
        SplittableRandom r = new SplittableRandom(3);
        double[][] x = new double[400][5];
        for (double[] row : x) for (int j = 0; j < 5; j++) row[j] = Math.floor(r.nextDouble() * 4);   // a grid: many ties
        for (int j = 0; j < 5; j++) x[7][j] = x[8][j];   // a duplicate
        VantagePointTree tree = new VantagePointTree(x, 11);
        int k = 12;
        int[] nb = new int[k];
        double[] d = new double[k];
        for (int i = 0; i < x.length; i++) {
            tree.nearest(i, k, nb, d);
            final int q = i;
            Integer[] all = new Integer[x.length];
            for (int j = 0; j < all.length; j++) all[j] = j;
            Integer[] want = Arrays.stream(all).filter(j -> j != q)
                    .sorted(Comparator.<Integer>comparingDouble(j -> VantagePointTree.distance(x[q], x[j])).thenComparing(j -> j))
                    .limit(k).toArray(Integer[]::new);
            assertArrayEquals(Arrays.stream(want).mapToInt(Integer::intValue).toArray(), nb, "point " + i);
        }
    }

    @Test
    void calibrationHitsTheTargetEntropy() {
        SplittableRandom r = new SplittableRandom(5);
        for (double perplexity : new double[]{5, 30, 50}) {
            double[] d2 = new double[(int) (3 * perplexity)];
            for (int j = 0; j < d2.length; j++) d2[j] = 1000 + 50 * r.nextDouble();   // far away: exp(-d²) would underflow unshifted
            double[] p = new double[d2.length];
            Affinities.calibrate(d2, perplexity, p);
            double h = 0, sum = 0;
            for (double v : p) {
                sum += v;
                if (v > 0) h -= v * Math.log(v);
            }
            assertEquals(1, sum, 1e-12);
            assertEquals(Math.log(perplexity), h, 1e-5, "perplexity " + perplexity);
        }
    }

    @Test
    void sparsePIsSymmetricAndSumsToOne() {
        Clusters c = new Clusters(4, 50, 10, 5, 1);
        Affinities.Sparse p = Affinities.sparse(c.x, 10, 0);
        double total = 0;
        for (int i = 0; i < p.points(); i++) {
            for (int m = p.rowStart()[i]; m < p.rowStart()[i + 1]; m++) {
                int j = p.col()[m];
                total += p.val()[m];
                int at = Arrays.binarySearch(p.col(), p.rowStart()[j], p.rowStart()[j + 1], i);
                assertTrue(at >= 0, "P(" + j + "," + i + ") missing");
                assertEquals(p.val()[m], p.val()[at], 0);
            }
        }
        assertEquals(1, total, 1e-12);
    }

    @Test
    void barnesHutSeparatesClustersAndKlFallsAfterExaggeration() {
        Clusters c = new Clusters(10, 100, 50, 10, 2);
        List<double[]> kls = new ArrayList<>();
        Tsne.Result r = Tsne.embed(c.x, Tsne.Options.defaults().withMethod(Tsne.Method.BARNES_HUT), new Tsne.Listener() {
            @Override
            public void klDivergence(int iteration, double kl) {
                kls.add(new double[]{iteration, kl});
            }
        });
        assertFalse(r.exact());
        assertTrue(Clusters.knnAccuracy(r.y(), c.label, 5) >= 0.95);
        assertEquals(20, kls.size());
        double before = Double.POSITIVE_INFINITY;
        for (double[] e : kls) {
            if (e[0] > Tsne.EXAGGERATION_ITERATIONS + 50) {
                assertTrue(e[1] <= before * 1.001, "KL rose to " + e[1] + " at " + e[0] + " from " + before);
                before = e[1];
            }
        }
        assertTrue(r.klDivergence() < kls.get(6)[1], kls.get(6)[1] + " -> " + r.klDivergence());
        assertTrue(r.klDivergence() > 0 && r.klDivergence() < 2, "KL " + r.klDivergence());
    }

    @Test
    void theSameSeedGivesTheSameMapBitForBit() {
        Clusters c = new Clusters(6, 100, 20, 8, 4);
        Tsne.Options o = Tsne.Options.defaults().withIterations(300).withSeed(42).withMethod(Tsne.Method.BARNES_HUT);
        Tsne.Result a = Tsne.embed(c.x, o, new Tsne.Listener() { });
        Tsne.Result b = Tsne.embed(c.x, o, new Tsne.Listener() { });
        for (int i = 0; i < c.x.length; i++) {
            assertArrayEquals(a.y()[i], b.y()[i], 0, "point " + i);
        }
        assertEquals(a.klDivergence(), b.klDivergence(), 0);
    }

    @Test
    void exactAndBarnesHutAgreeOnSmallN() {
        Clusters c = new Clusters(5, 60, 20, 6, 6);
        Tsne.Options o = Tsne.Options.defaults().withIterations(500);
        Tsne.Result exact = Tsne.embed(c.x, o.withMethod(Tsne.Method.EXACT), new Tsne.Listener() { });
        Tsne.Result bh = Tsne.embed(c.x, o.withMethod(Tsne.Method.BARNES_HUT), new Tsne.Listener() { });
        assertTrue(exact.exact());
        assertEquals(exact.klDivergence(), bh.klDivergence(), 0.05 * exact.klDivergence(),
                "exact " + exact.klDivergence() + ", Barnes-Hut " + bh.klDivergence());
        assertEquals(Clusters.knnAccuracy(exact.y(), c.label, 5), Clusters.knnAccuracy(bh.y(), c.label, 5));
    }

    @Test
    void tooFewPointsSaysWhichPerplexityWouldWork() {
        double[][] x = new Clusters(2, 20, 3, 4, 0).x;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tsne.embed(x, Tsne.Options.defaults(), new Tsne.Listener() { }));
        assertEquals("t-SNE: perplexity 30 needs at least 3 x perplexity + 1 = 91 points, got 40; use a perplexity of at most 13",
                e.getMessage());
    }

    @Test
    void nanAndRaggedRowsAreRefused() {
        double[][] x = new Clusters(2, 20, 3, 4, 0).x;
        x[5][1] = Double.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Tsne.embed(x, Tsne.Options.defaults().withPerplexity(5), new Tsne.Listener() { }));
        assertTrue(nan.getMessage().contains("row 5 column 1 is NaN"), nan.getMessage());
        x[5] = new double[]{1, 2};
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> Tsne.embed(x, Tsne.Options.defaults().withPerplexity(5), new Tsne.Listener() { }));
        assertTrue(ragged.getMessage().contains("row 5 has 2 values but row 0 has 3"), ragged.getMessage());
    }

    @Test
    void theExactPathRefusesWhatWouldNotFitInMemory() {
        double[][] x = new double[Tsne.EXACT_AT_MOST + 1][1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tsne.embed(x, Tsne.Options.defaults().withMethod(Tsne.Method.EXACT), new Tsne.Listener() { }));
        assertTrue(e.getMessage().contains("it takes at most 10000 points, Barnes-Hut any number"), e.getMessage());
    }
}
