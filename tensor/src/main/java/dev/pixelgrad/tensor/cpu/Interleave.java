package dev.pixelgrad.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.pixelgrad.tensor.cpu.MicroKernel.L;
import static dev.pixelgrad.tensor.cpu.MicroKernel.SPECIES;

/**
 * Moves between a row of m-interleaved values (..., t m + 0, ..., t m + m - 1, ...) and m planes
 * of t-consecutive values, for Winograd's tiles of m columns: its input rows are split by phase,
 * its outputs merged back into image rows.
 * <pre>
 * split: plane[j][t] = row[t m + j]        merge: row[t m + j] (+)= plane[j][t] + b
 * </pre>
 * Both go a vector at a time by gathering loads (vgatherdps), about twice as fast as element by
 * element on AVX-512 and a third faster on AVX2; lane permutations of whole vectors were no faster
 * on JDK 17, which does not keep the permutation tables in registers.
 */
final class Interleave {
    /** EVERY[m]: lane l reads element l m, for the tile sizes Winograd uses. */
    private static final int[][] EVERY = new int[5][];

    static {
        for (int m = 1; m < EVERY.length; m++) {
            EVERY[m] = new int[L];
            for (int l = 0; l < L; l++) {
                EVERY[m][l] = l * m;
            }
        }
    }

    private Interleave() {
    }

    /** dst[d + j planeStride + t] = src[s + t m + j] for j < m, t < count. */
    static void split(float[] src, int s, int m, int count, float[] dst, int d, int planeStride) {
        int[] every = m < EVERY.length ? EVERY[m] : null;
        for (int j = 0; j < m; j++) {
            int t = 0;
            for (; every != null && t + L <= count; t += L) {
                FloatVector.fromArray(SPECIES, src, s + t * m + j, every, 0).intoArray(dst, d + j * planeStride + t);
            }
            for (; t < count; t++) {
                dst[d + j * planeStride + t] = src[s + t * m + j];
            }
        }
    }

    /** Where a merge gathers each lane of an m L-long stretch of the row from, relative to its planes' start. */
    static int[] mergeIndex(int m, int planeStride) {
        int[] index = new int[m * L];
        for (int e = 0; e < index.length; e++) {
            index[e] = e % m * planeStride + e / m;
        }
        return index;
    }

    /**
     * dst[d + t m + j] (+)= src[s + j planeStride + t] + b for j < m, t < count, with index from
     * {@link #mergeIndex}(m, planeStride).
     */
    static void merge(float[] src, int s, int planeStride, int m, int count, float b, int[] index,
                      float[] dst, int d, boolean accumulate) {
        int t = 0;
        for (; t + L <= count; t += L) {
            for (int r = 0; r < m; r++) {
                int at = d + t * m + r * L;
                FloatVector out = FloatVector.fromArray(SPECIES, src, s + t, index, r * L).add(b);
                if (accumulate) {
                    out = out.add(FloatVector.fromArray(SPECIES, dst, at));
                }
                out.intoArray(dst, at);
            }
        }
        for (int j = 0; j < m; j++) {
            for (int u = t; u < count; u++) {
                int i = d + u * m + j;
                dst[i] = (accumulate ? dst[i] : 0f) + src[s + j * planeStride + u] + b;
            }
        }
    }
}
