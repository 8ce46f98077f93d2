package dev.pixelgrad.algorithms.embedding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The k nearest of a set of vectors to a query by Euclidean distance, nearest first (ties: the earlier one). */
public final class Neighbours {
    /** Item {@code index} of the set at {@code distance} from the query. */
    public record Match(int index, double distance) {
    }

    private Neighbours() {
    }

    public static List<Match> nearest(float[] query, List<float[]> items, int k) {
        List<Match> all = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            float[] v = items.get(i);
            if (v.length != query.length) {
                throw new IllegalArgumentException("neighbours: item " + i + " has " + v.length + " values, the query " + query.length);
            }
            double s = 0;
            for (int j = 0; j < v.length; j++) {
                double d = (double) v[j] - query[j];
                s += d * d;
            }
            all.add(new Match(i, Math.sqrt(s)));
        }
        all.sort(Comparator.comparingDouble(Match::distance).thenComparingInt(Match::index));
        return all.subList(0, Math.min(k, all.size()));
    }
}
