package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.Storage;

import java.util.Iterator;
import java.util.Map;
import java.util.WeakHashMap;

import static dev.pixelgrad.kernels.ClRuntime.buf;

/**
 * 3x3, stride-1 convolutions on the device by Winograd's F(4x4, 3x3), or F(2x2, 3x3) for small
 * outputs (the same choice as the Java backend's {@code Winograd}); the kernels and the algebra
 * are in {@code winograd.cl}.
 * <pre>
 * x: (N, C, H, W)   w: (K, C, 3, 3)   y: (N, K, OH, OW); a = m + 2 for m x m output tiles
 * weights   U = G w G^T          winograd_weights_f*, kept per weight buffer until it is written
 * per chunk of tiles:
 *   input   V = B^T d B          winograd_input_f*
 *   product M[xi] = U[xi] V[xi]  a^2 products (K x T, depth C): winograd_product on CPUs (register
 *                                tiles, like conv_forward), the tiled GEMM with local tiles
 *   output  y (+)= A^T M A (+ b)  winograd_output_f*
 * </pre>
 * Backward to the data is the forward of {@link ConvGeometry#transposedForData()}: dy convolved
 * with w rotated 180 degrees and its channels swapped (transformed by the same kernel, with a
 * flag), added into dx.
 */
final class ClWinograd {
    /** Fewer channels than this on either side: the products are too shallow to pay for the transforms. */
    static final int MIN_CHANNELS = 32;
    /** Outputs of at most this many positions use F(2x2): F(4x4) would leave too few tiles to share out. */
    static final int SMALL_OUTPUT = 16 * 16;
    /**
     * Floats of V and M per chunk of tiles. CPUs: small enough that a chunk's V and M are still in
     * the caches when the product and the output transform read them (on 2 cores of POCL, 2^20
     * ran the conv3x3 shapes 0-15 % faster than 2^21, and 2^23 up to a quarter slower at 64@224²).
     * Devices with local tiles: large, so that each product has many tiles to spread over the device.
     */
    private static final long CHUNK_FLOATS_CPU = 1L << 20, CHUNK_FLOATS_GPU = 1L << 25;
    /** Multiply-adds (channels x tile blocks) a product work-item walks through at least, on CPUs. */
    private static final int PRODUCT_STEPS = 4096;
    /**
     * Work-groups per transform launch and compute unit on CPUs: enough to share out, few enough
     * that starting them costs little (at 512 channels of 28 x 28, 16 took both transforms from
     * about 3.1 to 2.4 ms against 128, on 2 cores of POCL).
     */
    private static final long TRANSFORM_GROUPS = 16;

    private final ClRuntime rt;
    private final ClGemm gemm;
    private final Tuning tuning;
    /** Transformed weights per weight buffer, for the forward and for the backward to the data. */
    private final Map<OpenClStorage, Transformed> forward = new WeakHashMap<>(), rotated = new WeakHashMap<>();

    /** U of a weight buffer, made when the buffer had {@code stamp}, for m x m tiles and blocks of kt channels. */
    private record Transformed(long stamp, int m, int outs, int ins, int kt, OpenClStorage u) {
    }

    ClWinograd(ClRuntime rt, ClGemm gemm) {
        this.rt = rt;
        this.gemm = gemm;
        this.tuning = rt.tuning();
    }

    /** 3x3, stride 1, padding at most 2 (so backward to the data is one too), enough channels. */
    static boolean suits(ConvGeometry g) {
        return g.suitsWinograd(MIN_CHANNELS);
    }

    /** The output tile size m: 4, or 2 for outputs of at most {@link #SMALL_OUTPUT} positions. */
    static int tileFor(int outH, int outW) {
        return (long) outH * outW <= SMALL_OUTPUT ? 2 : 4;
    }

    /** y = conv(x, w) + bias (bias may be null). */
    void forward(ConvGeometry g, Storage x, Storage w, Storage bias, Storage y) {
        int m = tileFor(g.outH(), g.outW());
        convolve(m, g, buf(x), weights(m, buf(w), g.k(), g.c(), false), bias, buf(y), false);
    }

    /** dx += conv_transpose(dy, w). */
    void backwardData(ConvGeometry g, Storage dy, Storage w, Storage dx) {
        // forward: y = conv(x, w)  =>  dx += conv(dy, w rotated 180 degrees, channels swapped), padding 2 - p
        ConvGeometry t = g.transposedForData();
        int m = tileFor(t.outH(), t.outW());
        convolve(m, t, buf(dy), weights(m, buf(w), g.c(), g.k(), true), null, buf(dx), true);
    }

    /** Whether the products go through the tiled GEMM (devices with local tiles) rather than winograd_product. */
    private boolean byGemm() {
        return tuning.localTiles() > 0;
    }

    /** Output channels side by side in U and M: winograd_product's 16 VK, or 1 (plain rows) for the GEMM. */
    private int kt() {
        return byGemm() ? 1 : tuning.channelsPerTile();
    }

    /**
     * U of w for m x m tiles: outs x ins filters, w of (outs, ins, 3, 3), or rotated of (ins, outs,
     * 3, 3). Kept while w's write stamp stays (frozen VGG weights transform once); a written w
     * (training) is transformed again, into the same buffer.
     */
    private synchronized OpenClStorage weights(int m, OpenClStorage w, int outs, int ins, boolean rotate) {
        Map<OpenClStorage, Transformed> cache = rotate ? rotated : forward;
        dropReleased(cache);
        int kt = kt(), a = m + 2;
        long stamp = w.writeStamp(), size = (long) a * a * roundUp(outs, kt) * ins;
        Transformed t = cache.get(w);
        if (t != null && t.stamp == stamp && t.m == m && t.outs == outs && t.ins == ins && t.kt == kt) {
            return t.u;
        }
        OpenClStorage u = t != null && t.u.size() == size ? t.u : null;
        if (u == null) {
            if (t != null) {
                t.u.release();
            }
            u = rt.allocate(size);
        }
        rt.run(rt.call("winograd_weights_f" + m).in(w).mem(u).i32(outs).i32(ins).i32(rotate),
                new long[]{roundUp(outs, kt), ins}, new long[]{16, 1});
        cache.put(w, new Transformed(stamp, m, outs, ins, kt, u));
        return u;
    }

    /** Frees the transforms of weight buffers that were released. */
    private static void dropReleased(Map<OpenClStorage, Transformed> cache) {
        for (Iterator<Map.Entry<OpenClStorage, Transformed>> it = cache.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<OpenClStorage, Transformed> e = it.next();
            if (e.getKey().isReleased()) {
                e.getValue().u.release();
                it.remove();
            }
        }
    }

    /** y (+)= conv(x) with transformed weights u (+ bias), chunk by chunk of tile rows over the whole batch. */
    private void convolve(int m, ConvGeometry g, OpenClStorage x, OpenClStorage u, Storage bias, OpenClStorage y,
                          boolean accumulate) {
        int a = m + 2, c = g.c(), k = g.k(), kt = kt(), kp = roundUp(k, kt), lanes = tuning.winogradLanes();
        int tilesH = ceilDiv(g.outH(), m), tilesW = ceilDiv(g.outW(), m), tileRows = g.n() * tilesH;
        long budget = byGemm() ? CHUNK_FLOATS_GPU : CHUNK_FLOATS_CPU;
        int chunkRows = (int) Math.max(1, Math.min(tileRows, budget / ((long) a * a * (c + kp) * tilesW)));
        OpenClStorage v = rt.scratch("winogradV", (long) a * a * c * paddedTiles(chunkRows * tilesW));
        // The output transform reads whole vectors of tiles, up to WL - 1 past the last: slack for those.
        OpenClStorage mm = rt.scratch("winogradM", (long) a * a * kp * paddedTiles(chunkRows * tilesW) + lanes);
        OpenClStorage b = bias == null ? mm : buf(bias);
        long[] local = byGemm() ? new long[]{32, 1, 1} : new long[]{1, 1, 1};
        for (int row0 = 0; row0 < tileRows; row0 += chunkRows) {
            int rows = Math.min(chunkRows, tileRows - row0), tp = paddedTiles(rows * tilesW);
            // CPUs: about TRANSFORM_GROUPS work-items per compute unit, each walking channels.
            long segments = (long) ceilDiv(tilesW, lanes) * rows, groups = TRANSFORM_GROUPS * Math.max(1, rt.device().computeUnits());
            int channelsPerItem = byGemm() ? 1 : (int) Math.max(1, Math.min(c, c * segments / groups));
            int outputsPerItem = byGemm() ? 1 : (int) Math.max(1, Math.min(k, k * segments / groups));
            rt.run(rt.call("winograd_input_f" + m).in(x).mem(v).i32(c).i32(g.h()).i32(g.w()).i32(tilesH).i32(tilesW)
                    .i32(g.padH()).i32(g.padW()).i32(row0).i32(tp).i32(channelsPerItem),
                    new long[]{ceilDiv(tilesW, lanes), ceilDiv(c, channelsPerItem), rows}, local);
            if (byGemm()) {
                for (int xi = 0; xi < a * a; xi++) {
                    gemm.gemm(false, false, k, tp, c, 1f, u, (long) xi * k * c, v, (long) xi * c * tp, 0f, mm, (long) xi * k * tp);
                }
            } else {
                int pt = tuning.px(), tblocks = ceilDiv(rows * tilesW, pt), kblocks = kp / kt;
                int perItem = Math.min(tblocks, Math.max(1, PRODUCT_STEPS / c));
                rt.run(rt.call("winograd_product").in(u).in(v).mem(mm).i32(c).i32(kblocks).i32(tblocks).i32(tp)
                                .i32(perItem), new long[]{ceilDiv(tblocks, perItem), kblocks, (long) a * a}, new long[]{1, 1, 1});
            }
            rt.run(rt.call("winograd_output_f" + m).in(mm).i32(kp).i32(tp).in(b).mem(y)
                    .i32(k).i32(g.outH()).i32(g.outW()).i32(tilesH).i32(tilesW).i32(row0).i32(accumulate).i32(bias != null)
                    .i32(outputsPerItem), new long[]{ceilDiv(tilesW, lanes), ceilDiv(k, outputsPerItem), rows}, local);
        }
    }

    /**
     * Tiles of a chunk of {@code tiles} as V and M hold them: room for winograd_product's whole
     * blocks of PX tiles, and for whole vectors of the input transform.
     */
    private int paddedTiles(int tiles) {
        return byGemm() ? tiles : roundUp(roundUp(tiles, tuning.px()), tuning.winogradLanes());
    }

    private static int ceilDiv(int n, int d) {
        return (n + d - 1) / d;
    }

    private static int roundUp(int n, int to) {
        return ceilDiv(n, to) * to;
    }
}
