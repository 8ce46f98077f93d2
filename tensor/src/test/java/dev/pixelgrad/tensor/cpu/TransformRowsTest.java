package dev.pixelgrad.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Every tile's transform rows against the matrix product written as a plain loop in double
 * precision: the hand-written butterflies of F(4x4) and the generic terms of the others, with
 * scattered value offsets, a row step and nothing written outside the rows.
 */
class TransformRowsTest {
    private static final int LEN = 3 * MicroKernel.L;

    @Test
    void f4TakesTheButterfliesAndTheOthersTheTerms() {
        int[] offs = {0, 1, 2, 3, 4, 5};
        assertInstanceOf(TransformRows.F4Input.class, TransformRows.of(Winograd.F4.bt(), offs));
        assertInstanceOf(TransformRows.F4Output.class, TransformRows.of(Winograd.F4.at(), offs));
        assertInstanceOf(TransformRows.Terms.class, TransformRows.of(Winograd.F3.bt(), new int[5]));
        assertInstanceOf(TransformRows.Terms.class, TransformRows.of(Winograd.F2.at(), new int[4]));
    }

    @Test
    void everyTransformMatchesItsMatrix() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (Winograd.Tile tile : Winograd.TILES) {
            check("B^T of F(" + tile.m() + ")", tile.bt(), rnd);
            check("A^T of F(" + tile.m() + ")", tile.at(), rnd);
        }
    }

    private static void check(String what, float[][] matrix, SplittableRandom rnd) {
        int values = matrix[0].length, rows = matrix.length;
        // Value j lies at a scattered offset, a whole stream apart from the others.
        int[] offs = new int[values];
        for (int j = 0; j < values; j++) {
            offs[j] = (values - 1 - j) * (LEN + 7) + 3;
        }
        float[] src = GemmTest.random(rnd, values * (LEN + 7) + 3 + 5);
        int off = 2, dOff = 5, dStep = LEN + 4;
        float[] dst = new float[dOff + rows * dStep + 9];
        java.util.Arrays.fill(dst, Float.NaN);
        TransformRows.of(matrix, offs).apply(src, off, LEN, dst, dOff, dStep);
        for (int r = 0; r < rows; r++) {
            for (int u = 0; u < LEN; u++) {
                double want = 0;
                for (int j = 0; j < values; j++) {
                    want += (double) matrix[r][j] * src[off + offs[j] + u];
                }
                assertEquals(want, dst[dOff + r * dStep + u], 1e-5 * (1 + Math.abs(want)), what + ", row " + r + ", element " + u);
            }
            for (int u = LEN; u < dStep && r < rows - 1; u++) {
                assertEquals(Float.NaN, dst[dOff + r * dStep + u], what + ": wrote past row " + r);
            }
        }
    }
}
