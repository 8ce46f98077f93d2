package dev.pixelgrad.algorithms.embedding;

/**
 * Snaps N points of a 2-D map to a full grid of ceil(sqrt N) columns, one point per cell, filled row
 * by row (only the last row can have empty cells): the points are scaled to the grid's extent and
 * given cells by a {@link LinearAssignment} minimising the total squared displacement, so
 * neighbourhoods survive as well as a grid allows (a greedy "nearest free cell" tears them apart).
 */
public final class GridLayout {
    private GridLayout() {
    }

    /** The grid's columns for n points. */
    public static int columns(int n) {
        return (int) Math.ceil(Math.sqrt(n));
    }

    /** The grid's rows for n points. */
    public static int rows(int n) {
        int c = columns(n);
        return c == 0 ? 0 : (n + c - 1) / c;
    }

    /** For each point (x, y; y grows downwards), its cell as row * columns + column, all distinct and below n. */
    public static int[] cells(double[][] points) {
        int n = points.length;
        int cols = columns(n), rows = rows(n);
        double[][] scaled = scale(points, cols, rows);
        double[][] cost = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int cell = 0; cell < n; cell++) {
                double dx = scaled[i][0] - (cell % cols + 0.5), dy = scaled[i][1] - (cell / cols + 0.5);
                cost[i][cell] = dx * dx + dy * dy;
            }
        }
        return LinearAssignment.solve(cost);
    }

    /** The points stretched to [0, width] x [0, height] per axis (a constant axis goes to the middle). */
    static double[][] scale(double[][] points, double width, double height) {
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] p : points) {
            for (int a = 0; a < 2; a++) {
                lo[a] = Math.min(lo[a], p[a]);
                hi[a] = Math.max(hi[a], p[a]);
            }
        }
        double[] size = {width, height};
        double[][] out = new double[points.length][2];
        for (int i = 0; i < points.length; i++) {
            for (int a = 0; a < 2; a++) {
                double range = hi[a] - lo[a];
                out[i][a] = range > 0 ? (points[i][a] - lo[a]) / range * size[a] : size[a] / 2;
            }
        }
        return out;
    }
}
