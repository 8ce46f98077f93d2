package dev.pixelgrad.algorithms.embedding;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Principal component analysis of N samples of D values: centre the rows, take the thin singular
 * value decomposition X - mean = U S V^T (EJML, double precision), and the rows of V^T are the
 * components, in descending order of S. The variance along component i is S_i^2 / (N - 1), as
 * numpy and scikit-learn report it. Each component's sign is fixed so that its entry of largest
 * magnitude is positive (an SVD leaves it free), so that results repeat across runs and libraries.
 */
public final class Pca {
    private final double[] mean;
    private final double[][] components;
    private final double[] variance;

    private Pca(double[] mean, double[][] components, double[] variance) {
        this.mean = mean;
        this.components = components;
        this.variance = variance;
    }

    /** Fits rows (N samples of D values, N >= 2). */
    public static Pca fit(double[][] rows) {
        int n = rows.length;
        if (n < 2) {
            throw new IllegalArgumentException("pca: needs at least 2 samples, got " + n);
        }
        int d = rows[0].length;
        if (d < 1) {
            throw new IllegalArgumentException("pca: samples have no values");
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("pca: sample " + i + " has " + rows[i].length + " values, sample 0 has " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(rows[i][j])) {
                    throw new IllegalArgumentException("pca: sample " + i + " holds " + rows[i][j] + " at " + j);
                }
                mean[j] += rows[i][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x.unsafe_set(i, j, rows[i][j] - mean[j]);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, d, false, true, true);
        if (!svd.decompose(x)) {
            throw new IllegalStateException("pca: the singular value decomposition did not converge");
        }
        DMatrixRMaj w = svd.getW(null), vt = svd.getV(null, true);
        SingularOps_DDRM.descendingOrder(null, false, w, vt, true);
        int k = Math.min(n, d);
        double[][] comps = new double[k][d];
        double[] var = new double[k];
        for (int i = 0; i < k; i++) {
            double s = w.get(i, i);
            var[i] = s * s / (n - 1);
            int largest = 0;
            for (int j = 0; j < d; j++) {
                comps[i][j] = vt.get(i, j);
                if (Math.abs(comps[i][j]) > Math.abs(comps[i][largest])) {
                    largest = j;
                }
            }
            if (comps[i][largest] < 0) {
                for (int j = 0; j < d; j++) {
                    comps[i][j] = -comps[i][j];
                }
            }
        }
        return new Pca(mean, comps, var);
    }

    /** D, the values per sample. */
    public int dimensions() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    /** min(N, D) rows of D values, unit length, in descending order of variance. */
    public double[][] components() {
        double[][] c = new double[components.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = components[i].clone();
        }
        return c;
    }

    /** The variance of the data along each component (divided by N - 1). */
    public double[] explainedVariance() {
        return variance.clone();
    }

    /** Each component's share of the total variance. */
    public double[] explainedVarianceRatio() {
        double total = 0;
        for (double v : variance) {
            total += v;
        }
        double[] r = new double[variance.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = total > 0 ? variance[i] / total : 0;
        }
        return r;
    }

    /** (x - mean) components[0..k)^T: each row's coordinates along the first k components. */
    public double[][] transform(double[][] x, int k) {
        if (k < 1 || k > components.length) {
            throw new IllegalArgumentException("pca: " + k + " components asked, " + components.length + " available");
        }
        double[][] z = new double[x.length][k];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != mean.length) {
                throw new IllegalArgumentException("pca: row " + i + " has " + x[i].length + " values, the fit had " + mean.length);
            }
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < mean.length; j++) {
                    s += (x[i][j] - mean[j]) * components[c][j];
                }
                z[i][c] = s;
            }
        }
        return z;
    }

    /** z components[0..k) + mean, k = the columns of z: back to the data's space. */
    public double[][] inverseTransform(double[][] z) {
        double[][] x = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            int k = z[i].length;
            if (k > components.length) {
                throw new IllegalArgumentException("pca: row " + i + " has " + k + " coordinates, " + components.length + " components exist");
            }
            x[i] = mean.clone();
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < mean.length; j++) {
                    x[i][j] += z[i][c] * components[c][j];
                }
            }
        }
        return x;
    }
}
