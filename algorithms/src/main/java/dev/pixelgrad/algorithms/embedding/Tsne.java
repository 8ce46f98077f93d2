package dev.pixelgrad.algorithms.embedding;

import java.util.Locale;
import java.util.stream.IntStream;

/**
 * t-distributed stochastic neighbour embedding into two dimensions (van der Maaten &amp; Hinton 2008),
 * with the Barnes–Hut approximation of van der Maaten 2014 for large N.
 * <pre>
 * q_ij = (1 + |y_i - y_j|²)⁻¹ / Z,   Z = Σ_k≠l (1 + |y_k - y_l|²)⁻¹
 * C    = KL(P || Q) = Σ_ij p_ij log(p_ij / q_ij)
 * ∂C/∂y_i = 4 Σ_j (p_ij - q_ij) (1 + |y_i - y_j|²)⁻¹ (y_i - y_j)
 *         = 4 (F_attr,i - F_rep,i / Z)
 * </pre>
 * The attractive part runs over the sparse P (k = ⌊3·perplexity⌋ neighbours per point), the
 * repulsive part and Z through a {@link QuadTree} with θ = 0.5. The optimiser is the usual one:
 * early exaggeration 12 and momentum 0.5 for 250 iterations, then momentum 0.8; per-coordinate
 * gains (+0.2 when the step changes sign, ×0.8 otherwise, at least 0.01), reset with the
 * velocity when the exaggeration ends (as scikit-learn does).
 * <p>
 * The gradient is taken without its constant 4, as openTSNE does, so that the "auto" learning
 * rate max(N / 12, 200) here is the step of openTSNE's and of scikit-learn's (≥ 1.2) auto rule
 * max(N / 12 / 4, 50), which scikit-learn applies to the gradient with the 4.
 * <p>
 * Work is split over points; every per-point result has its own slot and sums over points are
 * taken in index order, so one input gives one map, bit for bit, whatever the thread timing.
 */
public final class Tsne {
    public static final double EARLY_EXAGGERATION = 12;
    public static final int EXAGGERATION_ITERATIONS = 250;
    /** Below this many points {@link Method#AUTO} takes the exact path. */
    public static final int EXACT_BELOW = 500;
    /** The exact path's N x N matrices cost 16 N² bytes: 1.6 GB here. */
    public static final int EXACT_AT_MOST = 10_000;
    /** The map's first coordinate starts with this standard deviation (openTSNE's PCA init). */
    static final double INITIAL_STD = 1e-4;

    public enum Method { AUTO, EXACT, BARNES_HUT }

    /**
     * @param learningRate the step size, or 0 for "auto": max(N / 12, 200)
     * @param klEvery      report the KL divergence every this many iterations (and at the end)
     */
    public record Options(double perplexity, int iterations, double theta, double learningRate, long seed,
                          Method method, int klEvery) {
        public static Options defaults() {
            return new Options(30, 1000, 0.5, 0, 0, Method.AUTO, 50);
        }

        public Options withPerplexity(double p) {
            return new Options(p, iterations, theta, learningRate, seed, method, klEvery);
        }

        public Options withIterations(int n) {
            return new Options(perplexity, n, theta, learningRate, seed, method, klEvery);
        }

        public Options withSeed(long s) {
            return new Options(perplexity, iterations, theta, learningRate, s, method, klEvery);
        }

        public Options withMethod(Method m) {
            return new Options(perplexity, iterations, theta, learningRate, seed, m, klEvery);
        }
    }

    /** What a run reports as it goes. */
    public interface Listener {
        /** Iteration {@code done} (1-based) has been taken. */
        default void iteration(int done) {
        }

        /** KL(P || Q) of the map before iteration {@code iteration}'s step (the true P, not the exaggerated one). */
        default void klDivergence(int iteration, double kl) {
        }
    }

    /** The map (N rows of 2), its final KL divergence and whether the exact path made it. */
    public record Result(double[][] y, double klDivergence, boolean exact) {
    }

    private Tsne() {
    }

    /** Embeds the rows of {@code x} (N x D) in the plane. */
    public static Result embed(double[][] x, Options o, Listener listener) {
        check(x, o);
        int n = x.length;
        boolean exact = o.method() == Method.EXACT || o.method() == Method.AUTO && n < EXACT_BELOW;
        Gradient gradient = exact ? new Exact(Affinities.dense(x, o.perplexity()))
                : new BarnesHut(Affinities.sparse(x, o.perplexity(), o.seed()), o.theta());
        double[] y = initialLayout(x);
        double lr = o.learningRate() > 0 ? o.learningRate() : Math.max(n / EARLY_EXAGGERATION, 200);
        double[] update = new double[2 * n], gains = new double[2 * n], grad = new double[2 * n];
        java.util.Arrays.fill(gains, 1);
        double kl;
        for (int it = 0; it < o.iterations(); it++) {
            boolean early = it < EXAGGERATION_ITERATIONS;
            if (it == EXAGGERATION_ITERATIONS) {
                // a fresh start for the second phase, as scikit-learn does: the velocity built up
                // under exaggeration would otherwise throw the clusters past each other
                java.util.Arrays.fill(update, 0);
                java.util.Arrays.fill(gains, 1);
            }
            boolean report = (it + 1) % o.klEvery() == 0 || it == o.iterations() - 1;
            kl = gradient.compute(y, early ? EARLY_EXAGGERATION : 1, grad, report);
            if (report) {
                listener.klDivergence(it + 1, kl);
            }
            double momentum = early ? 0.5 : 0.8;
            for (int c = 0; c < 2 * n; c++) {
                gains[c] = update[c] * grad[c] < 0 ? gains[c] + 0.2 : Math.max(gains[c] * 0.8, 0.01);
                update[c] = momentum * update[c] - lr * gains[c] * grad[c];
                y[c] += update[c];
            }
            centreInPlace(y);
            listener.iteration(it + 1);
        }
        kl = gradient.compute(y, 1, grad, true);   // of the final map
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new double[]{y[2 * i], y[2 * i + 1]};
        }
        return new Result(rows, kl, exact);
    }

    /** Fails with a message saying what would work. */
    static void check(double[][] x, Options o) {
        if (!(o.perplexity() > 1) || !Double.isFinite(o.perplexity())) {
            throw new IllegalArgumentException("t-SNE: perplexity must be a number above 1, got " + o.perplexity());
        }
        if (o.iterations() < 0 || o.klEvery() < 1 || !(o.theta() >= 0)) {
            throw new IllegalArgumentException("t-SNE: iterations must be >= 0, klEvery >= 1 and theta >= 0");
        }
        int n = x.length, k = Affinities.neighbours(o.perplexity());
        if (n < k + 1) {
            int most = Math.max(0, (n - 1) / 3);
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "t-SNE: perplexity %s needs at least 3 x perplexity + 1 = %d points, got %d; %s",
                    trim(o.perplexity()), k + 1, n,
                    most >= 2 ? "use a perplexity of at most " + most : "give at least 7 points (perplexity 2)"));
        }
        if (o.method() == Method.EXACT && n > EXACT_AT_MOST) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "t-SNE: the exact path keeps two N x N matrices (%.1f GB for %d points); it takes at most %d points, "
                            + "Barnes-Hut any number", 16.0 * n * n / 1e9, n, EXACT_AT_MOST));
        }
        int d = x[0].length;
        if (d == 0) {
            throw new IllegalArgumentException("t-SNE: rows have no columns");
        }
        for (int i = 0; i < n; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException("t-SNE: row " + i + " has " + x[i].length + " values but row 0 has " + d
                        + "; every row needs the same length");
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new IllegalArgumentException("t-SNE: row " + i + " column " + j + " is " + x[i][j]
                            + "; remove or impute rows with NaN or infinite values");
                }
            }
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The first two principal components of x, scaled so that the first has standard deviation 1e-4. Interleaved. */
    static double[] initialLayout(double[][] x) {
        int n = x.length;
        double[][] z = Pca.fit(x).transform(x, Math.min(2, x[0].length));
        double mean = 0, var = 0;
        for (double[] r : z) {
            mean += r[0];
        }
        mean /= n;
        for (double[] r : z) {
            var += (r[0] - mean) * (r[0] - mean);
        }
        double std = Math.sqrt(var / (n - 1));
        double scale = std > 0 ? INITIAL_STD / std : 1;
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            y[2 * i] = z[i][0] * scale;
            y[2 * i + 1] = z[i].length > 1 ? z[i][1] * scale : 0;
        }
        if (std == 0) {   // all rows equal: any spread breaks the symmetry, keep it tiny and fixed
            for (int i = 0; i < 2 * n; i++) {
                y[i] = INITIAL_STD * Math.sin(i + 1);
            }
        }
        return y;
    }

    /** Keeps the map centred on the origin (the cost does not change; the numbers stay small). */
    private static void centreInPlace(double[] y) {
        int n = y.length / 2;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += y[2 * i];
            my += y[2 * i + 1];
        }
        mx /= n;
        my /= n;
        for (int i = 0; i < n; i++) {
            y[2 * i] -= mx;
            y[2 * i + 1] -= my;
        }
    }

    /** Splits [0, n) into chunks for the worker threads. */
    static IntStream chunks(int n) {
        return IntStream.range(0, (n + CHUNK - 1) / CHUNK).parallel();
    }

    static final int CHUNK = 64;

    /** The gradient of KL(exaggeration·P || Q) without its constant 4; optionally KL(P || Q) itself. */
    interface Gradient {
        /** Writes the gradient into {@code grad}; returns KL(P || Q) when {@code kl}, else NaN. */
        double compute(double[] y, double exaggeration, double[] grad, boolean kl);
    }

    /** Σ of a per-point array in index order. */
    static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    /** Barnes–Hut: attraction over the sparse P, repulsion and Z from the quadtree. */
    static final class BarnesHut implements Gradient {
        private final Affinities.Sparse p;
        private final double theta;

        BarnesHut(Affinities.Sparse p, double theta) {
            this.p = p;
            this.theta = theta;
        }

        @Override
        public double compute(double[] y, double exaggeration, double[] grad, boolean kl) {
            int n = p.points();
            QuadTree tree = new QuadTree(y);
            double[] zPart = new double[n], rep = new double[2 * n], klPart = kl ? new double[n] : null;
            int[] rs = p.rowStart(), col = p.col();
            double[] val = p.val();
            chunks(n).forEach(c -> {
                int[] stack = QuadTree.newStack();
                double[] f = new double[2];
                for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                    f[0] = 0;
                    f[1] = 0;
                    zPart[i] = tree.repulsion(i, theta, f, stack);
                    rep[2 * i] = f[0];
                    rep[2 * i + 1] = f[1];
                    double ax = 0, ay = 0;
                    for (int m = rs[i]; m < rs[i + 1]; m++) {
                        int j = col[m];
                        double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                        double q = 1 / (1 + dx * dx + dy * dy);
                        double w = exaggeration * val[m] * q;
                        ax += w * dx;
                        ay += w * dy;
                    }
                    grad[2 * i] = ax;
                    grad[2 * i + 1] = ay;
                }
            });
            double z = sum(zPart);
            for (int c = 0; c < 2 * n; c++) {
                grad[c] -= rep[c] / z;
            }
            if (!kl) {
                return Double.NaN;
            }
            // Σ p_ij log(p_ij / q_ij) over the stored P, with q_ij = (1 + d²)⁻¹ / Z and Z from the tree
            chunks(n).forEach(c -> {
                for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                    double s = 0;
                    for (int m = rs[i]; m < rs[i + 1]; m++) {
                        int j = col[m];
                        double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                        double q = 1 / (1 + dx * dx + dy * dy) / z;
                        s += val[m] * Math.log(Math.max(val[m], Double.MIN_NORMAL) / Math.max(q, Double.MIN_NORMAL));
                    }
                    klPart[i] = s;
                }
            });
            return sum(klPart);
        }
    }

    /** Exact O(N²) gradient over dense P: two passes, Z first. */
    static final class Exact implements Gradient {
        private final double[][] p;

        Exact(double[][] p) {
            this.p = p;
        }

        @Override
        public double compute(double[] y, double exaggeration, double[] grad, boolean kl) {
            int n = p.length;
            double[] zPart = new double[n];
            IntStream.range(0, n).parallel().forEach(i -> {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                        s += 1 / (1 + dx * dx + dy * dy);
                    }
                }
                zPart[i] = s;
            });
            double z = sum(zPart);
            double[] klPart = new double[n];
            IntStream.range(0, n).parallel().forEach(i -> {
                double gx = 0, gy = 0, s = 0;
                for (int j = 0; j < n; j++) {
                    if (j == i) {
                        continue;
                    }
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    double num = 1 / (1 + dx * dx + dy * dy), q = num / z;
                    double w = (exaggeration * p[i][j] - q) * num;
                    gx += w * dx;
                    gy += w * dy;
                    if (kl && p[i][j] > 0) {
                        s += p[i][j] * Math.log(p[i][j] / Math.max(q, Double.MIN_NORMAL));
                    }
                }
                grad[2 * i] = gx;
                grad[2 * i + 1] = gy;
                klPart[i] = s;
            });
            return kl ? sum(klPart) : Double.NaN;
        }
    }
}
