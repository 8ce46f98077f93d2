package dev.pixelgrad.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Map;
import java.util.WeakHashMap;

import static dev.pixelgrad.tensor.cpu.MicroKernel.MR;
import static dev.pixelgrad.tensor.cpu.MicroKernel.SPECIES;

/**
 * Winograd's transformed weights U = G w G^T ({@link Winograd}): computed in double precision,
 * stored in Gemm's packed left layout, and cached per weight array while its values stay the same.
 */
final class WinogradWeights {
    private static final Map<float[], Cached> FORWARD = new WeakHashMap<>(), ROTATED = new WeakHashMap<>();

    /** Transformed weights and a fingerprint of the values they came from, to notice a weight changed in place. */
    private record Cached(long fingerprint, int outs, float[] u) {
    }

    private WinogradWeights() {
    }

    /**
     * U of w, from the cache when w is the same array holding the same values as last time (VGG's
     * frozen weights); a changed weight (training) is transformed again. The values are checked by
     * a 64-bit fingerprint of all of w, at memory speed on every core: far cheaper than the
     * transform, and no copy of the weights is kept (U is already four times their size).
     */
    static synchronized float[] cached(Winograd.Tile tile, float[] w, int outs, int ins, boolean rotated) {
        Map<float[], Cached> cache = rotated ? ROTATED : FORWARD;
        Cached c = cache.get(w);
        long print = fingerprint(w);
        if (c != null && c.outs == outs && c.u.length == tile.alpha() * tile.alpha() * PackedWeights.size(outs, ins)
                && c.fingerprint == print) {
            return c.u;
        }
        float[] u = transform(tile, w, outs, ins, rotated);
        cache.put(w, new Cached(print, outs, u));
        return u;
    }

    /**
     * A 64-bit fingerprint of the values' bit patterns: per lane a polynomial hash (h = h P + bits,
     * wrapping) over each thread's share, the shares and lanes then mixed in order. Any change of a
     * value changes it but with a chance of 2^-64 or so; it is not meant to resist a chosen collision.
     */
    static long fingerprint(float[] w) {
        int parts = (int) Math.min(Parallel.threads(), Gemm.ceilDiv(w.length, 1 << 16));
        long[] prints = new long[parts];
        Parallel.forTasks(parts, t -> prints[t] = fingerprint(w, Gemm.split(w.length, parts, t), Gemm.split(w.length, parts, t + 1)));
        long h = w.length;
        for (long p : prints) {
            h = mix(h * 0x9E3779B97F4A7C15L + p);
        }
        return h;
    }

    private static final VectorSpecies<Integer> INTS =
            VectorSpecies.of(int.class, SPECIES.vectorShape());

    private static long fingerprint(float[] w, int from, int to) {
        IntVector h = IntVector.zero(INTS);
        int i = from, lanes = INTS.length();
        for (; i + lanes <= to; i += lanes) {
            IntVector bits = FloatVector.fromArray(SPECIES, w, i).reinterpretAsInts();
            h = h.mul(0x01000193).add(bits);
        }
        long tail = 0;
        for (; i < to; i++) {
            tail = tail * 31 + Float.floatToRawIntBits(w[i]);
        }
        long out = mix(tail);
        for (int l = 0; l < lanes; l++) {
            out = mix(out * 0x9E3779B97F4A7C15L + h.lane(l));
        }
        return out;
    }

    /** SplitMix64's finaliser: every input bit reaches every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
