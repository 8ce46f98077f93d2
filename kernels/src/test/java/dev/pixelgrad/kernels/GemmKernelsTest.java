package dev.pixelgrad.kernels;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static dev.pixelgrad.kernels.OpenClTestSupport.check;
import static dev.pixelgrad.kernels.OpenClTestSupport.random;

/** GEMM with every transpose, offsets, alpha and beta; Gram matrices; sizes off the tile grid. */
@Tag("opencl")
class GemmKernelsTest {

    @ParameterizedTest
    @CsvSource({
            "false, false, 7, 5, 3",
            "false, true, 13, 9, 33",
            "true, false, 5, 17, 31",
            "true, true, 9, 6, 47",
            "false, false, 1, 1, 1",
            "true, true, 33, 31, 5000",
            "false, true, 64, 50, 4099"})
    void gemm(boolean transA, boolean transB, int m, int n, int k) {
        Random rnd = new Random(m * 31 + n * 7 + k);
        int offA = 3, offB = 5, offC = 2;
        float[] a = random(rnd, offA + m * k + 4), b = random(rnd, offB + k * n + 1), c = random(rnd, offC + m * n + 3);
        for (float[] ab : new float[][]{{1f, 0f}, {-0.5f, 1f}, {2f, 0.25f}}) {
            check("gemm transA=" + transA + " transB=" + transB + " " + m + "x" + n + "x" + k + " alpha=" + ab[0] + " beta=" + ab[1],
                    1e-4, (be, t) -> be.gemm(transA, transB, m, n, k, ab[0], t[0], offA, t[1], offB, ab[1], t[2], offC), a, b, c);
        }
    }

    /**
     * Wide products with B untransposed over whole buffers, which CPU devices compute as a 1x1
     * convolution (a Gram's backward): both layouts of A, alpha, beta 0 (over NaN) and 1, widths
     * off any tile.
     */
    @ParameterizedTest
    @CsvSource({"false, 64, 4100, 64", "true, 64, 4100, 64", "false, 5, 1024, 37", "true, 33, 2051, 3"})
    void wideProductsOverWholeBuffers(boolean transA, int m, int n, int k) {
        Random rnd = new Random(m + n + k);
        float[] a = random(rnd, m * k), b = random(rnd, k * n), c = random(rnd, m * n);
        for (float[] ab : new float[][]{{1f, 1f}, {-0.5f, 1f}, {2f, 0f}}) {
            float[] start = c.clone();
            if (ab[1] == 0f) {
                java.util.Arrays.fill(start, Float.NaN); // beta 0: C is not read
            }
            check("wide gemm transA=" + transA + " " + m + "x" + n + "x" + k + " alpha=" + ab[0] + " beta=" + ab[1],
                    1e-4, (be, t) -> be.gemm(transA, false, m, n, k, ab[0], t[0], 0, t[1], 0, ab[1], t[2], 0), a, b, start);
        }
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        Random rnd = new Random(1);
        float[] a = random(rnd, 12), b = random(rnd, 12), c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        check("gemm beta=0 over NaN", 1e-5, (be, t) -> be.gemm(false, false, 3, 3, 4, 1f, t[0], 0, t[1], 0, 0f, t[2], 0), a, b, c);
    }

    @ParameterizedTest
    @CsvSource({"3, 5", "17, 100", "64, 4096", "37, 70001", "130, 300"})
    void gram(int c, int m) {
        Random rnd = new Random(c + m);
        int offF = 7, offG = 1;
        float[] f = random(rnd, offF + c * m), g = random(rnd, offG + c * c + 2);
        check("gram c=" + c + " m=" + m, 1e-4, (be, t) -> be.gram(t[0], offF, c, m, 1f / m, t[1], offG), f, g);
    }

    /** Per-sample Grams of a (N, C, M) batch, as Ops.gram runs them: sample n at offsets n C M and n C C. */
    @Test
    void gramPerSampleOfABatch() {
        int n = 4, c = 19, m = 333;
        Random rnd = new Random(n * c * m);
        float[] f = random(rnd, n * c * m), g = random(rnd, n * c * c);
        check("gram per sample n=" + n + " c=" + c + " m=" + m, 1e-4, (be, t) -> {
            for (int i = 0; i < n; i++) {
                be.gram(t[0], i * c * m, c, m, 1f / (c * m), t[1], i * c * c);
            }
        }, f, g);
    }
}
