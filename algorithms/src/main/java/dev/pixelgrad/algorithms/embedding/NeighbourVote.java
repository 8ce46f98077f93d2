package dev.pixelgrad.algorithms.embedding;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Leave-one-out k-nearest-neighbour label accuracy: each point's k nearest others (Euclidean) vote
 * for its label. Compared between a map and the codes it came from, it says how much of the
 * labelled structure the map kept.
 */
public final class NeighbourVote {
    private NeighbourVote() {
    }

    /**
     * The fraction of points whose label wins the vote of their k nearest others; a tie goes to the
     * tied label whose voter is nearest. k is capped at N - 1.
     */
    public static double accuracy(double[][] points, List<String> labels, int k) {
        int n = points.length;
        if (labels.size() != n) {
            throw new IllegalArgumentException("neighbour vote: " + n + " points but " + labels.size() + " labels");
        }
        if (n < 2 || k < 1) {
            throw new IllegalArgumentException("neighbour vote: needs at least 2 points and k >= 1, got " + n + " and " + k);
        }
        k = Math.min(k, n - 1);
        int right = 0;
        for (int i = 0; i < n; i++) {
            int[] near = nearestOthers(points, i, k);
            Map<String, Integer> votes = new HashMap<>();
            for (int j : near) {
                votes.merge(labels.get(j), 1, Integer::sum);
            }
            String best = null;
            int most = 0;
            for (int j : near) {   // nearest first, so a strict > keeps the nearest of tied labels
                int c = votes.get(labels.get(j));
                if (c > most) {
                    most = c;
                    best = labels.get(j);
                }
            }
            if (labels.get(i).equals(best)) {
                right++;
            }
        }
        return (double) right / n;
    }

    /** The k points nearest to point i, nearest first, ties by index. */
    private static int[] nearestOthers(double[][] x, int i, int k) {
        int n = x.length;
        double[] d = new double[n];
        Integer[] order = new Integer[n - 1];
        for (int j = 0, o = 0; j < n; j++) {
            double s = 0;
            for (int a = 0; a < x[i].length; a++) {
                double t = x[i][a] - x[j][a];
                s += t * t;
            }
            d[j] = s;
            if (j != i) {
                order[o++] = j;
            }
        }
        java.util.Arrays.sort(order, (a, b) -> d[a] != d[b] ? Double.compare(d[a], d[b]) : Integer.compare(a, b));
        int[] out = new int[k];
        for (int j = 0; j < k; j++) {
            out[j] = order[j];
        }
        return out;
    }
}
