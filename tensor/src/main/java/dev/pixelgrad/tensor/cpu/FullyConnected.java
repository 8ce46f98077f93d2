package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 1x1 convolution of 1x1 images, the form a fully connected layer takes here (Linear runs as
 * one): y (N, K) = x (N, C) W^T + b. With a handful of images the work is a matrix-vector product
 * per image, bound by reading W (411 MB for VGG's fc6), so the weights are streamed once for the
 * whole batch, each row of W dotted with every image while it is in cache, instead of once per
 * image and through GEMM packing.
 * <pre>
 * forward          y[n][k]  = W[k] . x[n] + b[k]         rows of W in parallel
 * backward data    dx[n][c] += sum_k dy[n][k] W[k][c]     rows of W added, scaled, into each dx[n]
 * backward weights dW[k][c] += sum_n dy[n][k] x[n][c]     rows of W in parallel
 * </pre>
 */
final class FullyConnected {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Images up to which streaming W beats the packed GEMM (which reuses W across images itself). */
    static final int MAX_IMAGES = 32;

    private FullyConnected() {
    }

    /** Whether g is a fully connected layer over few images. */
    static boolean suits(ConvGeometry g) {
        return Convolution.pointwise(g) && g.h() == 1 && g.w() == 1 && g.n() <= MAX_IMAGES;
    }

    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        int n = g.n(), c = g.c(), k = g.k();
        Parallel.forRange(k, (long) n * c, (from, to) -> {
            for (int o = from; o < to; o++) {
                for (int i = 0; i < n; i++) {
                    y[i * k + o] = dot(w, o * c, x, i * c, c) + (bias == null ? 0f : bias[o]);
                }
            }
        });
    }

    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        int n = g.n(), c = g.c(), k = g.k();
        // columns of dx in parallel, so no two threads add into the same element
        Parallel.forRange(c / SPECIES.length() + 1, (long) n * k * SPECIES.length(), (from, to) -> {
            int c0 = Math.min(c, from * SPECIES.length()), c1 = Math.min(c, to * SPECIES.length());
            for (int o = 0; o < k; o++) {
                for (int i = 0; i < n; i++) {
                    axpy(dy[i * k + o], w, o * c, dx, i * c, c0, c1);
                }
            }
        });
    }

    static void weightGradient(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        int n = g.n(), c = g.c(), k = g.k();
        Parallel.forRange(k, (long) n * c, (from, to) -> {
            for (int o = from; o < to; o++) {
                for (int i = 0; i < n; i++) {
                    axpy(dy[i * k + o], x, i * c, dw, o * c, 0, c);
                }
            }
        });
    }

    /** a[offA .. offA + len) . b[offB .. offB + len) */
    private static float dot(float[] a, int offA, float[] b, int offB, int len) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int j = 0;
        for (int end = SPECIES.loopBound(len); j < end; j += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, a, offA + j).fma(FloatVector.fromArray(SPECIES, b, offB + j), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            s += a[offA + j] * b[offB + j];
        }
        return s;
    }

    /** y[offY + j] += alpha x[offX + j] for j in [from, to). */
    private static void axpy(float alpha, float[] x, int offX, float[] y, int offY, int from, int to) {
        if (alpha == 0f) {
            return;
        }
        FloatVector a = FloatVector.broadcast(SPECIES, alpha);
        int j = from;
        for (int end = from + SPECIES.loopBound(to - from); j < end; j += SPECIES.length()) {
            a.fma(FloatVector.fromArray(SPECIES, x, offX + j), FloatVector.fromArray(SPECIES, y, offY + j)).intoArray(y, offY + j);
        }
        for (; j < to; j++) {
            y[offY + j] += alpha * x[offX + j];
        }
    }
}
