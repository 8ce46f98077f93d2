package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static dev.pixelgrad.tensor.cpu.MicroKernel.L;
import static dev.pixelgrad.tensor.cpu.MicroKernel.NR;
import static dev.pixelgrad.tensor.cpu.MicroKernel.SPECIES;

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
        Tile best = TILES.get(0);
        for (Tile tile : TILES) {
            if (productCost(tile, outH, outW) < productCost(best, outH, outW)) {
                best = tile;
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
            columns += roundUp(rows * (tilesW + 1), NR);
        }
        return (long) tile.alpha() * tile.alpha() * columns;
    }

    /** Tiles per chunk, about: a chunk's V and M stay in the caches. */
    private static final int CHUNK_TILES = 128;

    private Winograd() {
    }

    /** 3x3, stride 1, padding at most 2 (so backward to the data is a convolution too), enough channels. */
    static boolean suits(ConvGeometry g) {
        return g.r() == 3 && g.s() == 3 && g.strideH() == 1 && g.strideW() == 1
                && g.padH() <= 2 && g.padW() <= 2 && Math.min(g.c(), g.k()) >= MIN_CHANNELS;
    }

    /** y = conv(x, w) + b. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        Tile tile = tileFor(g.outH(), g.outW());
        convolve(tile, g, x, WinogradWeights.cached(tile, w, g.k(), g.c(), false), bias, y, false);
    }

    /** dx += conv(dy, rotated w) with padding 2 - p. */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        ConvGeometry t = g.transposedForData();
        Tile tile = tileFor(t.outH(), t.outW());
        convolve(tile, t, dy, WinogradWeights.cached(tile, w, g.c(), g.k(), true), null, dx, true);
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
            int stride = tilesW + 1, tc = (th1 - th0) * stride, ld = ld(th1 - th0, stride);
            int offX = n * c * g.h() * g.w(), offY = n * k * g.outH() * g.outW();
            Workspace ws = Workspace.get();
            // The output transform reads M a vector at a time past its last row: L floats of slack.
            float[] v = ws.winogradV((long) a * a * c * ld), mm = ws.winogradM((long) a * a * k * ld + L);
            Parallel.RangeBody in = (c0, c1) -> transformInput(tile, g, x, offX, th0, th1, tilesW, c0, c1, v, ld);
            Parallel.RangeBody out = (k0, k1) -> transformOutput(tile, g, mm, ld, th0, th1, tilesW, k0, k1, bias, y, offY, accumulate);
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

    /** Floats per row of V and M for a chunk of nRows tile rows: the last row written a whole vector at a time. */
    static int ld(int nRows, int stride) {
        return (nRows - 1) * stride + roundUp(stride, L);
    }

    /**
     * V[xi][c][t] = (B^T d B)[xi] for channels [c0, c1) and tile rows [th0, th1), one channel at a
     * time, in vector streams over the chunk. The input rows are first split by phase, column
     * tw m + ph of a row to xd[ph][row][tw] (so the tiles of a row sit side by side), then
     * transformed across (h = d B: term j of a tile is phase j % m of tile tw + j / m), then down
     * (V = B^T h, tile row by tile row).
     */
    static void transformInput(Tile tile, ConvGeometry g, float[] x, int offX, int th0, int th1, int tilesW,
                               int c0, int c1, float[] v, int ld) {
        int m = tile.m(), a = tile.alpha(), h = g.h(), w = g.w(), padW = g.padW();
        float[][] bt = tile.bt();
        int stride = tilesW + 1, nRows = th1 - th0, inRows = nRows * m + a - m;
        int plane = roundUp(inRows * stride, L) + L, padded = stride * m + a;
        // Tile rows narrower than a vector: each one's vector write overlaps the next one's.
        boolean staged = stride < L;
        float[] s = Workspace.get().winogradScratch((long) (m + a) * plane + padded + (staged ? ld + L : 0));
        int xd = 0, hOff = m * plane, row = hOff + a * plane, stage = row + padded;
        int[] across = new int[a], down = new int[a];
        for (int j = 0; j < a; j++) {
            across[j] = j % m * plane + j / m;
            down[j] = j * stride;
        }
        Terms[] acrossTerms = Terms.rows(bt, across), downTerms = Terms.rows(bt, down);
        for (int ph = 0; ph < m; ph++) {
            // Read by the sums of the spare columns only; zeros keep them finite.
            Arrays.fill(s, xd + ph * plane + inRows * stride, xd + (ph + 1) * plane, 0f);
        }
        for (int c = c0; c < c1; c++) {
            for (int rr = 0; rr < inRows; rr++) {
                // One input row, zero-padded (column u holds x column u - padW), then split by phase.
                int iy = th0 * m - g.padH() + rr;
                if (iy >= 0 && iy < h) {
                    int copied = Math.min(w, padded - padW);
                    Arrays.fill(s, row, row + padW, 0f);
                    System.arraycopy(x, offX + (c * h + iy) * w, s, row + padW, copied);
                    Arrays.fill(s, row + padW + copied, row + padded, 0f);
                } else {
                    Arrays.fill(s, row, row + padded, 0f);
                }
                Interleave.split(s, row, m, stride, s, xd + rr * stride, plane);
            }
            for (int q = 0; q < a; q++) {
                weightedSum(acrossTerms[q], s, xd, plane - L, s, hOff + q * plane);
            }
            int vc = c * ld;
            for (int p = 0; p < a; p++) {
                for (int q = 0; q < a; q++) {
                    int dst = (p * a + q) * g.c() * ld + vc;
                    if (staged) {
                        // Overlapping writes in the scratch (in L1), then one copy into V: written
                        // straight into V, whose planes lie far apart, they cost twice as much.
                        for (int t = 0; t < nRows; t++) {
                            weightedSum(downTerms[p], s, hOff + q * plane + t * m * stride, L, s, stage + t * stride);
                        }
                        System.arraycopy(s, stage, v, dst, nRows * stride);
                    } else {
                        for (int t = 0; t < nRows; t++) {
                            weightedSum(downTerms[p], s, hOff + q * plane + t * m * stride, roundUp(stride, L), v, dst + t * stride);
                        }
                    }
                }
            }
        }
    }

    /**
     * y[k] (+)= A^T M[.][k][t] A + b[k] for output channels [k0, k1) and tile rows [th0, th1), one
     * channel at a time, in vector streams over the chunk (first down: z = A^T M, then across:
     * A^T M A = z A), the m x m results then written to their place in y, cut at the image's edge.
     */
    static void transformOutput(Tile tile, ConvGeometry g, float[] mm, int ld, int th0, int th1, int tilesW,
                                int k0, int k1, float[] bias, float[] y, int offY, boolean accumulate) {
        int m = tile.m(), a = tile.alpha(), outH = g.outH(), outW = g.outW(), k = g.k();
        float[][] at = tile.at();
        int stride = tilesW + 1, len = roundUp((th1 - th0) * stride, L);
        float[] s = Workspace.get().winogradScratch((long) (a + m) * m * len);
        int zOff = 0, oOff = a * m * len;
        int[] down = new int[a], across = new int[a];
        for (int e = 0; e < a; e++) {
            down[e] = e * a * k * ld;
            across[e] = e * len;
        }
        Terms[] downTerms = Terms.rows(at, down), acrossTerms = Terms.rows(at, across);
        // Whole tiles along a row; the last one may stick out of the image.
        int full = outW / m;
        int[] mergeIndex = Interleave.mergeIndex(m, len);
        for (int kk = k0; kk < k1; kk++) {
            float b = bias == null ? 0f : bias[kk];
            for (int i = 0; i < m; i++) {
                for (int q = 0; q < a; q++) {
                    // z[i][q] = sum_p at[i][p] M[p a + q][kk]
                    weightedSum(downTerms[i], mm, (q * k + kk) * ld, len, s, zOff + (i * a + q) * len);
                }
                for (int j = 0; j < m; j++) {
                    // out[i][j] = sum_q at[j][q] z[i][q]
                    weightedSum(acrossTerms[j], s, zOff + i * a * len, len, s, oOff + (i * m + j) * len);
                }
            }
            for (int th = th0; th < th1; th++) {
                for (int i = 0; i < m && th * m + i < outH; i++) {
                    int dst = offY + (kk * outH + th * m + i) * outW, src = oOff + i * m * len + (th - th0) * stride;
                    Interleave.merge(s, src, len, m, full, b, mergeIndex, y, dst, accumulate);
                    for (int j = 0; full < tilesW && full * m + j < outW; j++) {
                        int last = dst + full * m + j;
                        y[last] = (accumulate ? y[last] : 0f) + s[src + j * len + full] + b;
                    }
                }
            }
        }
    }

    /**
     * One row of a transform as the terms of a weighted sum: the nonzero coefficients of the row
     * and the offsets of the values they weigh. A third of F(4x4)'s input-transform coefficients
     * are zero; leaving them out of the arrays skips their multiply-adds without a branch.
     */
    record Terms(float[] coef, int[] offs) {
        /** The terms of each row of the matrix, coefficient j weighing the value at offs[j]. */
        static Terms[] rows(float[][] matrix, int[] offs) {
            Terms[] rows = new Terms[matrix.length];
            for (int r = 0; r < matrix.length; r++) {
                int n = 0;
                for (float v : matrix[r]) {
                    n += v != 0f ? 1 : 0;
                }
                float[] coef = new float[n];
                int[] at = new int[n];
                for (int j = 0, t = 0; j < matrix[r].length; j++) {
                    if (matrix[r][j] != 0f) {
                        coef[t] = matrix[r][j];
                        at[t++] = offs[j];
                    }
                }
                rows[r] = new Terms(coef, at);
            }
            return rows;
        }
    }

    /**
     * dst[d + u] = sum_j coef[j] src[off + offs[j] + u] over the terms, for u < len, len a multiple
     * of L. Kept small and without branches: C2 then keeps the vectors in registers; a branch in
     * the loop made it box them on the heap, 3x slower.
     */
    private static void weightedSum(Terms terms, float[] src, int off, int len, float[] dst, int d) {
        float[] coef = terms.coef;
        int[] offs = terms.offs;
        for (int u = 0; u < len; u += L) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int j = 0; j < coef.length; j++) {
                acc = FloatVector.fromArray(SPECIES, src, off + offs[j] + u).fma(FloatVector.broadcast(SPECIES, coef[j]), acc);
            }
            acc.intoArray(dst, d + u);
        }
    }

    private static int roundUp(int n, int to) {
        return Gemm.ceilDiv(n, to) * to;
    }
}
