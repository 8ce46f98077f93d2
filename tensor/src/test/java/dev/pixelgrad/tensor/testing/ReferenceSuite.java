package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.PoolSpec;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * The ops on shapes large enough that a backend splits the work (threads, work-groups, tiles),
 * against plain double-precision loops written straight from each op's formula. The gradient
 * checks and parity fixtures use tiny shapes, which a backend may run on a single thread; this
 * suite covers the split paths. Each op runs forward, then backward with a random seed r, and
 * output and gradients are compared as max |diff| / max |reference| &lt;= 1e-4.
 */
public abstract class ReferenceSuite {
    private static final double TOLERANCE = 1e-4;

    /** The backend under test; every tensor of the suite is created on it. */
    protected abstract Backend backend();

    private final Random random = new Random(11);

    private float[] rand(int n) {
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2f * random.nextFloat() - 1f;
        }
        return v;
    }

    private Tensor leaf(float[] v, int... dims) {
        return Tensor.of(v, Shape.of(dims), backend()).requiresGrad(true);
    }

    private static void assertClose(String what, double[] expected, float[] actual) {
        double maxDiff = 0, maxRef = 0;
        int at = 0;
        for (int i = 0; i < expected.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= maxDiff)) {
                maxDiff = d;
                at = i;
            }
        }
        if (!(maxDiff <= TOLERANCE * Math.max(maxRef, 1e-30))) {
            throw new AssertionError(String.format("%s: max |diff| %.3g at element %d (got %.8g, reference %.8g) over"
                    + " max |reference| %.3g exceeds relative %.0e", what, maxDiff, at, actual[at], expected[at], maxRef, TOLERANCE));
        }
    }

    // ---- conv2d -----------------------------------------------------------------------------

    @Test
    void conv2dStride1Pad1WithBias() {
        conv2d(2, 16, 21, 18, 12, 3, 3, 1, 1, true);
    }

    @Test
    void conv2dStride2Pad1() {
        conv2d(1, 8, 33, 30, 16, 3, 3, 2, 1, false);
    }

    @Test
    void conv2dKernel1() {
        conv2d(2, 24, 17, 19, 20, 1, 1, 1, 0, true);
    }

    @Test
    void conv2dStride2Pad1Batch3() {
        conv2d(3, 12, 31, 34, 20, 3, 3, 2, 1, true);
    }

    @Test
    void conv2dKernel9FromRgbBatch2() {
        conv2d(2, 3, 37, 35, 16, 9, 9, 1, 4, true);
    }

    @Test
    void conv2dKernel9ToRgbBatch2() {
        conv2d(2, 16, 35, 37, 3, 9, 9, 1, 4, true);
    }

    private void conv2d(int n, int c, int h, int w, int k, int r, int s, int stride, int pad, boolean withBias) {
        // x: (N, C, H, W)   w: (K, C, R, S)   y: (N, K, P, Q)
        float[] xv = rand(n * c * h * w), wv = rand(k * c * r * s), bv = rand(k);
        Tensor x = leaf(xv, n, c, h, w), wt = leaf(wv, k, c, r, s), b = withBias ? leaf(bv, k) : null;
        Tensor y = Ops.conv2d(x, wt, b, Conv2dSpec.of(stride, pad));
        int p = (h + 2 * pad - r) / stride + 1, q = (w + 2 * pad - s) / stride + 1;
        float[] seed = rand(n * k * p * q);
        double[] ry = new double[n * k * p * q], dx = new double[xv.length], dw = new double[wv.length], db = new double[k];
        for (int in = 0; in < n; in++) {
            for (int ik = 0; ik < k; ik++) {
                for (int i = 0; i < p; i++) {
                    for (int j = 0; j < q; j++) {
                        int yi = ((in * k + ik) * p + i) * q + j;
                        double acc = withBias ? bv[ik] : 0;
                        for (int ic = 0; ic < c; ic++) {
                            for (int ir = 0; ir < r; ir++) {
                                int hi = i * stride + ir - pad;
                                if (hi < 0 || hi >= h) {
                                    continue;
                                }
                                for (int is = 0; is < s; is++) {
                                    int wi = j * stride + is - pad;
                                    if (wi < 0 || wi >= w) {
                                        continue;
                                    }
                                    int xi = ((in * c + ic) * h + hi) * w + wi, wIdx = ((ik * c + ic) * r + ir) * s + is;
                                    acc += (double) wv[wIdx] * xv[xi];
                                    dx[xi] += (double) seed[yi] * wv[wIdx];
                                    dw[wIdx] += (double) seed[yi] * xv[xi];
                                }
                            }
                        }
                        ry[yi] = acc;
                        db[ik] += seed[yi];
                    }
                }
            }
        }
        String what = "conv2d x" + x.shape() + " w" + wt.shape() + " stride " + stride + " pad " + pad;
        assertClose(what + ": y", ry, y.toArray());
        y.backward(Tensor.of(seed, y.shape(), backend()));
        assertClose(what + ": dx", dx, x.grad().toArray());
        assertClose(what + ": dw", dw, wt.grad().toArray());
        if (withBias) {
            assertClose(what + ": db", db, b.grad().toArray());
        }
    }

    // ---- pooling ----------------------------------------------------------------------------

    @Test
    void maxPool2x2() {
        pool(true, 2, 16, 34, 30, 2, 2, 0);
    }

    @Test
    void maxPool3Stride2Pad1() {
        pool(true, 1, 16, 33, 29, 3, 2, 1);
    }

    @Test
    void maxPool2x2Batch4() {
        pool(true, 4, 8, 30, 27, 2, 2, 0);
    }

    @Test
    void avgPool2x2Batch3() {
        pool(false, 3, 8, 27, 30, 2, 2, 0);
    }

    @Test
    void avgPool3Stride2Pad1() {
        pool(false, 1, 16, 33, 29, 3, 2, 1);
    }

    private void pool(boolean max, int n, int c, int h, int w, int kernel, int stride, int pad) {
        float[] xv = rand(n * c * h * w);
        Tensor x = leaf(xv, n, c, h, w);
        PoolSpec spec = PoolSpec.of(kernel, stride, pad);
        Tensor y = max ? Ops.maxPool2d(x, spec) : Ops.avgPool2d(x, spec);
        int p = (h + 2 * pad - kernel) / stride + 1, q = (w + 2 * pad - kernel) / stride + 1;
        float[] seed = rand(n * c * p * q);
        double[] ry = new double[seed.length], dx = new double[xv.length];
        for (int pl = 0; pl < n * c; pl++) {
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < q; j++) {
                    int yi = (pl * p + i) * q + j, best = -1;
                    double acc = 0;
                    for (int a = 0; a < kernel; a++) {
                        for (int bb = 0; bb < kernel; bb++) {
                            int hi = i * stride + a - pad, wi = j * stride + bb - pad;
                            if (hi < 0 || hi >= h || wi < 0 || wi >= w) {
                                continue;
                            }
                            int xi = (pl * h + hi) * w + wi;
                            if (max) {
                                if (best < 0 || xv[xi] > xv[best]) {
                                    best = xi;
                                }
                            } else {
                                acc += xv[xi] / (double) (kernel * kernel);
                                dx[xi] += seed[yi] / (double) (kernel * kernel);
                            }
                        }
                    }
                    if (max) {
                        ry[yi] = xv[best];
                        dx[best] += seed[yi];
                    } else {
                        ry[yi] = acc;
                    }
                }
            }
        }
        String what = (max ? "max_pool2d" : "avg_pool2d") + " x" + x.shape() + " k" + kernel + " s" + stride + " p" + pad;
        assertClose(what + ": y", ry, y.toArray());
        y.backward(Tensor.of(seed, y.shape(), backend()));
        assertClose(what + ": dx", dx, x.grad().toArray());
    }

    // ---- gram, total variation, instance norm, losses, elementwise --------------------------

    @Test
    void gram() {
        int n = 2, c = 32, m = 400;
        float alpha = 1f / (c * m);
        float[] xv = rand(n * c * m);
        Tensor x = leaf(xv, n, c, 20, 20);
        Tensor g = Ops.gram(x, alpha);
        float[] seed = rand(n * c * c);
        double[] rg = new double[seed.length], dx = new double[xv.length];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < c; i++) {
                for (int j = 0; j < c; j++) {
                    double acc = 0;
                    for (int t = 0; t < m; t++) {
                        acc += (double) xv[(b * c + i) * m + t] * xv[(b * c + j) * m + t];
                    }
                    rg[(b * c + i) * c + j] = alpha * acc;
                    // dF[i] += alpha R[i][j] F[j],  dF[j] += alpha R[i][j] F[i]
                    double sij = alpha * (double) seed[(b * c + i) * c + j];
                    for (int t = 0; t < m; t++) {
                        dx[(b * c + i) * m + t] += sij * xv[(b * c + j) * m + t];
                        dx[(b * c + j) * m + t] += sij * xv[(b * c + i) * m + t];
                    }
                }
            }
        }
        assertClose("gram x" + x.shape() + ": G", rg, g.toArray());
        g.backward(Tensor.of(seed, g.shape(), backend()));
        assertClose("gram x" + x.shape() + ": dx", dx, x.grad().toArray());
    }

    @Test
    void totalVariationBeta1() {
        totalVariation(1f);
    }

    @Test
    void totalVariationBeta2() {
        totalVariation(2f);
    }

    private void totalVariation(float beta) {
        int n = 1, c = 3, h = 64, w = 50;
        float[] xv = rand(n * c * h * w);
        Tensor x = leaf(xv, n, c, h, w);
        Tensor tv = Ops.totalVariation(x, beta);
        double eps = beta < 2 ? 1e-8f : 0, total = 0;
        double[] dx = new double[xv.length];
        float seed = 0.75f;
        for (int pl = 0; pl < n * c; pl++) {
            for (int i = 0; i < h - 1; i++) {
                for (int j = 0; j < w - 1; j++) {
                    int p = (pl * h + i) * w + j;
                    double dr = (double) xv[p + 1] - xv[p], dd = (double) xv[p + w] - xv[p];
                    double qv = dr * dr + dd * dd + eps;
                    total += Math.pow(qv, beta / 2.0);
                    double f = seed * beta * Math.pow(qv, beta / 2.0 - 1);
                    dx[p] -= f * (dr + dd);
                    dx[p + 1] += f * dr;
                    dx[p + w] += f * dd;
                }
            }
        }
        assertClose("total_variation beta " + beta + ": value", new double[]{total}, tv.toArray());
        tv.backward(Tensor.of(new float[]{seed}, tv.shape(), backend()));
        assertClose("total_variation beta " + beta + ": dx", dx, x.grad().toArray());
    }

    @Test
    void residualAddAndMseOverABatch() {
        // L = mean over (N, C, H, W) of (x + y - t)^2, as torch.nn.MSELoss on a residual block's output
        int n = 4, c = 16, h = 19, w = 21, len = n * c * h * w;
        float[] xv = rand(len), yv = rand(len), tv = rand(len);
        Tensor x = leaf(xv, n, c, h, w), y = leaf(yv, n, c, h, w), t = Tensor.of(tv, Shape.of(n, c, h, w), backend());
        Tensor sum = x.add(y);
        Tensor loss = Ops.mse(sum, t);
        double[] rsum = new double[len], dx = new double[len];
        double sse = 0;
        for (int i = 0; i < len; i++) {
            rsum[i] = (double) xv[i] + yv[i];
            double d = (double) (xv[i] + yv[i]) - tv[i];
            sse += d * d;
            dx[i] = 2 * d / len;
        }
        assertClose("add x" + x.shape(), rsum, sum.toArray());
        assertClose("mse over a batch x" + x.shape(), new double[]{sse / len}, loss.toArray());
        loss.backward();
        assertClose("mse over a batch: dx", dx, x.grad().toArray());
        assertClose("mse over a batch: dy", dx, y.grad().toArray());
    }

    @Test
    void instanceNormAndItsBackward() {
        // x: (N, C, H, W)   gamma, beta: (C); every third plane sits at a mean of 100, as activations do
        int n = 2, c = 16, h = 33, w = 29, hw = h * w;
        float eps = 1e-5f;
        float[] xv = rand(n * c * hw), gv = rand(c), bv = rand(c), seed = rand(n * c * hw);
        for (int p = 0; p < n * c; p += 3) {
            for (int i = 0; i < hw; i++) {
                xv[p * hw + i] += 100f;
            }
        }
        double[] y = new double[xv.length], dx = new double[xv.length], dg = new double[c], db = new double[c];
        for (int p = 0; p < n * c; p++) {
            int ch = p % c;
            double mu = 0, var = 0, sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < hw; i++) {
                mu += xv[p * hw + i] / (double) hw;
            }
            for (int i = 0; i < hw; i++) {
                var += (xv[p * hw + i] - mu) * (xv[p * hw + i] - mu) / hw;
            }
            double inv = 1 / Math.sqrt(var + eps);
            for (int i = 0; i < hw; i++) {
                double xhat = (xv[p * hw + i] - mu) * inv;
                y[p * hw + i] = gv[ch] * xhat + bv[ch];
                sumDy += seed[p * hw + i];
                sumDyXhat += seed[p * hw + i] * xhat;
            }
            dg[ch] += sumDyXhat;
            db[ch] += sumDy;
            for (int i = 0; i < hw; i++) {
                double xhat = (xv[p * hw + i] - mu) * inv;
                dx[p * hw + i] = gv[ch] * inv * (seed[p * hw + i] - sumDy / hw - xhat * sumDyXhat / hw);
            }
        }
        Tensor x = leaf(xv, n, c, h, w), gamma = leaf(gv, c), beta = leaf(bv, c);
        Tensor out = Ops.instanceNorm(x, gamma, beta, eps);
        String what = "instance_norm x" + x.shape();
        assertClose(what + ": y", y, out.toArray());
        out.backward(Tensor.of(seed, out.shape(), backend()));
        assertClose(what + ": dx", dx, x.grad().toArray());
        assertClose(what + ": dgamma", dg, gamma.grad().toArray());
        assertClose(what + ": dbeta", db, beta.grad().toArray());
    }

    @Test
    void reductionsAndElementwiseOnLongVectors() {
        int len = 100_003;
        float[] av = rand(len), bv = rand(len);
        Tensor a = leaf(av, len), b = leaf(bv, len);
        double sse = 0, sum = 0;
        double[] relu = new double[len], product = new double[len];
        for (int i = 0; i < len; i++) {
            double d = (double) av[i] - bv[i];
            sse += d * d;
            sum += av[i];
            relu[i] = Math.max(av[i], 0);
            product[i] = (double) av[i] * bv[i];
        }
        assertClose("sse of " + len, new double[]{sse}, Ops.sse(a, b).toArray());
        assertClose("mse of " + len, new double[]{sse / len}, Ops.mse(a, b).toArray());
        assertClose("sum of " + len, new double[]{sum}, a.sum().toArray());
        assertClose("relu of " + len, relu, Ops.relu(a).toArray());
        assertClose("mul of " + len, product, a.mul(b).toArray());

        Ops.mse(a, b).backward();
        double[] da = new double[len];
        for (int i = 0; i < len; i++) {
            da[i] = 2.0 * ((double) av[i] - bv[i]) / len;
        }
        assertClose("d mse / da of " + len, da, a.grad().toArray());
    }

    // ---- windows, clamping and resampling ---------------------------------------------------

    @Test
    void cropOfRollAndItsBackward() {
        int n = 2, c = 3, h = 37, w = 45, dy = -5, dx = 50, y0 = 4, x0 = 9, th = 30, tw = 33;
        float[] xv = rand(n * c * h * w), rv = rand(n * c * th * tw);
        Tensor x = leaf(xv, n, c, h, w);
        double[] y = new double[rv.length], dxRef = new double[xv.length];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < th; i++) {
                for (int j = 0; j < tw; j++) {
                    // roll: r[a][b] = x[a - dy][b - dx]; crop: y[i][j] = r[y0 + i][x0 + j]
                    int src = p * h * w + Math.floorMod(y0 + i - dy, h) * w + Math.floorMod(x0 + j - dx, w);
                    int out = (p * th + i) * tw + j;
                    y[out] = xv[src];
                    dxRef[src] += rv[out];
                }
            }
        }
        Tensor out = Ops.crop(Ops.roll(x, dy, dx), y0, x0, th, tw);
        assertClose("crop(roll(x))", y, out.toArray());
        out.backward(Tensor.of(rv, out.shape(), backend()));
        assertClose("d crop(roll(x)) / dx", dxRef, x.grad().toArray());
    }

    @Test
    void clampChannelsInPlace() {
        int n = 2, c = 3, hw = 1000;
        float[] xv = rand(n * c * hw);
        float[] lo = {-0.5f, -0.1f, 0f}, hi = {0.5f, 0.9f, 0.2f};
        double[] ref = new double[xv.length];
        for (int i = 0; i < xv.length; i++) {
            int ch = (i / hw) % c;
            ref[i] = Math.min(Math.max(xv[i], lo[ch]), hi[ch]);
        }
        Tensor x = Tensor.of(xv, Shape.of(n, c, 10, 100), backend());
        x.clampChannelsInPlace(Tensor.of(lo, Shape.of(c), backend()), Tensor.of(hi, Shape.of(c), backend()));
        assertClose("clampChannelsInPlace", ref, x.toArray());
    }

    @Test
    void resampleAndItsBackward() {
        int n = 2, c = 3, h = 40, w = 53, outH = 17, outW = 71;
        float[] xv = rand(n * c * h * w), ryv = rand(outH * h), rxv = rand(outW * w), rv = rand(n * c * outH * outW);
        double[] y = new double[rv.length], dxRef = new double[xv.length];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    int out = (p * outH + i) * outW + j;
                    for (int a = 0; a < h; a++) {
                        for (int b = 0; b < w; b++) {
                            double weight = (double) ryv[i * h + a] * rxv[j * w + b];
                            y[out] += weight * xv[(p * h + a) * w + b];
                            dxRef[(p * h + a) * w + b] += weight * rv[out];
                        }
                    }
                }
            }
        }
        Tensor x = leaf(xv, n, c, h, w);
        Tensor out = Ops.resample(x, Tensor.of(ryv, Shape.of(outH, h), backend()), Tensor.of(rxv, Shape.of(outW, w), backend()));
        assertClose("resample", y, out.toArray());
        out.backward(Tensor.of(rv, out.shape(), backend()));
        assertClose("d resample / dx", dxRef, x.grad().toArray());
    }

    // ---- reflection padding and nearest upsampling (fast style transfer) ----------------------

    @Test
    void reflectionPadAndItsBackward() {
        reflectionPad(2, 32, 67, 45, 4, 4, 4, 4);    // TransformerNet's 9x9 convolutions pad by 4
        reflectionPad(3, 5, 40, 29, 1, 7, 0, 28);    // asymmetric, up to size - 1
    }

    private void reflectionPad(int n, int c, int h, int w, int top, int bottom, int left, int right) {
        int outH = top + h + bottom, outW = left + w + right;
        float[] xv = rand(n * c * h * w), rv = rand(n * c * outH * outW);
        double[] y = new double[rv.length], dxRef = new double[xv.length];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    // mirror at the edge pixel, which is not repeated: row -1 reads row 1, row h reads row h - 2
                    int u = Math.abs(i - top), v = Math.abs(j - left);
                    u = u >= h ? 2 * (h - 1) - u : u;
                    v = v >= w ? 2 * (w - 1) - v : v;
                    int src = (p * h + u) * w + v, out = (p * outH + i) * outW + j;
                    y[out] = xv[src];
                    dxRef[src] += rv[out];
                }
            }
        }
        Tensor x = leaf(xv, n, c, h, w);
        Tensor out = Ops.reflectionPad(x, top, bottom, left, right);
        String what = "reflection pad " + top + "," + bottom + "," + left + "," + right + " of " + x.shape();
        assertClose(what, y, out.toArray());
        out.backward(Tensor.of(rv, out.shape(), backend()));
        assertClose("d " + what + " / dx", dxRef, x.grad().toArray());
    }

    @Test
    void upsampleNearestAndItsBackward() {
        upsampleNearest(2, 32, 67, 45, 2);
        upsampleNearest(2, 7, 31, 26, 3);
    }

    private void upsampleNearest(int n, int c, int h, int w, int f) {
        float[] xv = rand(n * c * h * w), rv = rand(n * c * h * f * w * f);
        double[] y = new double[rv.length], dxRef = new double[xv.length];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < h * f; i++) {
                for (int j = 0; j < w * f; j++) {
                    int src = (p * h + i / f) * w + j / f, out = (p * h * f + i) * w * f + j;
                    y[out] = xv[src];
                    dxRef[src] += rv[out];
                }
            }
        }
        Tensor x = leaf(xv, n, c, h, w);
        Tensor out = Ops.upsampleNearest(x, f);
        assertClose("upsample nearest x" + f + " of " + x.shape(), y, out.toArray());
        out.backward(Tensor.of(rv, out.shape(), backend()));
        assertClose("d upsample nearest x" + f + " / dx", dxRef, x.grad().toArray());
    }
}
