package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;

import static dev.pixelgrad.tensor.cpu.MicroKernel.L;
import static dev.pixelgrad.tensor.cpu.MicroKernel.NR;

/**
 * 3x3, stride-1 convolutions by Winograd's minimal filtering F(m x m, 3 x 3) (Lavin and Gray,
 * "Fast Algorithms for Convolutional Neural Networks", 2016).
 * <pre>
 * x: (N, C, H, W)   w: (K, C, 3, 3)   y: (N, K, outH, outW)
 * The output is cut into m x m tiles; tile t reads an a x a patch d_t of x (a = m + 2).
 *   U[xi][k][c] = (G w[k][c] G^T)[xi]          a x a per filter, once per weight tensor (cached)
 *   V[xi][c][t] = (B^T d_t[c] B)[xi]           input transform
 *   M[xi]       = U[xi] V[xi]                  a^2 matrix products K x T, depth C (Gemm, vectorised)
 *   y_t[k]      = A^T M[.][k][t] A              output transform, m x m per tile
 * </pre>
 * Derivation, in one dimension: y[i] = sum_r w[r] x[i + r] for i < m is the product of two
 * polynomials in disguise. Evaluate x's and w's polynomials at a = m + 2 points, multiply the values
 * (a multiplies instead of 3 m) and interpolate back: B^T and G evaluate, A^T interpolates. In two
 * dimensions the transforms nest, and the a^2 products become a^2 independent matrix products over
 * the channels: (m + 2)^2 multiply-adds per m^2 outputs instead of 9 m^2, 2.25x fewer with m = 2,
 * 4x with m = 4. The price is rounding: the larger points (2, 4, 8) of F(4x4) amplify it.
 * <p>
 * Backward to the data is the same kind of convolution (ConvGeometry.transposedForData: weights
 * rotated, channels swapped, padding 2 - p), so it goes through the same code, adding into dx.
 */
final class Winograd {
    /**
     * A tile size with its transforms, for correlation y[i] = sum_r w[r] x[i + r]. bt is B^T
     * (a x a), g is G (a x 3), at is A^T (m x a).
     */
    record Tile(int m, float[][] bt, double[][] g, float[][] at) {
        int alpha() {
            return m + 2;
        }
    }

    /** F(2x2, 3x3): points 0, 1, -1 and infinity. */
    static final Tile F2 = new Tile(2,
            new float[][]{{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}},
            new double[][]{{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}},
            new float[][]{{1, 1, 1, 0}, {0, 1, -1, -1}});

    /**
     * F(3x3, 3x3): points 0, 1, -1, 2 and infinity. Its 3x3 tiles cut 14 x 14 (VGG's last block at
     * 224 px) into 25 tiles whose 30 columns fill one micro-tile of the products.
     */
    static final Tile F3 = new Tile(3,
            new float[][]{
                    {2, -1, -2, 1, 0},
                    {0, -2, -1, 1, 0},
                    {0, 2, -3, 1, 0},
                    {0, -1, 0, 1, 0},
                    {0, 2, -1, -2, 1}},
            new double[][]{
                    {1 / 2.0, 0, 0},
                    {-1 / 2.0, -1 / 2.0, -1 / 2.0},
                    {-1 / 6.0, 1 / 6.0, -1 / 6.0},
                    {1 / 6.0, 1 / 3.0, 2 / 3.0},
                    {0, 0, 1}},
            new float[][]{
                    {1, 1, 1, 1, 0},
                    {0, 1, -1, 2, 0},
                    {0, 1, 1, 4, 1}});

    /** F(4x4, 3x3): points 0, 1, -1, 2, -2 and infinity. */
    static final Tile F4 = new Tile(4,
            new float[][]{
                    {4, 0, -5, 0, 1, 0},
                    {0, -4, -4, 1, 1, 0},
                    {0, 4, -4, -1, 1, 0},
                    {0, -2, -1, 2, 1, 0},
                    {0, 2, -1, -2, 1, 0},
                    {0, 4, 0, -5, 0, 1}},
            new double[][]{
                    {1 / 4.0, 0, 0},
                    {-1 / 6.0, -1 / 6.0, -1 / 6.0},
                    {-1 / 6.0, 1 / 6.0, -1 / 6.0},
                    {1 / 24.0, 1 / 12.0, 1 / 6.0},
                    {1 / 24.0, -1 / 12.0, 1 / 6.0},
                    {0, 0, 1}},
            new float[][]{
                    {1, 1, 1, 1, 1, 0},
                    {0, 1, -1, 2, -2, 0},
                    {0, 1, 1, 4, 4, 0},
                    {0, 1, -1, 8, -8, 1}});

    /** Fewer channels than this on either side: the products are too shallow or too few to pay for the transforms. */
    static final int MIN_CHANNELS = 32;

    /** The tiles {@link #tileFor} chooses from. */
    static final java.util.List<Tile> TILES = java.util.List.of(F2, F3, F4);

    /**
     * The tile with the fewest multiply-adds in the products for this output: a^2 products, each
     * as wide as the chunk's columns rounded up to whole micro-tiles (NR columns). Large outputs
     * take F(4x4) (36 products per 16 outputs); small ones may take another, because a few
     * columns short of a micro-tile cost a whole one: at 14 x 14, F(3x3)'s 30 columns fill one,
     * where F(2x2) needs 64 columns for its 56 and F(4x4) 32 for its 20.
     */
    static Tile tileFor(int outH, int outW) {
        Tile best = null;
        long bestCost = Long.MAX_VALUE;
        for (Tile tile : TILES) {
            long cost = productCost(tile, outH, outW);
            if (cost < bestCost) {
                best = tile;
                bestCost = cost;
            }
        }
        return best;
    }

    /** Multiply-adds per channel pair of the products for one image: a^2 times the columns computed. */
    static long productCost(Tile tile, int outH, int outW) {
        int tilesH = Gemm.ceilDiv(outH, tile.m()), tilesW = Gemm.ceilDiv(outW, tile.m());
        int perImage = chunksPerImage(tilesH, tilesW);
        long columns = 0;
        for (int part = 0; part < perImage; part++) {
            int rows = Gemm.split(tilesH, perImage, part + 1) - Gemm.split(tilesH, perImage, part);
            columns += Gemm.roundUp(rows * (tilesW + 1), NR);
        }
        return (long) tile.alpha() * tile.alpha() * columns;
    }

    /** Tiles per chunk, about: a chunk's V and M stay in the caches. */
    private static final int CHUNK_TILES = 128;

    private Winograd() {
    }

    /** 3x3, stride 1, padding at most 2 (so backward to the data is a convolution too), enough channels. */
    static boolean suits(ConvGeometry g) {
        return g.suitsWinograd(MIN_CHANNELS);
    }

    /** y = conv(x, w) + b, w's transform kept while its version stays. */
    static void forward(ConvGeometry g, float[] x, float[] w, long wVersion, float[] bias, float[] y) {
        Tile tile = tileFor(g.outH(), g.outW());
        convolve(tile, g, x, WinogradWeights.cached(tile, w, wVersion, g.k(), g.c(), false), bias, y, false);
    }

    /** dx += conv(dy, rotated w) with padding 2 - p. */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, long wVersion, float[] dx) {
        ConvGeometry t = g.transposedForData();
        Tile tile = tileFor(t.outH(), t.outW());
        convolve(tile, t, dy, WinogradWeights.cached(tile, w, wVersion, g.c(), g.k(), true), null, dx, true);
    }

    // ---- the convolution ----------------------------------------------------------------------

    /**
     * y = conv(x) with transformed weights u (y += with accumulate), chunk by chunk: a chunk is a
     * run of tile rows of one image, transformed, multiplied and transformed back while its V and
     * M are still in the caches. Many chunks: each thread takes whole chunks. Few (small images):
     * the chunks go one after the other, each step shared by all threads.
     */
    static void convolve(Tile tile, ConvGeometry g, float[] x, float[] u, float[] bias, float[] y, boolean accumulate) {
        int m = tile.m(), tilesH = Gemm.ceilDiv(g.outH(), m), tilesW = Gemm.ceilDiv(g.outW(), m);
        int threads = Parallel.threads(), perImage = chunksPerImage(tilesH, tilesW), total = g.n() * perImage;
        Chunks plan = new Chunks(tile, g, x, u, bias, y, accumulate, tilesH, tilesW, perImage);
        if (threads > 1 && total >= threads) {
            Parallel.forTasks(threads, t -> {
                for (int q = Gemm.split(total, threads, t); q < Gemm.split(total, threads, t + 1); q++) {
                    plan.run(q, true);
                }
            });
        } else {
            for (int q = 0; q < total; q++) {
                plan.run(q, false);
            }
        }
    }

    /** Chunks of tile rows per image: about CHUNK_TILES tiles each, and work for every thread. */
    static int chunksPerImage(int tilesH, int tilesW) {
        int threads = Parallel.threads(), tiles = tilesH * tilesW;
        int chunks = Gemm.ceilDiv(tiles, CHUNK_TILES);
        if (tiles >= threads * NR) {
            // Every thread gets a chunk of at least one full micro-tile's width.
            chunks = Gemm.ceilDiv(chunks, threads) * threads;
        }
        return Math.min(chunks, tilesH);
    }

    /** One convolution cut into chunks of tile rows: perImage chunks per image. */
    private record Chunks(Tile tile, ConvGeometry g, float[] x, float[] u, float[] bias, float[] y, boolean accumulate,
                          int tilesH, int tilesW, int perImage) {

        /**
         * Chunk q, on this thread alone (serial) or on all of them. In V and M, tile (th, tw) of
         * the chunk is column (th - th0) S + tw with S = tilesW + 1: one spare column per tile row
         * lets the transforms run as long vector streams over whole chunks (a sum that reaches
         * into the next tile row lands in the spare column, which is never read back).
         */
        void run(int q, boolean serial) {
            int n = q / perImage, part = q % perImage, a = tile.alpha(), c = g.c(), k = g.k();
            int th0 = Gemm.split(tilesH, perImage, part), th1 = Gemm.split(tilesH, perImage, part + 1);
            // The products run over whole micro-tiles: the columns past the chunk's tiles hold
            // leftovers, whose products land in columns of M that the output transform never reads.
            int stride = tilesW + 1, tc = Gemm.roundUp((th1 - th0) * stride, NR), ld = ld(th1 - th0, stride);
            int offX = n * c * g.h() * g.w(), offY = n * k * g.outH() * g.outW();
            Workspace ws = Workspace.get();
            // The output transform reads M a vector at a time past its last row: L floats of slack.
            float[] v = ws.winogradV((long) a * a * c * ld), mm = ws.winogradM((long) a * a * k * ld + L);
            Parallel.RangeBody in = (c0, c1) -> WinogradTransforms.input(tile, g, x, offX, th0, th1, tilesW, c0, c1, v, ld);
            Parallel.RangeBody out = (k0, k1) -> WinogradTransforms.output(tile, g, mm, ld, th0, th1, tilesW, k0, k1, bias, y, offY, accumulate);
            long perChannel = (long) tc * a * a * a;
            if (serial) {
                in.run(0, c);
            } else {
                Parallel.forRange(c, perChannel, in);
            }
            // The a^2 products are independent: with few tiles the threads take whole products
            // (one fork for all of them) rather than sharing each small one.
            Parallel.RangeBody products = (x0, x1) -> {
                for (int xi = x0; xi < x1; xi++) {
                    Gemm.serial(0, k, 0, tc, 0, c, 1f, new WinogradWeights.PackedWeights(u, xi * WinogradWeights.PackedWeights.size(k, c), k, c),
                            new Operand.Dense(v, xi * c * ld, ld, false), 0f, mm, xi * k * ld, ld, false);
                }
            };
            if (serial) {
                products.run(0, a * a);
            } else {
                Parallel.forRange(a * a, (long) k * c * tc, products);
            }
            if (serial) {
                out.run(0, k);
            } else {
                Parallel.forRange(k, perChannel, out);
            }
        }
    }

    /**
     * Floats per row of V and M for a chunk of nRows tile rows: the last tile row written a whole
     * vector at a time, and the products' whole micro-tiles.
     */
    static int ld(int nRows, int stride) {
        return Math.max((nRows - 1) * stride + Gemm.roundUp(stride, L), Gemm.roundUp(nRows * stride, NR));
    }
}
