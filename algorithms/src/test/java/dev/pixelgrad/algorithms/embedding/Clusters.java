package dev.pixelgrad.algorithms.embedding;

import java.util.SplittableRandom;

/** Generated Gaussian clusters for the embedding tests: unit-variance blobs around centres drawn with a wide spread. */
final class Clusters {
    final double[][] x;
    final int[] label;

    Clusters(int clusters, int perCluster, int dims, double spread, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] centres = new double[clusters][dims];
        for (double[] c : centres) {
            for (int j = 0; j < dims; j++) {
                c[j] = spread * gaussian(r);
            }
        }
        x = new double[clusters * perCluster][dims];
        label = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            label[i] = i % clusters;
            for (int j = 0; j < dims; j++) {
                x[i][j] = centres[label[i]][j] + gaussian(r);
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Leave-one-out k-NN majority vote in the map: the fraction of points given their own label. */
    static double knnAccuracy(double[][] y, int[] label, int k) {
        int n = y.length, right = 0;
        for (int i = 0; i < n; i++) {
            int[] best = new int[k];
            double[] bestD = new double[k];
            java.util.Arrays.fill(bestD, Double.POSITIVE_INFINITY);
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                double d = sq(y[i][0] - y[j][0]) + sq(y[i][1] - y[j][1]);
                if (d < bestD[k - 1]) {
                    int m = k - 1;
                    while (m > 0 && bestD[m - 1] > d) {
                        bestD[m] = bestD[m - 1];
                        best[m] = best[m - 1];
                        m--;
                    }
                    bestD[m] = d;
                    best[m] = j;
                }
            }
            java.util.Map<Integer, Integer> votes = new java.util.HashMap<>();
            for (int j : best) votes.merge(label[j], 1, Integer::sum);
            if (votes.getOrDefault(label[i], 0) * 2 > k) right++;
        }
        return right / (double) n;
    }

    private static double sq(double v) {
        return v * v;
    }
}
