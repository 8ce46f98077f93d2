package dev.pixelgrad.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The blocked GEMM and Gram against plain double-precision loops, ragged sizes and all transposes. */
class GemmTest {
    private static final int[] SIZES = {1, 7, 17, 33, 100};
    private static final float SENTINEL = -12345f;

    /** C = alpha op(A) op(B) + beta C in double precision; returns the bound sum |alpha a b| + |beta c| per entry. */
    static double[] reference(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int offA,
                              float[] b, int offB, float beta, float[] c, int offC, double[] bound) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, abs = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[offA + p * m + i] : a[offA + i * k + p];
                    double bv = tb ? b[offB + j * k + p] : b[offB + p * n + j];
                    s += av * bv;
                    abs += Math.abs(av * bv);
                }
                double cv = beta == 0f ? 0 : c[offC + i * n + j];
                out[i * n + j] = alpha * s + beta * cv;
                bound[i * n + j] = Math.abs(alpha) * abs + Math.abs(beta * cv);
            }
        }
        return out;
    }

    static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }

    private static void check(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, SplittableRandom rnd) {
        int offA = 3, offB = 5, offC = 2;
        float[] a = random(rnd, offA + m * k + 4), b = random(rnd, offB + k * n + 4), c = random(rnd, offC + m * n + 4);
        if (beta == 0f) {
            // beta = 0 must not read C: garbage there must not leak into the result.
            java.util.Arrays.fill(c, offC, offC + m * n, Float.NaN);
        }
        c[0] = c[1] = SENTINEL;
        c[offC + m * n] = SENTINEL;
        double[] bound = new double[m * n];
        double[] want = reference(ta, tb, m, n, k, alpha, a, offA, b, offB, beta, c, offC, bound);
        Gemm.sgemm(ta, tb, m, n, k, alpha, a, offA, b, offB, beta, c, offC);
        String what = "sgemm(ta=" + ta + ", tb=" + tb + ", m=" + m + ", n=" + n + ", k=" + k
                + ", alpha=" + alpha + ", beta=" + beta + ")";
        assertEquals(SENTINEL, c[0], what + " wrote before C");
        assertEquals(SENTINEL, c[1], what + " wrote before C");
        assertEquals(SENTINEL, c[offC + m * n], what + " wrote past C");
        for (int i = 0; i < m * n; i++) {
            double err = Math.abs(c[offC + i] - want[i]);
            if (!(err <= 1e-6 * (k + 2) * bound[i] + 1e-30)) {
                fail(what + ": C[" + i / n + "][" + i % n + "] = " + c[offC + i] + ", expected " + want[i]);
            }
        }
    }

    @Test
    void allTransposesAndRaggedSizes() {
        SplittableRandom rnd = new SplittableRandom(1);
        float[][] alphaBeta = {{1f, 0f}, {0.5f, 1f}, {-2f, 0.25f}};
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                for (int m : SIZES) {
                    for (int n : SIZES) {
                        for (int k : SIZES) {
                            float[] ab = alphaBeta[(m + n + k) % alphaBeta.length];
                            check(ta, tb, m, n, k, ab[0], ab[1], rnd);
                        }
                    }
                }
            }
        }
    }

    @Test
    void largeShapesTakeEveryBlockingAndThreadingPath() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                check(ta, tb, 100, 130, 300, 1f, 0f, rnd);   // several depth blocks, split over columns
                check(ta, tb, 301, 40, 270, 0.5f, 1f, rnd);  // split over rows with B packed once and shared
                check(ta, tb, 7, 2100, 33, 1f, -1f, rnd);    // more than one column panel
                check(ta, tb, 200, 5, 1000, 2f, 0f, rnd);    // thin B
            }
        }
    }

    @Test
    void gramMatchesReferenceAndIsSymmetric() {
        checkGram(new int[]{1, 7, 33, 100}, new int[]{1, 17, 600, 3000});
    }

    /**
     * Few channels over many positions (the dot-product Gram; ragged blocks and a ragged vector
     * tail included), deep enough that the threads split the sum over m into one partial Gram
     * each; the surefire configuration runs four pool workers, so one worker may take two parts.
     */
    @Test
    void gramOfFewChannelsSplitOverTheDepthAcrossThreads() {
        checkGram(new int[]{37, 64}, new int[]{40000, 70001});
    }

    private static void checkGram(int[] cs, int[] ms) {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int c : cs) {
            for (int m : ms) {
                int offF = 4, offG = 3;
                float[] f = random(rnd, offF + c * m), g = random(rnd, offG + c * c + 1);
                g[offG + c * c] = SENTINEL;
                float alpha = 1f / m;
                double[] bound = new double[c * c];
                double[] want = reference(false, true, c, c, m, alpha, f, offF, f, offF, 0f, g, offG, bound);
                Gemm.gram(f, offF, c, m, alpha, g, offG);
                assertEquals(SENTINEL, g[offG + c * c], "gram wrote past G");
                for (int i = 0; i < c; i++) {
                    for (int j = 0; j < c; j++) {
                        float v = g[offG + i * c + j];
                        assertTrue(Math.abs(v - want[i * c + j]) <= 1e-6 * (m + 2) * bound[i * c + j] + 1e-30,
                                "gram(c=" + c + ", m=" + m + ") G[" + i + "][" + j + "] = " + v + ", expected " + want[i * c + j]);
                        assertEquals(g[offG + j * c + i], v, "gram(c=" + c + ", m=" + m + ") is not symmetric");
                    }
                }
            }
        }
    }
}
