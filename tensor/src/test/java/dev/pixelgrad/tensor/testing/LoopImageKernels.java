package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.PoolGeometry;
import dev.pixelgrad.tensor.ReflectionPadGeometry;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.WindowGeometry;

import java.util.Arrays;

/**
 * The image half of {@link LoopBackend} (split off to keep each file to a few screens): direct
 * loops for convolution, pooling, total variation, instance normalisation, windows, per-channel
 * clamping, reflection padding and nearest upsampling. Output row i, kernel row r read input row
 * {@code u = i * stride + r - pad}; outside the image that is a zero (convolution, average pooling)
 * or -inf (max pooling).
 * <pre>
 * forward        y[n,k,i,j]  = b[k] + sum_{c,r,s} w[k,c,r,s] x[n,c,u,v]
 * backward data  dx[n,c,u,v] += sum_{k,r,s} w[k,c,r,s] dy[n,k,i,j]      over the (i, j) that read (u, v)
 * backward w     dw[k,c,r,s] += sum_{n,i,j} x[n,c,u,v] dy[n,k,i,j];     db[k] += sum_{n,i,j} dy[n,k,i,j]
 * </pre>
 */
// x: (N, C, H, W)   w: (K, C, R, S)   y: (N, K, outH, outW)   pools, windows: planes p = (n, c)
abstract class LoopImageKernels implements Backend {

    /** The floats of a buffer this backend owns; any other buffer is refused. */
    final float[] host(Storage s) {
        if (!(s instanceof HostStorage h) || s.backend() != this) {
            throw new IllegalArgumentException("loop backend: got a buffer of backend "
                    + (s == null ? "null" : s.backend().name()) + "; move the tensor with tensor.to(backend)");
        }
        return h.values();
    }

    // ---- convolution: 7-deep loops, summed in double --------------------------------------------

    @Override
    public void conv2dForward(ConvGeometry g, Storage x, Storage w, Storage bias, Storage y) {
        float[] xv = host(x), wv = host(w), bv = bias == null ? null : host(bias), yv = host(y);
        int outH = g.outH(), outW = g.outW();
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        double acc = bv == null ? 0 : bv[k];
                        for (int c = 0; c < g.c(); c++) {
                            for (int r = 0; r < g.r(); r++) {
                                for (int s = 0; s < g.s(); s++) {
                                    int u = i * g.strideH() + r - g.padH(), v = j * g.strideW() + s - g.padW();
                                    if (u >= 0 && u < g.h() && v >= 0 && v < g.w()) {
                                        acc += (double) wv[((k * g.c() + c) * g.r() + r) * g.s() + s]
                                                * xv[((n * g.c() + c) * g.h() + u) * g.w() + v];
                                    }
                                }
                            }
                        }
                        yv[((n * g.k() + k) * outH + i) * outW + j] = (float) acc;
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardData(ConvGeometry g, Storage dy, Storage w, Storage dx) {
        // the adjoint of the forward, gathered per input pixel (u, v): u = i * sh + r - ph  <=>  i = (u + ph - r) / sh
        float[] dyv = host(dy), wv = host(w), dxv = host(dx);
        int outH = g.outH(), outW = g.outW();
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int u = 0; u < g.h(); u++) {
                    for (int v = 0; v < g.w(); v++) {
                        double acc = 0;
                        for (int k = 0; k < g.k(); k++) {
                            for (int r = 0; r < g.r(); r++) {
                                for (int s = 0; s < g.s(); s++) {
                                    int ti = u + g.padH() - r, tj = v + g.padW() - s;
                                    int i = ti / g.strideH(), j = tj / g.strideW();
                                    if (ti >= 0 && tj >= 0 && ti % g.strideH() == 0 && tj % g.strideW() == 0
                                            && i < outH && j < outW) {
                                        acc += (double) wv[((k * g.c() + c) * g.r() + r) * g.s() + s]
                                                * dyv[((n * g.k() + k) * outH + i) * outW + j];
                                    }
                                }
                            }
                        }
                        dxv[((n * g.c() + c) * g.h() + u) * g.w() + v] += (float) acc;
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardWeights(ConvGeometry g, Storage x, Storage dy, Storage dw, Storage dbias) {
        // dw and dbias may each be null (a frozen weight, no bias)
        float[] xv = host(x), dyv = host(dy), dwv = dw == null ? null : host(dw), dbv = dbias == null ? null : host(dbias);
        int outH = g.outH(), outW = g.outW();
        for (int k = 0; dwv != null && k < g.k(); k++) {
            for (int c = 0; c < g.c(); c++) {
                for (int r = 0; r < g.r(); r++) {
                    for (int s = 0; s < g.s(); s++) {
                        double acc = 0;
                        for (int n = 0; n < g.n(); n++) {
                            for (int i = 0; i < outH; i++) {
                                for (int j = 0; j < outW; j++) {
                                    int u = i * g.strideH() + r - g.padH(), v = j * g.strideW() + s - g.padW();
                                    if (u >= 0 && u < g.h() && v >= 0 && v < g.w()) {
                                        acc += (double) xv[((n * g.c() + c) * g.h() + u) * g.w() + v]
                                                * dyv[((n * g.k() + k) * outH + i) * outW + j];
                                    }
                                }
                            }
                        }
                        dwv[((k * g.c() + c) * g.r() + r) * g.s() + s] += (float) acc;
                    }
                }
            }
        }
        for (int k = 0; dbv != null && k < g.k(); k++) {
            double acc = 0;
            for (int n = 0; n < g.n(); n++) {
                for (int ij = 0; ij < outH * outW; ij++) {
                    acc += dyv[(n * g.k() + k) * outH * outW + ij];
                }
            }
            dbv[k] += (float) acc;
        }
    }

    // ---- pooling: output o = (p, i, j) over the pixels of its window ------------------------------

    /** Indices into x of the pixels of output o's window that lie inside the image, rows then columns. */
    private static int[] window(PoolGeometry g, int o) {
        int j = o % g.outW(), i = o / g.outW() % g.outH(), p = o / (g.outW() * g.outH());
        int[] pixels = new int[g.kernelH() * g.kernelW()];
        int count = 0;
        for (int r = 0; r < g.kernelH(); r++) {
            for (int s = 0; s < g.kernelW(); s++) {
                int u = i * g.strideH() + r - g.padH(), v = j * g.strideW() + s - g.padW();
                if (u >= 0 && u < g.h() && v >= 0 && v < g.w()) {
                    pixels[count++] = (p * g.h() + u) * g.w() + v;
                }
            }
        }
        return Arrays.copyOf(pixels, count);
    }

    /** The first maximum among the pixels; a NaN beats every number, so it reaches the loss and its guard (as PyTorch). */
    private static int argmax(float[] x, int[] pixels) {
        int best = pixels[0];
        for (int at : pixels) {
            if (x[at] > x[best] || Float.isNaN(x[at]) && !Float.isNaN(x[best])) {
                best = at;
            }
        }
        return best;
    }

    @Override
    public void maxPool2dForward(PoolGeometry g, Storage x, Storage y) { // y = max over the window (padding: -inf)
        float[] xv = host(x), yv = host(y);
        for (int o = 0; o < g.outputSize(); o++) {
            yv[o] = xv[argmax(xv, window(g, o))];
        }
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Storage x, Storage dy, Storage dx) { // dx[first argmax] += dy
        float[] xv = host(x), dyv = host(dy), dxv = host(dx);
        for (int o = 0; o < g.outputSize(); o++) {
            dxv[argmax(xv, window(g, o))] += dyv[o];
        }
    }

    @Override
    public void avgPool2dForward(PoolGeometry g, Storage x, Storage y) { // y = sum over the window / (kH kW)
        float[] xv = host(x), yv = host(y);
        for (int o = 0; o < g.outputSize(); o++) {
            double sum = 0;
            for (int at : window(g, o)) {
                sum += xv[at];
            }
            yv[o] = (float) (sum / (g.kernelH() * g.kernelW()));
        }
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, Storage dy, Storage dx) { // dx[window] += dy / (kH kW)
        float[] dyv = host(dy), dxv = host(dx);
        for (int o = 0; o < g.outputSize(); o++) {
            for (int at : window(g, o)) {
                dxv[at] += dyv[o] / (g.kernelH() * g.kernelW());
            }
        }
    }

    // ---- total variation over planes of h x w -----------------------------------------------------

    @Override
    public void totalVariationForward(Storage x, int n, int c, int h, int w, float beta, float eps, Storage out) {
        // out = sum_{p, i<h-1, j<w-1} q^(beta/2),  q = d_right^2 + d_down^2 + eps
        float[] xv = host(x);
        double total = 0;
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < h - 1; i++) {
                for (int j = 0; j < w - 1; j++) {
                    int at = (p * h + i) * w + j;
                    double right = (double) xv[at + 1] - xv[at], down = (double) xv[at + w] - xv[at];
                    total += Math.pow(right * right + down * down + eps, beta / 2.0);
                }
            }
        }
        host(out)[0] = (float) total;
    }

    @Override
    public void totalVariationBackward(Storage x, int n, int c, int h, int w, float beta, float eps,
                                       Storage s, Storage dx) {
        // d q^(beta/2) = beta q^(beta/2-1) (d_right d(d_right) + d_down d(d_down)): x[i][j] gets -(d_right + d_down),
        // x[i][j+1] gets d_right, x[i+1][j] gets d_down, each times f = s[0] beta q^(beta/2-1)
        float[] xv = host(x), dxv = host(dx);
        double seed = host(s)[0];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < h - 1; i++) {
                for (int j = 0; j < w - 1; j++) {
                    int at = (p * h + i) * w + j;
                    double right = (double) xv[at + 1] - xv[at], down = (double) xv[at + w] - xv[at];
                    double f = seed * beta * Math.pow(right * right + down * down + eps, beta / 2.0 - 1);
                    dxv[at] -= (float) (f * (right + down));
                    dxv[at + 1] += (float) (f * right);
                    dxv[at + w] += (float) (f * down);
                }
            }
        }
    }

    // ---- instance normalisation over planes p = (b, ch) of hw pixels --------------------------------

    @Override
    public void instanceNormForward(int n, int c, int hw, float eps, Storage x, Storage gamma, Storage beta,
                                    Storage y, Storage mean, Storage invStd) {
        // mu = mean x, var = mean (x - mu)^2, y = gamma[ch] (x - mu) / sqrt(var + eps) + beta[ch]
        float[] xv = host(x), gv = host(gamma), bv = host(beta), yv = host(y), mv = host(mean), sv = host(invStd);
        for (int p = 0; p < n * c; p++) {
            double mu = 0, var = 0;
            for (int i = 0; i < hw; i++) {
                mu += xv[p * hw + i];
            }
            mu /= hw;
            for (int i = 0; i < hw; i++) {
                var += (xv[p * hw + i] - mu) * (xv[p * hw + i] - mu);
            }
            var /= hw;
            double inv = 1 / Math.sqrt(var + eps);
            for (int i = 0; i < hw; i++) {
                yv[p * hw + i] = (float) (gv[p % c] * (xv[p * hw + i] - mu) * inv + bv[p % c]);
            }
            mv[p] = (float) mu;
            sv[p] = (float) inv;
        }
    }

    @Override
    public void instanceNormBackward(int n, int c, int hw, Storage x, Storage gamma, Storage mean, Storage invStd,
                                     Storage dy, Storage dx, Storage dgamma, Storage dbeta) {
        // mu = mean[p] + mean(x - mean[p]), xhat = (x - mu) invStd[p];
        // dx += gamma[ch] invStd[p] (dy - mean dy - xhat mean(dy xhat));
        // dgamma[ch] += sum dy xhat, dbeta[ch] += sum dy over (b, pixels); any of dx, dgamma, dbeta may be null
        float[] xv = host(x), gv = host(gamma), mv = host(mean), sv = host(invStd), dyv = host(dy);
        double[] dg = new double[c], db = new double[c];
        for (int p = 0; p < n * c; p++) {
            double mu = mv[p], sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < hw; i++) {
                mu += (xv[p * hw + i] - (double) mv[p]) / hw;
            }
            for (int i = 0; i < hw; i++) {
                sumDy += dyv[p * hw + i];
                sumDyXhat += dyv[p * hw + i] * (xv[p * hw + i] - mu) * sv[p];
            }
            dg[p % c] += sumDyXhat;
            db[p % c] += sumDy;
            for (int i = 0; dx != null && i < hw; i++) {
                double xhat = (xv[p * hw + i] - mu) * sv[p];
                host(dx)[p * hw + i] += (float) (gv[p % c] * sv[p] * (dyv[p * hw + i] - sumDy / hw - xhat * sumDyXhat / hw));
            }
        }
        for (int ch = 0; ch < c; ch++) {
            if (dgamma != null) {
                host(dgamma)[ch] += (float) dg[ch];
            }
            if (dbeta != null) {
                host(dbeta)[ch] += (float) db[ch];
            }
        }
    }

    // ---- windows (crop, roll) and per-channel bounds -----------------------------------------------

    /** Index into x of window pixel o = (p, i, j): x[p][(y0 + i) mod h][(x0 + j) mod w]. */
    private static int source(WindowGeometry g, int o) {
        int j = o % g.windowW(), i = o / g.windowW() % g.windowH(), p = o / (g.windowW() * g.windowH());
        return (p * g.h() + (g.y0() + i) % g.h()) * g.w() + (g.x0() + j) % g.w();
    }

    @Override
    public void windowForward(WindowGeometry g, Storage x, Storage y) { // y[p][i][j] = x[p][(y0+i) mod h][(x0+j) mod w]
        float[] xv = host(x), yv = host(y);
        for (int o = 0; o < g.outputSize(); o++) {
            yv[o] = xv[source(g, o)];
        }
    }

    @Override
    public void windowBackward(WindowGeometry g, Storage dy, Storage dx) { // dx[that pixel] += dy[p][i][j]
        float[] dyv = host(dy), dxv = host(dx);
        for (int o = 0; o < g.outputSize(); o++) {
            dxv[source(g, o)] += dyv[o];
        }
    }

    @Override
    public void clampChannels(Storage x, Storage lo, Storage hi, int n, int c, int hw, Storage y) {
        // y[b][ch][i] = min(max(x[b][ch][i], lo[ch]), hi[ch]);  y may be x
        float[] xv = host(x), lov = host(lo), hiv = host(hi), yv = host(y);
        for (int at = 0; at < n * c * hw; at++) {
            int ch = at / hw % c;
            yv[at] = Math.min(Math.max(xv[at], lov[ch]), hiv[ch]);
        }
    }

    // ---- reflection padding and nearest upsampling: output o = (p, i, j) reads one input pixel ----

    /** Index into x of padded pixel o = (p, i, j): x[p][reflect(i - top)][reflect(j - left)], the edge not repeated. */
    private static int source(ReflectionPadGeometry g, int o) {
        int j = o % g.outW(), i = o / g.outW() % g.outH(), p = o / (g.outW() * g.outH());
        int u = i - g.top(), v = j - g.left();
        u = u < 0 ? -u : u >= g.h() ? 2 * g.h() - 2 - u : u;
        v = v < 0 ? -v : v >= g.w() ? 2 * g.w() - 2 - v : v;
        return (p * g.h() + u) * g.w() + v;
    }

    @Override
    public void reflectionPadForward(ReflectionPadGeometry g, Storage x, Storage y) { // y[p][i][j] = x[that pixel]
        float[] xv = host(x), yv = host(y);
        for (int o = 0; o < g.outputSize(); o++) {
            yv[o] = xv[source(g, o)];
        }
    }

    @Override
    public void reflectionPadBackward(ReflectionPadGeometry g, Storage dy, Storage dx) { // dx[that pixel] += dy[p][i][j]
        float[] dyv = host(dy), dxv = host(dx);
        for (int o = 0; o < g.outputSize(); o++) {
            dxv[source(g, o)] += dyv[o];
        }
    }

    /** Index into x of upsampled pixel o = (p, i, j): x[p][i / f][j / f]. */
    private static int source(int h, int w, int f, int o) {
        int j = o % (w * f), i = o / (w * f) % (h * f), p = o / (w * f * h * f);
        return (p * h + i / f) * w + j / f;
    }

    @Override
    public void upsampleNearestForward(int planes, int h, int w, int factor, Storage x, Storage y) {
        float[] xv = host(x), yv = host(y);
        for (int o = 0; o < planes * h * factor * w * factor; o++) {
            yv[o] = xv[source(h, w, factor, o)];
        }
    }

    @Override
    public void upsampleNearestBackward(int planes, int h, int w, int factor, Storage dy, Storage dx) {
        float[] dyv = host(dy), dxv = host(dx);
        for (int o = 0; o < planes * h * factor * w * factor; o++) {
            dxv[source(h, w, factor, o)] += dyv[o];
        }
    }
}
