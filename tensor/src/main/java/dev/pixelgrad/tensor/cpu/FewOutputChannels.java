package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolutions with few output channels (the last layer of an image-to-image network, 9x9 back to
 * RGB; the backward of a first layer to its RGB image), forward and weight gradient, without columns.
 * <pre>
 * x: (N, C, H, W)   w: (K, C, R, S)   y, dy: (N, K, P, Q), stride 1 along W
 * forward          y[n][k][i][j]   = b[k] + sum_c,r,s w[k][c][r][s] x[n][c][i sh + r - ph][j + s - pw]
 * weight gradient  dw[k][c][r][s] += sum_n,i,j dy[n][k][i][j] x[n][c][i sh + r - ph][j + s - pw]
 * </pre>
 * Through the GEMM, every element of the im2col matrix (C R S x P Q, 170 M floats per image for
 * 32 -> 3 channels, 9x9, at 256 x 256) is written, packed and read for only 2 K flops: with K = 3
 * the product is all memory traffic. Here one input row at a time stays in L1 and all R S K uses
 * of it run along j in vector lanes.
 */
final class FewOutputChannels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    /** Output channels up to which this beats columns and GEMM (2 K flops per column element). */
    static final int K_MAX = 8;

    private FewOutputChannels() {
    }

    static boolean suits(ConvGeometry g) {
        return g.k() <= K_MAX && g.strideW() == 1;
    }

    /** y = w (*) x + b; output rows run in parallel. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        forward(g, x, w, bias, y, false);
    }

    /** y = w (*) x + b, or y += w (*) x with accumulate (bias then null); output rows run in parallel. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean accumulate) {
        int outH = g.outH(), outW = g.outW(), kk = g.k(), ss = g.s();
        long work = (long) kk * g.c() * g.r() * ss * outW;
        Parallel.forRange(g.n() * outH, work, (from, to) -> {
            // One input row with its zero padding, x[c][iy][t - pw] for t < Q + S - 1.
            float[] xp = new float[outW + ss - 1];
            float[] acc = new float[kk * outW];
            for (int row = from; row < to; row++) {
                int n = row / outH, i = row % outH;
                for (int k = 0; k < kk; k++) {
                    if (accumulate) {
                        System.arraycopy(y, ((n * kk + k) * outH + i) * outW, acc, k * outW, outW);
                    } else {
                        java.util.Arrays.fill(acc, k * outW, (k + 1) * outW, bias == null ? 0f : bias[k]);
                    }
                }
                for (int c = 0; c < g.c(); c++) {
                    for (int r = 0; r < g.r(); r++) {
                        int iy = i * g.strideH() + r - g.padH();
                        if (iy < 0 || iy >= g.h()) {
                            continue;
                        }
                        paddedRow(g, x, ((n * g.c() + c) * g.h() + iy) * g.w(), xp);
                        for (int k = 0; k < kk; k++) {
                            accumulateRow(xp, w, ((k * g.c() + c) * g.r() + r) * ss, ss, acc, k * outW, outW);
                        }
                    }
                }
                for (int k = 0; k < kk; k++) {
                    System.arraycopy(acc, k * outW, y, ((n * kk + k) * outH + i) * outW, outW);
                }
            }
        });
    }

    /** xp[t] = x[row + t - pw], zero outside the row. */
    private static void paddedRow(ConvGeometry g, float[] x, int row, float[] xp) {
        int pw = g.padW(), lead = Math.min(xp.length, pw), body = Math.max(0, Math.min(g.w(), xp.length - pw));
        java.util.Arrays.fill(xp, 0, lead, 0f);
        System.arraycopy(x, row, xp, lead, body);
        java.util.Arrays.fill(xp, lead + body, xp.length, 0f);
    }

    /** acc[a + j] += sum_s w[wi + s] xp[j + s] for j < q: the S taps of one kernel row. */
    private static void accumulateRow(float[] xp, float[] w, int wi, int ss, float[] acc, int a, int q) {
        int j = 0;
        for (; j + L <= q; j += L) {
            FloatVector v = FloatVector.fromArray(SPECIES, acc, a + j);
            for (int s = 0; s < ss; s++) {
                v = FloatVector.fromArray(SPECIES, xp, j + s).fma(FloatVector.broadcast(SPECIES, w[wi + s]), v);
            }
            v.intoArray(acc, a + j);
        }
        for (; j < q; j++) {
            float t = acc[a + j];
            for (int s = 0; s < ss; s++) {
                t += w[wi + s] * xp[j + s];
            }
            acc[a + j] = t;
        }
    }

    /** dw += dy (*) x over the whole batch; input channels run in parallel (each owns dw[:, c]). */
    static void weightGradient(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        long work = (long) g.n() * g.k() * g.r() * g.s() * g.outH() * g.outW();
        Parallel.forRange(g.c(), work, (from, to) -> {
            float[] lanes = new float[g.s() * g.k() * L];
            float[] tails = new float[g.s() * g.k()];
            for (int c = from; c < to; c++) {
                for (int r = 0; r < g.r(); r++) {
                    java.util.Arrays.fill(lanes, 0f);
                    java.util.Arrays.fill(tails, 0f);
                    for (int n = 0; n < g.n(); n++) {
                        accumulateRows(g, x, dy, n, c, r, lanes, tails);
                    }
                    for (int s = 0; s < g.s(); s++) {
                        for (int k = 0; k < g.k(); k++) {
                            int a = s * g.k() + k;
                            float sum = FloatVector.fromArray(SPECIES, lanes, a * L).reduceLanes(VectorOperators.ADD);
                            dw[((k * g.c() + c) * g.r() + r) * g.s() + s] += sum + tails[a];
                        }
                    }
                }
            }
        });
    }

    /** lanes[s][k] += dy[n][k][i][j] x[n][c][i sh + r - ph][j + s - pw] over every output row i and valid j. */
    private static void accumulateRows(ConvGeometry g, float[] x, float[] dy, int n, int c, int r,
                                       float[] lanes, float[] tails) {
        int outH = g.outH(), outW = g.outW(), kk = g.k();
        int xPlane = (n * g.c() + c) * g.h() * g.w(), dyImage = n * kk * outH * outW;
        for (int i = 0; i < outH; i++) {
            int iy = i * g.strideH() + r - g.padH();
            if (iy < 0 || iy >= g.h()) {
                continue;
            }
            int xRow = xPlane + iy * g.w();
            for (int s = 0; s < g.s(); s++) {
                int shift = s - g.padW();
                // Output columns whose input column j + shift lies inside the row.
                int j0 = Math.max(0, -shift), j1 = Math.min(outW, g.w() - shift);
                int vecEnd = j0 + Math.max(0, j1 - j0) / L * L;
                for (int k = 0; k < kk; k++) {
                    int a = s * kk + k, dyRow = dyImage + (k * outH + i) * outW;
                    FloatVector acc = FloatVector.fromArray(SPECIES, lanes, a * L);
                    for (int j = j0; j < vecEnd; j += L) {
                        acc = FloatVector.fromArray(SPECIES, dy, dyRow + j)
                                .fma(FloatVector.fromArray(SPECIES, x, xRow + j + shift), acc);
                    }
                    acc.intoArray(lanes, a * L);
                    float t = 0f;
                    for (int j = vecEnd; j < j1; j++) {
                        t += dy[dyRow + j] * x[xRow + j + shift];
                    }
                    tails[a] += t;
                }
            }
        }
    }
}
