package dev.pixelgrad.tensor.cpu;

import jdk.incubator.vector.FloatVector;

import static dev.pixelgrad.tensor.cpu.MicroKernel.L;
import static dev.pixelgrad.tensor.cpu.MicroKernel.SPECIES;

/**
 * Every row of one of Winograd's transform matrices applied along a vector stream:
 * <pre>
 *   dst[dOff + r dStep + u] = sum_j matrix[r][j] src[off + offs[j] + u]     for each row r, u &lt; len
 * </pre>
 * the values at offs[] being one tile's a inputs, for a run of tiles side by side. F(4x4)'s B^T and
 * A^T go through butterflies written out by hand ({@link F4Input}, {@link F4Output}); other
 * matrices through their nonzero terms ({@link Terms}).
 */
interface TransformRows {

    /** The rows for a stream of len floats, len a multiple of L. */
    void apply(float[] src, int off, int len, float[] dst, int dOff, int dStep);

    /** The rows of matrix reading value j at offs[j]: butterflies for F(4x4)'s matrices, terms otherwise. */
    static TransformRows of(float[][] matrix, int[] offs) {
        if (matrix == Winograd.F4.bt()) {
            return new F4Input(offs.clone());
        }
        if (matrix == Winograd.F4.at()) {
            return new F4Output(offs.clone());
        }
        return new Terms(matrix, offs);
    }

    /**
     * Each row as the terms of a weighted sum: its nonzero coefficients and the offsets of the
     * values they weigh. A third of F(4x4)'s input-transform coefficients are zero; leaving them
     * out skips their multiply-adds without a branch.
     */
    final class Terms implements TransformRows {
        private final float[][] coef;
        private final int[][] offs;

        Terms(float[][] matrix, int[] valueOffs) {
            coef = new float[matrix.length][];
            offs = new int[matrix.length][];
            for (int r = 0; r < matrix.length; r++) {
                int n = 0;
                for (float v : matrix[r]) {
                    n += v != 0f ? 1 : 0;
                }
                coef[r] = new float[n];
                offs[r] = new int[n];
                for (int j = 0, t = 0; j < matrix[r].length; j++) {
                    if (matrix[r][j] != 0f) {
                        coef[r][t] = matrix[r][j];
                        offs[r][t++] = valueOffs[j];
                    }
                }
            }
        }

        @Override
        public void apply(float[] src, int off, int len, float[] dst, int dOff, int dStep) {
            for (int r = 0; r < coef.length; r++) {
                weightedSum(coef[r], offs[r], src, off, len, dst, dOff + r * dStep);
            }
        }

        /**
         * One row. Kept small and without branches: C2 then keeps the vectors in registers; a
         * branch in the loop made it box them on the heap, 3x slower.
         */
        private static void weightedSum(float[] coef, int[] offs, float[] src, int off, int len, float[] dst, int d) {
            for (int u = 0; u < len; u += L) {
                FloatVector acc = FloatVector.zero(SPECIES);
                for (int j = 0; j < coef.length; j++) {
                    acc = FloatVector.fromArray(SPECIES, src, off + offs[j] + u).fma(FloatVector.broadcast(SPECIES, coef[j]), acc);
                }
                acc.intoArray(dst, d + u);
            }
        }
    }

    /**
     * B^T of F(4x4) (points 0, +-1, +-2, infinity). The rows of each pair of opposite points share
     * their even part and differ in the sign of their odd part, so six loads and 14 vector
     * operations give all six rows, where their terms take 22 loads and 22 multiply-adds:
     * <pre>
     *   r0 = 4 d0 - 5 d2 + d4                r5 = 4 d1 - 5 d3 + d5
     *   r1 = (d3 + d4) - 4 (d1 + d2)         r2 = (d4 - d3) + 4 (d1 - d2)
     *   r3 = (d4 - d2) + 2 (d3 - d1)         r4 = (d4 - d2) - 2 (d3 - d1)
     * </pre>
     */
    record F4Input(int[] offs) implements TransformRows {
        @Override
        public void apply(float[] src, int off, int len, float[] dst, int dOff, int dStep) {
            int o0 = off + offs[0], o1 = off + offs[1], o2 = off + offs[2], o3 = off + offs[3], o4 = off + offs[4], o5 = off + offs[5];
            FloatVector two = FloatVector.broadcast(SPECIES, 2f), four = FloatVector.broadcast(SPECIES, 4f);
            FloatVector minusTwo = FloatVector.broadcast(SPECIES, -2f), minusFour = FloatVector.broadcast(SPECIES, -4f);
            FloatVector minusFive = FloatVector.broadcast(SPECIES, -5f);
            for (int u = 0; u < len; u += L) {
                FloatVector d0 = FloatVector.fromArray(SPECIES, src, o0 + u), d1 = FloatVector.fromArray(SPECIES, src, o1 + u);
                FloatVector d2 = FloatVector.fromArray(SPECIES, src, o2 + u), d3 = FloatVector.fromArray(SPECIES, src, o3 + u);
                FloatVector d4 = FloatVector.fromArray(SPECIES, src, o4 + u), d5 = FloatVector.fromArray(SPECIES, src, o5 + u);
                d2.fma(minusFive, d0.fma(four, d4)).intoArray(dst, dOff + u);
                d1.add(d2).fma(minusFour, d3.add(d4)).intoArray(dst, dOff + dStep + u);
                d1.sub(d2).fma(four, d4.sub(d3)).intoArray(dst, dOff + 2 * dStep + u);
                FloatVector even = d4.sub(d2), odd = d3.sub(d1);
                odd.fma(two, even).intoArray(dst, dOff + 3 * dStep + u);
                odd.fma(minusTwo, even).intoArray(dst, dOff + 4 * dStep + u);
                d3.fma(minusFive, d1.fma(four, d5)).intoArray(dst, dOff + 5 * dStep + u);
            }
        }
    }

    /**
     * A^T of F(4x4): every row weighs m1, m2 by the same amount or opposite amounts, and m3, m4
     * likewise, so their sums and differences serve all four rows: six loads and ten vector
     * operations where the terms take 18 of each.
     * <pre>
     *   o0 = m0 + (m1 + m2) + (m3 + m4)      o1 = (m1 - m2) + 2 (m3 - m4)
     *   o2 = (m1 + m2) + 4 (m3 + m4)         o3 = (m1 - m2) + 8 (m3 - m4) + m5
     * </pre>
     */
    record F4Output(int[] offs) implements TransformRows {
        @Override
        public void apply(float[] src, int off, int len, float[] dst, int dOff, int dStep) {
            int o0 = off + offs[0], o1 = off + offs[1], o2 = off + offs[2], o3 = off + offs[3], o4 = off + offs[4], o5 = off + offs[5];
            FloatVector two = FloatVector.broadcast(SPECIES, 2f), four = FloatVector.broadcast(SPECIES, 4f);
            FloatVector eight = FloatVector.broadcast(SPECIES, 8f);
            for (int u = 0; u < len; u += L) {
                FloatVector m1 = FloatVector.fromArray(SPECIES, src, o1 + u), m2 = FloatVector.fromArray(SPECIES, src, o2 + u);
                FloatVector m3 = FloatVector.fromArray(SPECIES, src, o3 + u), m4 = FloatVector.fromArray(SPECIES, src, o4 + u);
                FloatVector s12 = m1.add(m2), d12 = m1.sub(m2), s34 = m3.add(m4), d34 = m3.sub(m4);
                FloatVector.fromArray(SPECIES, src, o0 + u).add(s12).add(s34).intoArray(dst, dOff + u);
                d34.fma(two, d12).intoArray(dst, dOff + dStep + u);
                s34.fma(four, s12).intoArray(dst, dOff + 2 * dStep + u);
                d34.fma(eight, d12.add(FloatVector.fromArray(SPECIES, src, o5 + u))).intoArray(dst, dOff + 3 * dStep + u);
            }
        }
    }
}
