package dev.pixelgrad.algorithms.embedding;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Principal component analysis of N samples in D dimensions, by a thin SVD of the centred data:
 * {@code X - mean = U S V^T}. The rows of {@code V^T} are the components (directions of falling
 * variance) and {@code s_i^2 / (N - 1)} the variance along each, as NumPy and scikit-learn report.
 * There are {@code min(N, D)} components; with N &le; D the last carries no variance (centring
 * removes one dimension), so its direction is arbitrary.
 *
 * <p>A singular vector is defined only up to sign, so each component is flipped to make its
 * largest-magnitude entry positive: the same data then always gives the same picture.
 *
 * <p>Works in double precision (EJML's ddense), so the result does not depend on float32
 * rounding of the sums of squares.
 */
public final class Pca {
    private final double[] mean;
    private final double[][] components;
    private final double[] variance;
    private final double[] ratio;

    private Pca(double[] mean, double[][] components, double[] variance, double[] ratio) {
        this.mean = mean;
        this.components = components;
        this.variance = variance;
        this.ratio = ratio;
    }

    /** Fits the components of {@code rows}: N samples (rows) of D values each; the input is not changed. */
    public static Pca fit(double[][] rows) {
        int n = checkRows(rows, "rows", -1);
        int d = rows[0].length;
        double[] mean = new double[d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        DMatrixRMaj centred = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred.unsafe_set(i, j, rows[i][j] - mean[j]);
            }
        }

        // thin SVD, V^T only: U (N x k) is the transformed data, which transform() recomputes on demand
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, d, false, true, true);
        if (!svd.decompose(centred)) {
            throw new IllegalStateException("pca: the SVD of the " + n + " x " + d + " data did not converge");
        }
        double[] s = svd.getSingularValues();
        DMatrixRMaj vt = svd.getV(null, true);
        int k = svd.numberOfSingularValues();

        // EJML leaves the singular values unordered
        Integer[] order = IntStream.range(0, k).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> s[i]).reversed());

        double[][] components = new double[k][d];
        double[] variance = new double[k];
        double total = 0;
        for (int c = 0; c < k; c++) {
            int src = order[c];
            for (int j = 0; j < d; j++) {
                components[c][j] = vt.unsafe_get(src, j);
            }
            fixSign(components[c]);
            // one sample has no spread; avoid 0 / 0
            variance[c] = s[src] * s[src] / Math.max(n - 1, 1);
            total += variance[c];
        }
        double[] ratio = new double[k];
        for (int c = 0; c < k; c++) {
            ratio[c] = total > 0 ? variance[c] / total : 0;
        }
        return new Pca(mean, components, variance, ratio);
    }

    /** Flips {@code v} so that its largest-magnitude entry is positive. */
    private static void fixSign(double[] v) {
        int largest = 0;
        for (int j = 1; j < v.length; j++) {
            if (Math.abs(v[j]) > Math.abs(v[largest])) {
                largest = j;
            }
        }
        if (v[largest] < 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] = -v[j];
            }
        }
    }

    /** D, the number of values per sample. */
    public int dimensions() {
        return mean.length;
    }

    /** The per-dimension mean of the fitted samples (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** {@code min(N, D)} unit rows of D, by descending variance (a copy). */
    public double[][] components() {
        return deepCopy(components);
    }

    /** The variance along each component, {@code s_i^2 / (N - 1)} (a copy). */
    public double[] explainedVariance() {
        return variance.clone();
    }

    /** Each component's share of the total variance; they sum to 1 (or are all 0 for constant data). */
    public double[] explainedVarianceRatio() {
        return ratio.clone();
    }

    /** {@code z = (x - mean) V_k^T}: the coordinates of each row of x along the first k components, N x k. */
    public double[][] transform(double[][] x, int k) {
        int n = checkRows(x, "x", dimensions());
        if (k < 1 || k > components.length) {
            throw new IllegalArgumentException("pca transform: k=" + k + " components requested; expected 1.."
                    + components.length + " (min(N, D) of the fitted data)");
        }
        int d = dimensions();
        double[][] z = new double[n][k];
        double[] centred = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred[j] = x[i][j] - mean[j];
            }
            for (int c = 0; c < k; c++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += centred[j] * components[c][j];
                }
                z[i][c] = dot;
            }
        }
        return z;
    }

    /** {@code x = z V_k + mean} with k = z[0].length: the points back in the D-dimensional space. */
    public double[][] inverseTransform(double[][] z) {
        int n = checkRows(z, "z", -1);
        int k = z[0].length;
        if (k > components.length) {
            throw new IllegalArgumentException("pca inverseTransform: z has " + k + " columns but there are only "
                    + components.length + " components");
        }
        int d = dimensions();
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] row = mean.clone();
            for (int c = 0; c < k; c++) {
                double zc = z[i][c];
                for (int j = 0; j < d; j++) {
                    row[j] += zc * components[c][j];
                }
            }
            x[i] = row;
        }
        return x;
    }

    /**
     * Checks that {@code rows} is a non-empty rectangle with at least one column (of {@code width}
     * columns when that is not -1) and finite values; returns the number of rows.
     */
    private static int checkRows(double[][] rows, String name, int width) {
        if (rows == null || rows.length == 0) {
            throw new IllegalArgumentException("pca: " + name + " has no rows; expected at least one sample");
        }
        int w = width >= 0 ? width : (rows[0] == null ? 0 : rows[0].length);
        if (w == 0) {
            throw new IllegalArgumentException("pca: " + name + " has rows of no values; expected at least one column");
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != w) {
                throw new IllegalArgumentException("pca: " + name + " row " + i + " has "
                        + (rows[i] == null ? "no array" : rows[i].length + " values") + "; expected " + w
                        + (width >= 0 ? " (the fitted dimensions)" : " (as row 0)"));
            }
            for (int j = 0; j < w; j++) {
                if (!Double.isFinite(rows[i][j])) {
                    throw new IllegalArgumentException("pca: " + name + " [" + i + "][" + j + "] is " + rows[i][j]
                            + "; expected finite values");
                }
            }
        }
        return rows.length;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] copy = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            copy[i] = a[i].clone();
        }
        return copy;
    }
}
