package dev.pixelgrad.tensor.cpu;

import java.util.Map;
import java.util.WeakHashMap;

import static dev.pixelgrad.tensor.cpu.MicroKernel.MR;

/**
 * Winograd's transformed weights U = G w G^T ({@link Winograd}): computed in double precision,
 * stored in Gemm's packed left layout, and cached per weight array while its version stays the
 * same.
 */
final class WinogradWeights {
    /** The version of weights whose writes nobody counts: transformed afresh on every call. */
    static final long UNVERSIONED = -1;

    private static final Map<float[], Cached> FORWARD = new WeakHashMap<>(), ROTATED = new WeakHashMap<>();

    /** Transformed weights and the version of the values they came from. */
    private record Cached(long version, Winograd.Tile tile, int outs, float[] u) {
    }

    private WinogradWeights() {
    }

    /**
     * U of w, from the cache when w is the same array at the same version as last time (VGG's
     * frozen weights); weights written since (a training step: the Java backend counts every
     * kernel that may write a buffer, see JavaBackend#arr) are transformed again. The version
     * replaces a fingerprint of all of w, which cost a pass over the weights on every call: at
     * 512 channels 9.4 MB, 15-30 % of a 28 x 28 or 14 x 14 convolution.
     */
    static float[] cached(Winograd.Tile tile, float[] w, long version, int outs, int ins, boolean rotated) {
        if (version == UNVERSIONED) {
            return transform(tile, w, outs, ins, rotated);
        }
        synchronized (WinogradWeights.class) {
            Map<float[], Cached> cache = rotated ? ROTATED : FORWARD;
            Cached c = cache.get(w);
            if (c != null && c.version == version && c.tile == tile && c.outs == outs) {
                return c.u;
            }
        }
        float[] u = transform(tile, w, outs, ins, rotated);
        synchronized (WinogradWeights.class) {
            (rotated ? ROTATED : FORWARD).put(w, new Cached(version, tile, outs, u));
        }
        return u;
    }

    /**
     * U[xi][o][i] = (G f G^T)[xi] for the 3x3 filter f from input channel i to output channel o,
     * in double precision. Not rotated: f = w[o][i], w of (outs, ins, 3, 3). Rotated (backward to
     * the data): f[r][s] = w[i][o][2-r][2-s], w of (ins, outs, 3, 3). Each U[xi] is stored the way
     * Gemm packs a left operand ({@link PackedWeights}), so a product only copies it.
     */
    static float[] transform(Winograd.Tile tile, float[] w, int outs, int ins, boolean rotated) {
        int a = tile.alpha(), size = PackedWeights.size(outs, ins);
        double[][] gm = tile.g();
        float[] u = new float[a * a * size];
        Parallel.forRange(outs, (long) ins * a * a * 9, (from, to) -> {
            double[][] f = new double[3][3], gf = new double[a][3];
            for (int o = from; o < to; o++) {
                for (int i = 0; i < ins; i++) {
                    for (int r = 0; r < 3; r++) {
                        for (int s = 0; s < 3; s++) {
                            f[r][s] = rotated ? w[((i * outs + o) * 3 + 2 - r) * 3 + 2 - s] : w[((o * ins + i) * 3 + r) * 3 + s];
                        }
                    }
                    for (int p = 0; p < a; p++) {
                        for (int s = 0; s < 3; s++) {
                            gf[p][s] = gm[p][0] * f[0][s] + gm[p][1] * f[1][s] + gm[p][2] * f[2][s];
                        }
                    }
                    int at = PackedWeights.index(outs, ins, o, i);
                    for (int p = 0; p < a; p++) {
                        for (int q = 0; q < a; q++) {
                            double v = gf[p][0] * gm[q][0] + gf[p][1] * gm[q][1] + gf[p][2] * gm[q][2];
                            u[(p * a + q) * size + at] = (float) v;
                        }
                    }
                }
            }
        });
        return u;
    }

    /**
     * One U[xi] (outs x ins) at u[off], kept in Gemm's packed left layout: depth blocks of KC
     * columns, each a run of MR-row slivers (kc columns of MR floats), rows padded with zeros to
     * a multiple of MR. Gemm reads the blocks where they lie (they start on sliver and
     * depth-block boundaries); packLeft, a single copy, serves other callers.
     */
    record PackedWeights(float[] u, int off, int outs, int ins) implements Gemm.PrepackedLeft {

        static int size(int outs, int ins) {
            return Gemm.ceilDiv(outs, MR) * MR * ins;
        }

        /** Where U[o][i] lies: depth block pc, sliver o / MR, column i - pc, row o % MR. */
        static int index(int outs, int ins, int o, int i) {
            int pc = i / Gemm.KC * Gemm.KC, kc = Math.min(Gemm.KC, ins - pc);
            return pc * Gemm.ceilDiv(outs, MR) * MR + o / MR * MR * kc + (i - pc) * MR + o % MR;
        }

        @Override
        public float[] data() {
            return u;
        }

        @Override
        public int offset(int i0, int p0) {
            if (i0 % MR != 0 || p0 % Gemm.KC != 0) {
                throw new IllegalStateException("winograd: block (" + i0 + ", " + p0 + ") is not on the packed boundaries");
            }
            return off + index(outs, ins, i0, p0);
        }

        @Override
        public void packLeft(int i0, int mc, int p0, int kc, float[] dst, int dstOff) {
            if (i0 % MR != 0 || p0 % Gemm.KC != 0 || kc != Math.min(Gemm.KC, ins - p0)) {
                throw new IllegalStateException("winograd: block (" + i0 + ", " + p0 + ", " + kc + ") is not on the packed boundaries");
            }
            System.arraycopy(u, off + index(outs, ins, i0, p0), dst, dstOff, Gemm.ceilDiv(mc, MR) * MR * kc);
        }
    }
}
