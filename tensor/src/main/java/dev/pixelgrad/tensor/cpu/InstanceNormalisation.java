package dev.pixelgrad.tensor.cpu;

/**
 * Instance normalisation over planes p = (n, c) of hw pixels, in parallel over the planes.
 * <pre>
 * forward    mu_p = mean x,  var_p = mean (x - mu_p)^2,  y = gamma[c] (x - mu_p) invStd_p + beta[c]
 * backward   xhat = (x - mu_p) invStd_p, mu_p = mean_p + mean(x - mean_p) (the float mean_p made exact)
 *            dx += gamma[c] invStd_p (dy - mean dy - xhat mean(dy xhat)),
 *            dgamma[c] += sum_{n,pixels} dy xhat,  dbeta[c] += sum_{n,pixels} dy
 * </pre>
 * Sums run in double and the variance comes from the deviations (two passes), so planes with a
 * large mean and a small spread (images in 0-255, activations) keep their digits.
 */
// x, y, dy, dx: (n, c, hw)   gamma, beta, dgamma, dbeta: (c)   mean, invStd: (n, c)
final class InstanceNormalisation {
    private InstanceNormalisation() {
    }

    static void forward(int n, int c, int hw, float eps, float[] x, float[] gamma, float[] beta,
                        float[] y, float[] mean, float[] invStd) {
        Parallel.forRange(n * c, 3L * hw, (from, to) -> {
            for (int p = from; p < to; p++) {
                int o = p * hw;
                double mu = sumOfPowers(x, o, hw, 0, 1) / hw;
                double inv = 1.0 / Math.sqrt(sumOfPowers(x, o, hw, mu, 2) / hw + eps);
                double scale = gamma[p % c] * inv, shift = beta[p % c];
                for (int i = o; i < o + hw; i++) {
                    y[i] = (float) ((x[i] - mu) * scale + shift);
                }
                mean[p] = (float) mu;
                invStd[p] = (float) inv;
            }
        });
    }

    static void backward(int n, int c, int hw, float[] x, float[] gamma, float[] mean, float[] invStd,
                         float[] dy, float[] dx, float[] dgamma, float[] dbeta) {
        // Per plane sums of dy and dy xhat; the channel gradients add them up over n afterwards,
        // in a fixed order, so the result does not depend on how the planes were split.
        double[] sumDy = new double[n * c], sumDyXhat = new double[n * c];
        Parallel.forRange(n * c, 4L * hw, (from, to) -> {
            for (int p = from; p < to; p++) {
                int o = p * hw;
                double m = mean[p], inv = invStd[p];
                double sd = 0, st = 0, sdt = 0; // sums of dy, t = x - m, dy t
                for (int i = o; i < o + hw; i++) {
                    double t = x[i] - m;
                    sd += dy[i];
                    st += t;
                    sdt += dy[i] * t;
                }
                double mu = m + st / hw, sdx = (sdt - st / hw * sd) * inv;
                sumDy[p] = sd;
                sumDyXhat[p] = sdx;
                if (dx != null) {
                    double meanDy = sd / hw, meanDyXhat = sdx / hw, k = gamma[p % c] * inv;
                    for (int i = o; i < o + hw; i++) {
                        double xhat = (x[i] - mu) * inv;
                        dx[i] += (float) (k * (dy[i] - meanDy - xhat * meanDyXhat));
                    }
                }
            }
        });
        for (int ch = 0; ch < c; ch++) {
            double dg = 0, db = 0;
            for (int img = 0; img < n; img++) {
                dg += sumDyXhat[img * c + ch];
                db += sumDy[img * c + ch];
            }
            if (dgamma != null) {
                dgamma[ch] += (float) dg;
            }
            if (dbeta != null) {
                dbeta[ch] += (float) db;
            }
        }
    }

    /**
     * sum_i (x_i - shift)^power over x[o, o + len), power 1 or 2, in double with four accumulators:
     * one chain of dependent adds would wait out each add's latency.
     */
    private static double sumOfPowers(float[] x, int o, int len, double shift, int power) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = o, end = o + len;
        for (; i + 3 < end; i += 4) {
            double d0 = x[i] - shift, d1 = x[i + 1] - shift, d2 = x[i + 2] - shift, d3 = x[i + 3] - shift;
            if (power == 2) {
                d0 *= d0;
                d1 *= d1;
                d2 *= d2;
                d3 *= d3;
            }
            s0 += d0;
            s1 += d1;
            s2 += d2;
            s3 += d3;
        }
        for (; i < end; i++) {
            double d = x[i] - shift;
            s0 += power == 2 ? d * d : d;
        }
        return (s0 + s1) + (s2 + s3);
    }
}
