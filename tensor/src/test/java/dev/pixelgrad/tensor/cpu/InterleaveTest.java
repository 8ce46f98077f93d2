package dev.pixelgrad.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The vectorised moves between m-interleaved rows and m planes against element-by-element loops,
 * for every m Winograd uses and counts that leave a tail short of a vector (and none at all).
 */
class InterleaveTest {
    private static final int[] COUNTS = {0, 1, MicroKernel.L - 1, MicroKernel.L, 2 * MicroKernel.L + 3, 57};

    @Test
    void splitTakesEachPlanesValues() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int m = 1; m <= 5; m++) {
            for (int count : COUNTS) {
                int plane = count + 5;
                float[] row = GemmTest.random(rnd, 7 + count * m), got = GemmTest.random(rnd, 2 + m * plane);
                float[] want = got.clone();
                for (int j = 0; j < m; j++) {
                    for (int t = 0; t < count; t++) {
                        want[2 + j * plane + t] = row[7 + t * m + j];
                    }
                }
                Interleave.split(row, 7, m, count, got, 2, plane);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], "split m = " + m + ", count = " + count + ", element " + i);
                }
            }
        }
    }

    @Test
    void mergeWritesOrAddsEachPlanesValues() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (boolean accumulate : new boolean[]{false, true}) {
            for (int m = 1; m <= 5; m++) {
                for (int count : COUNTS) {
                    int plane = count + 3;
                    float[] planes = GemmTest.random(rnd, 1 + m * plane), got = GemmTest.random(rnd, 9 + count * m + 4);
                    float[] want = got.clone();
                    for (int j = 0; j < m; j++) {
                        for (int t = 0; t < count; t++) {
                            int i = 9 + t * m + j;
                            want[i] = (accumulate ? want[i] : 0f) + planes[1 + j * plane + t] + 0.25f;
                        }
                    }
                    Interleave.merge(planes, 1, plane, m, count, 0.25f, Interleave.mergeIndex(m, plane), got, 9, accumulate);
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], got[i], 1e-6f, "merge m = " + m + ", count = " + count + ", accumulate " + accumulate + ", element " + i);
                    }
                }
            }
        }
    }
}
