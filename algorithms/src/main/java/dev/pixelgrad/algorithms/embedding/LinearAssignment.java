package dev.pixelgrad.algorithms.embedding;

import java.util.Arrays;

/**
 * The minimum-cost assignment of rows to distinct columns of a cost matrix (n rows, m >= n columns):
 * the Hungarian method in its shortest-augmenting-path form (Jonker–Volgenant), O(n^2 m). Each row is
 * added in turn and a Dijkstra-like search over reduced costs finds the cheapest way to fit it in,
 * re-seating the rows already placed along the path; the dual potentials keep reduced costs >= 0.
 */
public final class LinearAssignment {
    private LinearAssignment() {
    }

    /** For each row, its column; the columns are distinct and the total cost is minimal. */
    public static int[] solve(double[][] cost) {
        int n = cost.length;
        if (n == 0) {
            return new int[0];
        }
        int m = cost[0].length;
        if (m < n) {
            throw new IllegalArgumentException("linear assignment: " + n + " rows need at least as many columns, got " + m);
        }
        for (double[] row : cost) {
            if (row.length != m) {
                throw new IllegalArgumentException("linear assignment: rows of different lengths (" + m + " and " + row.length + ")");
            }
            for (double c : row) {
                if (!Double.isFinite(c)) {
                    throw new IllegalArgumentException("linear assignment: costs must be finite, got " + c);
                }
            }
        }
        // 1-based with column 0 as the virtual start of each search; owner[j] = the row seated at column j (0 = free)
        double[] u = new double[n + 1], v = new double[m + 1], minv = new double[m + 1];
        int[] owner = new int[m + 1], way = new int[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            owner[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = owner[j0], j1 = 0;
                double delta = Double.POSITIVE_INFINITY;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double reduced = cost[i0 - 1][j - 1] - u[i0] - v[j];
                        if (reduced < minv[j]) {
                            minv[j] = reduced;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[owner[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (owner[j0] != 0);
            do {   // shift the rows along the augmenting path
                int j1 = way[j0];
                owner[j0] = owner[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] column = new int[n];
        for (int j = 1; j <= m; j++) {
            if (owner[j] != 0) {
                column[owner[j] - 1] = j - 1;
            }
        }
        return column;
    }

    /** The total cost of an assignment. */
    public static double cost(double[][] cost, int[] column) {
        double sum = 0;
        for (int i = 0; i < column.length; i++) {
            sum += cost[i][column[i]];
        }
        return sum;
    }
}
