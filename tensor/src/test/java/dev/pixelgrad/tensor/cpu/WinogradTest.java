package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.Storage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Winograd F(2x2), F(3x3) and F(4x4) against direct loops in double precision, forward and backward to
 * the data, as max |diff| / max |reference| (the measure of the PyTorch-parity suite, limit 1e-4).
 * <pre>x: (N, C, H, W)   w: (K, C, 3, 3)   y: (N, K, outH, outW)</pre>
 */
class WinogradTest {
    private static final double TOLERANCE = 1e-4;

    private static ConvGeometry geo(int n, int c, int h, int w, int k, int pad) {
        return new ConvGeometry(n, c, h, w, k, 3, 3, 1, 1, pad, pad);
    }

    private static final List<ConvGeometry> CASES = List.of(
            geo(2, 3, 9, 7, 5, 1),      // batch 2, C = 3, sizes not multiples of the tile
            geo(1, 3, 9, 7, 5, 0),      // padding 0
            geo(1, 4, 1, 1, 3, 1),      // 1x1 image
            geo(2, 3, 2, 2, 4, 1),      // 2x2 image
            geo(1, 5, 3, 3, 2, 0),      // one output pixel
            geo(1, 3, 6, 11, 2, 2),     // padding 2
            geo(2, 33, 13, 18, 40, 1),  // several tiles per row, ragged micro-tiles
            geo(1, 16, 70, 70, 24, 1)); // many tiles: the threads take whole chunks

    /** max |got - want| / max |want|. */
    private static double relativeError(float[] got, double[] want) {
        double diff = 0, scale = 0;
        for (int i = 0; i < want.length; i++) {
            diff = Math.max(diff, Math.abs(got[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        return diff / scale;
    }

    private static double forwardError(Winograd.Tile tile, ConvGeometry g, SplittableRandom rnd) {
        float[] x = GemmTest.random(rnd, (int) g.inputSize()), w = GemmTest.random(rnd, (int) g.weightSize());
        float[] b = GemmTest.random(rnd, g.k()), y = new float[(int) g.outputSize()];
        java.util.Arrays.fill(y, Float.NaN); // forward overwrites y
        Winograd.convolve(tile, g, x, WinogradWeights.transform(tile, w, g.k(), g.c(), false), b, y, false);
        return relativeError(y, ConvolutionTest.forwardRef(g, x, w, b));
    }

    private static double backwardDataError(Winograd.Tile tile, ConvGeometry g, SplittableRandom rnd) {
        float[] x = new float[(int) g.inputSize()], w = GemmTest.random(rnd, (int) g.weightSize());
        float[] dy = GemmTest.random(rnd, (int) g.outputSize()), dx = GemmTest.random(rnd, x.length);
        double[] dxRef = new double[x.length];
        for (int i = 0; i < dx.length; i++) {
            dxRef[i] = dx[i]; // backward accumulates
        }
        ConvolutionTest.backwardRef(g, x, w, dy, dxRef, new double[w.length], new double[g.k()]);
        Winograd.convolve(tile, g.transposedForData(), dy, WinogradWeights.transform(tile, w, g.c(), g.k(), true), null, dx, true);
        return relativeError(dx, dxRef);
    }

    @Test
    void matchesDirectLoops() {
        for (Winograd.Tile tile : Winograd.TILES) {
            SplittableRandom rnd = new SplittableRandom(11);
            double worstFwd = 0, worstBwd = 0;
            for (ConvGeometry g : CASES) {
                double fwd = forwardError(tile, g, rnd), bwd = backwardDataError(tile, g, rnd);
                assertTrue(fwd <= TOLERANCE, "F(" + tile.m() + ") forward " + g + ": relative error " + fwd);
                assertTrue(bwd <= TOLERANCE, "F(" + tile.m() + ") backwardData " + g + ": relative error " + bwd);
                worstFwd = Math.max(worstFwd, fwd);
                worstBwd = Math.max(worstBwd, bwd);
            }
            System.out.printf("F(%d): largest relative error forward %.2e, backward data %.2e%n", tile.m(), worstFwd, worstBwd);
        }
    }

    /**
     * VGG-like sums (512 channels): the error of F(4x4) grows with its larger interpolation points;
     * it must stay within the parity tolerance, on ReLU-like inputs (all positive, the sums do not
     * cancel) and on signed ones (they do). Printed, with F(2x2)'s and the direct path's.
     */
    @Test
    void errorOnDeepSumsStaysWithinParity() {
        ConvGeometry g = geo(1, 512, 14, 14, 64, 1);
        for (boolean positive : new boolean[]{true, false}) {
            SplittableRandom rnd = new SplittableRandom(5);
            float[] x = GemmTest.random(rnd, (int) g.inputSize()), w = GemmTest.random(rnd, (int) g.weightSize());
            for (int i = 0; i < x.length && positive; i++) {
                x[i] = Math.abs(x[i]);
            }
            double[] want = ConvolutionTest.forwardRef(g, x, w, null);
            float[] y = new float[(int) g.outputSize()];
            Convolution.forwardDirect(g, x, w, null, y);
            StringBuilder report = new StringBuilder("relative error on 512-channel sums, " + (positive ? "positive" : "signed") + " x:");
            for (Winograd.Tile tile : Winograd.TILES) {
                float[] yw = new float[y.length];
                Winograd.convolve(tile, g, x, WinogradWeights.transform(tile, w, g.k(), g.c(), false), null, yw, false);
                double e = relativeError(yw, want);
                report.append(String.format(" F(%d) %.2e", tile.m(), e));
                assertTrue(e <= TOLERANCE, "F(" + tile.m() + ") on 512-channel sums: relative error " + e);
            }
            report.append(String.format(", direct %.2e", relativeError(y, want)));
            System.out.println(report);
        }
    }

    @Test
    void cachedWeightsFollowTheirVersion() {
        float[] w = GemmTest.random(new SplittableRandom(3), 40 * 32 * 9);
        float[] u = WinogradWeights.cached(Winograd.F4, w, 7, 40, 32, false);
        assertSame(u, WinogradWeights.cached(Winograd.F4, w, 7, 40, 32, false), "same weights, same version: the cached transform");
        w[17] += 1f; // a training step, in place, which the backend counts as a write
        float[] fresh = WinogradWeights.cached(Winograd.F4, w, 8, 40, 32, false);
        float[] want = WinogradWeights.transform(Winograd.F4, w, 40, 32, false);
        assertTrue(java.util.Arrays.equals(fresh, want), "weights written since must be transformed again");
        assertNotSame(WinogradWeights.cached(Winograd.F4, w, WinogradWeights.UNVERSIONED, 40, 32, false),
                WinogradWeights.cached(Winograd.F4, w, WinogradWeights.UNVERSIONED, 40, 32, false), "unversioned: never cached");
        assertNotSame(fresh, WinogradWeights.cached(Winograd.F3, w, 8, 40, 32, false), "another tile: another transform");
    }

    @Test
    void theBackendCountsEveryKernelThatMayWriteABuffer() {
        JavaBackend be = JavaBackend.get();
        Storage w = be.upload(GemmTest.random(new SplittableRandom(4), 64 * 64 * 9));
        ConvGeometry g = new ConvGeometry(1, 64, 16, 16, 64, 3, 3, 1, 1, 1, 1);
        Storage x = be.upload(GemmTest.random(new SplittableRandom(5), (int) g.inputSize())), y = be.allocate(g.outputSize());
        be.conv2dForward(g, x, w, null, y);
        float[] first = new float[(int) g.outputSize()];
        be.download(y, first);
        be.scale(w, 2f, w, g.weightSize()); // in place, as an optimiser step would
        be.conv2dForward(g, x, w, null, y);
        float[] second = new float[(int) g.outputSize()];
        be.download(y, second);
        for (int i = 0; i < first.length; i++) {
            assertEquals(2 * first[i], second[i], 1e-4f * (1 + Math.abs(first[i])), "output " + i + " after the weights doubled");
        }
    }

    /**
     * The tile choice counts the products' multiply-adds with their columns rounded up to whole
     * micro-tiles: F(4x4) for large outputs and wherever its few columns fill the micro-tiles
     * (16 x 16, 28 x 28), F(3x3) at VGG's 14 x 14, F(2x2) for tiny images.
     */
    @Test
    void theBackendTakesTheTileWithFewestMultiplyAddsAndEachHolds() {
        assertSame(Winograd.F3, Winograd.tileFor(14, 14));
        assertSame(Winograd.F4, Winograd.tileFor(16, 16));
        assertSame(Winograd.F4, Winograd.tileFor(28, 28));
        assertSame(Winograd.F4, Winograd.tileFor(224, 224));
        assertSame(Winograd.F2, Winograd.tileFor(4, 4));
        // At 14 x 14: 7 x 7 tiles of F(2x2) span 7 rows of 8 columns (one spare each), 56 in all;
        // F(3x3) 5 x 6 = 30; F(4x4) 4 x 5 = 20. Rounded up to micro-tiles, times the a^2 products:
        int nr = MicroKernel.NR;
        assertEquals(16L * Gemm.ceilDiv(56, nr) * nr, Winograd.productCost(Winograd.F2, 14, 14));
        assertEquals(25L * Gemm.ceilDiv(30, nr) * nr, Winograd.productCost(Winograd.F3, 14, 14));
        assertEquals(36L * Gemm.ceilDiv(20, nr) * nr, Winograd.productCost(Winograd.F4, 14, 14));
        SplittableRandom rnd = new SplittableRandom(11);
        for (ConvGeometry g : List.of(geo(1, 32, 14, 14, 40, 1), geo(1, 32, 20, 20, 32, 1), geo(1, 32, 4, 4, 32, 1))) {
            assertTrue(Winograd.suits(g), g.toString());
            float[] x = GemmTest.random(rnd, (int) g.inputSize()), w = GemmTest.random(rnd, (int) g.weightSize());
            float[] b = GemmTest.random(rnd, g.k()), y = new float[(int) g.outputSize()];
            Convolution.forward(g, x, w, WinogradWeights.UNVERSIONED, b, y);
            double e = relativeError(y, ConvolutionTest.forwardRef(g, x, w, b));
            assertTrue(e < TOLERANCE, "forward through the backend's dispatch at " + g.h() + "x" + g.w() + ": " + e);
            float[] dy = GemmTest.random(rnd, (int) g.outputSize()), dx = new float[x.length];
            double[] dxRef = new double[x.length];
            ConvolutionTest.backwardRef(g, x, w, dy, dxRef, new double[w.length], new double[g.k()]);
            Convolution.backwardData(g, dy, w, WinogradWeights.UNVERSIONED, dx);
            e = relativeError(dx, dxRef);
            assertTrue(e < TOLERANCE, "backward-data through the backend's dispatch at " + g.h() + "x" + g.w() + ": " + e);
        }
    }
}
