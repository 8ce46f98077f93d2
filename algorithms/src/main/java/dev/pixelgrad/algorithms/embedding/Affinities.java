package dev.pixelgrad.algorithms.embedding;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The input similarities of t-SNE. For each point i a Gaussian precision β_i is found by binary
 * search so that the conditional distribution
 * <pre>
 * p(j|i) = exp(-β_i d²_ij) / Σ_k≠i exp(-β_i d²_ik)
 * </pre>
 * has entropy H_i = log(perplexity) (natural log, within 1e-5); then P is made symmetric,
 * p_ij = (p(j|i) + p(i|j)) / 2N, so that Σ_ij p_ij = 1.
 * <p>
 * Barnes–Hut t-SNE keeps only the k = ⌊3·perplexity⌋ nearest neighbours of each point (found by a
 * {@link VantagePointTree}) and stores P sparse, in CSR; the exact path keeps all N - 1.
 */
public final class Affinities {
    static final double ENTROPY_TOLERANCE = 1e-5;
    static final int MAX_STEPS = 200;

    /** Symmetric P in compressed sparse rows: row i holds columns col[rowStart[i] .. rowStart[i+1]), ascending. */
    public record Sparse(int[] rowStart, int[] col, double[] val) {
        public int points() {
            return rowStart.length - 1;
        }
    }

    private Affinities() {
    }

    /** Neighbours kept per point for a perplexity: ⌊3·perplexity⌋. */
    public static int neighbours(double perplexity) {
        return (int) Math.floor(3 * perplexity);
    }

    /**
     * Finds the precision β for one point and writes p(j|i) into {@code p}.
     *
     * @param d2 squared distances to the candidate neighbours (the point itself not among them)
     * @return β
     */
    public static double calibrate(double[] d2, double perplexity, double[] p) {
        double target = Math.log(perplexity);
        double min = Double.POSITIVE_INFINITY;
        for (double d : d2) {
            min = Math.min(min, d);
        }
        double beta = 1, lo = 0, hi = Double.POSITIVE_INFINITY;
        for (int step = 0; step < MAX_STEPS; step++) {
            double h = conditional(d2, min, beta, p);
            if (Math.abs(h - target) < ENTROPY_TOLERANCE) {
                break;
            }
            if (h > target) {   // too flat: sharpen
                lo = beta;
                beta = hi == Double.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = (beta + lo) / 2;
            }
        }
        conditional(d2, min, beta, p);
        return beta;
    }

    /** p = exp(-β d²) normalised, and returns its entropy. Distances are shifted by their minimum, which cancels, so exp never underflows to all zeros. */
    static double conditional(double[] d2, double min, double beta, double[] p) {
        double sum = 0;
        for (int j = 0; j < d2.length; j++) {
            p[j] = Math.exp(-beta * (d2[j] - min));
            sum += p[j];
        }
        double weighted = 0;
        for (int j = 0; j < d2.length; j++) {
            weighted += (d2[j] - min) * p[j];
        }
        for (int j = 0; j < d2.length; j++) {
            p[j] /= sum;
        }
        // H = -Σ p log p with log p = -β(d² - min) - log(sum)
        return Math.log(sum) + beta * weighted / sum;
    }

    /** Sparse symmetric P over the k = ⌊3·perplexity⌋ nearest neighbours of each row of {@code x}. */
    public static Sparse sparse(double[][] x, double perplexity, long seed) {
        int n = x.length, k = neighbours(perplexity);
        VantagePointTree tree = new VantagePointTree(x, seed);
        int[][] nb = new int[n][k];
        double[][] cond = new double[n][k];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] dist = new double[k];
            tree.nearest(i, k, nb[i], dist);
            for (int j = 0; j < k; j++) {
                dist[j] *= dist[j];
            }
            calibrate(dist, perplexity, cond[i]);
        });
        return symmetrise(nb, cond);
    }

    /** p_ij = (p(j|i) + p(i|j)) / 2N from the conditional rows; each entry is a sum of at most two terms, so the order of work does not change it. */
    static Sparse symmetrise(int[][] nb, double[][] cond) {
        int n = nb.length;
        int[] count = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j : nb[i]) {
                count[i]++;
                count[j]++;
            }
        }
        long[][] keys = new long[n][];   // column in the high bits, the position of the value in the low ones
        double[][] vals = new double[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = new long[count[i]];
            vals[i] = new double[count[i]];
            count[i] = 0;
        }
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < nb[i].length; m++) {
                int j = nb[i][m];
                double v = cond[i][m];
                add(keys, vals, count, i, j, v);
                add(keys, vals, count, j, i, v);
            }
        }
        int[] rowStart = new int[n + 1];
        int[][] cols = new int[n][];
        double[][] merged = new double[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            long[] order = keys[i].clone();
            Arrays.sort(order);
            int[] c = new int[order.length];
            double[] v = new double[order.length];
            int m = 0;
            for (long key : order) {
                int col = (int) (key >>> 32);
                double value = vals[i][(int) key];
                if (m > 0 && c[m - 1] == col) {
                    v[m - 1] += value;
                } else {
                    c[m] = col;
                    v[m++] = value;
                }
            }
            cols[i] = Arrays.copyOf(c, m);
            merged[i] = Arrays.copyOf(v, m);
        });
        for (int i = 0; i < n; i++) {
            rowStart[i + 1] = rowStart[i] + cols[i].length;
        }
        int[] col = new int[rowStart[n]];
        double[] val = new double[rowStart[n]];
        for (int i = 0; i < n; i++) {
            System.arraycopy(cols[i], 0, col, rowStart[i], cols[i].length);
            for (int m = 0; m < cols[i].length; m++) {
                val[rowStart[i] + m] = merged[i][m] / (2.0 * n);
            }
        }
        return new Sparse(rowStart, col, val);
    }

    private static void add(long[][] keys, double[][] vals, int[] count, int row, int col, double v) {
        int at = count[row]++;
        keys[row][at] = ((long) col << 32) | at;
        vals[row][at] = v;
    }

    /** Dense symmetric P over all pairs (the exact path), N x N with a zero diagonal. */
    public static double[][] dense(double[][] x, double perplexity) {
        int n = x.length;
        double[][] cond = new double[n][n];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] d2 = new double[n - 1], p = new double[n - 1];
            for (int j = 0, m = 0; j < n; j++) {
                if (j != i) {
                    double d = VantagePointTree.distance(x[i], x[j]);
                    d2[m++] = d * d;
                }
            }
            calibrate(d2, perplexity, p);
            for (int j = 0, m = 0; j < n; j++) {
                if (j != i) {
                    cond[i][j] = p[m++];
                }
            }
        });
        double[][] p = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i][j] = (cond[i][j] + cond[j][i]) / (2.0 * n);
            }
        }
        return p;
    }
}
