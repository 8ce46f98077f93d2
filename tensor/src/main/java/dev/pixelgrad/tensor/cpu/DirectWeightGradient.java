package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a convolution with few output channels, without columns.
 * <pre>
 * x: (N, C, H, W)   dy: (N, K, P, Q)   dw: (K, C, R, S), stride 1 along W
 * dw[k][c][r][s] += sum_n sum_i sum_j dy[n][k][i][j] x[n][c][i sh + r - ph][j + s - pw]
 * </pre>
 * Through the GEMM, every element of the im2col matrix (C R S x P Q, 170 M floats for a 9x9
 * layer to RGB at 256 x 256) is written, packed and read for only 2 K flops: with K = 3 the
 * product is all memory traffic. Here each (c, r, output row i) keeps one input row and the K
 * rows of dy in L1 and runs the S K dot products along j over them, in vector lanes that are
 * summed only once per (c, r).
 */
final class DirectWeightGradient {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    /** Output channels up to which this beats columns and GEMM (2 K flops per column element). */
    static final int K_MAX = 8;

    private DirectWeightGradient() {
    }

    static boolean suits(ConvGeometry g) {
        return g.k() <= K_MAX && g.strideW() == 1;
    }

    /** dw += dy (*) x over the whole batch; input channels run in parallel (each owns dw[:, c]). */
    static void accumulate(ConvGeometry g, float[] x, float[] dy, float[] dw) {
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
