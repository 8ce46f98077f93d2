package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.LoopBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every kernel of {@link Backend}, called directly, on the loop backend and on the Java backend
 * with the same buffers: two implementations written apart must leave every buffer alike (max
 * |loop - java| / max |java| within the tolerance, NaN and infinities in the same places). Output
 * buffers start random, so a kernel that should accumulate is caught overwriting and the other
 * way round; sizes stop short of the buffers, so a kernel that runs past n is caught too. The
 * suites reach the kernels through the ops; this reaches the ones no op of this module calls
 * ({@code dot}) and the edges ops never produce (NaN, ties, beta 0, offsets, aliasing).
 */
class LoopBackendKernelTest {
    private static final Backend LOOP = new LoopBackend(), JAVA = Backends.java();
    private static final double FLOAT_SUMS = 1e-5;

    private final Random random = new Random(17);

    private interface Kernel {
        void run(Backend be, Storage[] s);
    }

    private float[] rand(long n) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2f * random.nextFloat() - 1f;
        }
        return v;
    }

    private float[] positive(long n) {
        float[] v = rand(n);
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.5f + Math.abs(v[i]);
        }
        return v;
    }

    /** Runs {@code kernel} on both backends over copies of {@code buffers} and compares every buffer. */
    private static void agree(String what, double tolerance, Kernel kernel, float[]... buffers) {
        float[][] java = after(JAVA, kernel, buffers), loop = after(LOOP, kernel, buffers);
        for (int b = 0; b < buffers.length; b++) {
            double maxDiff = 0, maxRef = 0;
            for (int i = 0; i < java[b].length; i++) {
                float want = java[b][i], got = loop[b][i];
                if (!Float.isFinite(want) || !Float.isFinite(got)) {
                    assertEquals(want, got, what + ": buffer " + b + " element " + i + " (java " + want + ", loop " + got + ")");
                    continue;
                }
                maxDiff = Math.max(maxDiff, Math.abs((double) want - got));
                maxRef = Math.max(maxRef, Math.abs(want));
            }
            if (!(maxDiff <= tolerance * Math.max(maxRef, 1e-30))) {
                throw new AssertionError(String.format("%s: buffer %d differs, max |loop - java| %.3g over max |java| %.3g"
                        + " exceeds relative %.0e", what, b, maxDiff, maxRef, tolerance));
            }
        }
    }

    private static float[][] after(Backend be, Kernel kernel, float[][] buffers) {
        Storage[] s = Arrays.stream(buffers).map(be::upload).toArray(Storage[]::new);
        kernel.run(be, s);
        float[][] out = new float[s.length][];
        for (int b = 0; b < s.length; b++) {
            out[b] = new float[buffers[b].length];
            be.download(s[b], out[b]);
        }
        return out;
    }

    // ---- memory -----------------------------------------------------------------------------

    @Test
    void memory() {
        float[] x = rand(10);
        Storage s = LOOP.upload(x), z = LOOP.allocate(7);
        x[0] = 42f; // upload copies
        float[] back = new float[10], zeros = new float[7];
        LOOP.download(s, back);
        LOOP.download(z, zeros);
        assertEquals(back[3], LOOP.readScalar(s, 3));
        assertEquals(0f, zeros[6]);
        agree("copy 7 of 10", 0, (be, b) -> be.copy(b[0], b[1], 7), rand(10), rand(10));
        agree("fill 7 of 10", 0, (be, b) -> be.fill(b[0], -3f, 7), rand(10));
        s.release();
        assertThrows(IllegalStateException.class, () -> LOOP.readScalar(s, 0), "a released buffer is refused");
        assertThrows(IllegalArgumentException.class, () -> LOOP.readScalar(JAVA.allocate(1), 0), "another backend's buffer");
        float[] bad = {1, Float.NaN, 2, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        assertEquals(JAVA.countNonFinite(JAVA.upload(bad), 5), LOOP.countNonFinite(LOOP.upload(bad), 5));
    }

    // ---- elementwise, with n short of the buffers and y aliasing an input ---------------------

    @Test
    void elementwise() {
        int n = 1001, len = n + 3;
        float p = 1.5f;
        agree("add", 0, (be, b) -> be.add(b[0], b[1], b[2], n), rand(len), rand(len), rand(len));
        agree("add into a", 0, (be, b) -> be.add(b[0], b[1], b[0], n), rand(len), rand(len));
        agree("sub", 0, (be, b) -> be.sub(b[0], b[1], b[2], n), rand(len), rand(len), rand(len));
        agree("mul into b", 0, (be, b) -> be.mul(b[0], b[1], b[1], n), rand(len), rand(len));
        agree("scale", FLOAT_SUMS, (be, b) -> be.scale(b[0], -2.5f, b[1], n), rand(len), rand(len));
        agree("axpy", FLOAT_SUMS, (be, b) -> be.axpy(0.3f, b[0], b[1], n), rand(len), rand(len));
        agree("axpyScalar", FLOAT_SUMS, (be, b) -> be.axpyScalar(0.3f, b[0], b[1], n), rand(1), rand(len));
        agree("mulAccumulate", FLOAT_SUMS, (be, b) -> be.mulAccumulate(b[0], b[1], b[2], n), rand(len), rand(len), rand(len));
        agree("diffAccumulate", FLOAT_SUMS, (be, b) -> be.diffAccumulate(0.7f, b[0], b[1], b[2], b[3], n),
                rand(1), rand(len), rand(len), rand(len));
        agree("pow 1.5", FLOAT_SUMS, (be, b) -> be.powForward(b[0], p, b[1], n), positive(len), rand(len));
        agree("pow -0.7 backward", FLOAT_SUMS, (be, b) -> be.powBackward(b[0], -0.7f, b[1], b[2], n),
                positive(len), rand(len), rand(len));
        agree("pow 3 (mixed signs)", FLOAT_SUMS, (be, b) -> be.powForward(b[0], 3f, b[1], n), rand(len), rand(len));
        agree("pow 2 backward", FLOAT_SUMS, (be, b) -> be.powBackward(b[0], 2f, b[1], b[2], n), rand(len), rand(len), rand(len));
        agree("relu", 0, (be, b) -> be.reluForward(b[0], b[1], n), rand(len), rand(len));
        agree("relu backward", 0, (be, b) -> be.reluBackward(b[0], b[1], b[2], n), rand(len), rand(len), rand(len));
    }

    @Test
    void reductions() {
        int n = 100_003;
        float[] a = rand(n + 1), b = rand(n + 1);
        agree("sum", FLOAT_SUMS, (be, s) -> be.sum(s[0], n, s[1]), a, rand(1));
        agree("sumAbs", FLOAT_SUMS, (be, s) -> be.sumAbs(s[0], n, s[1]), a, rand(1));
        agree("sumSquaredDiff", FLOAT_SUMS, (be, s) -> be.sumSquaredDiff(s[0], s[1], n, s[2]), a, b, rand(1));
        agree("dot", FLOAT_SUMS, (be, s) -> be.dot(s[0], s[1], n, s[2]), a, b, rand(1));
    }

    // ---- matrices ---------------------------------------------------------------------------

    @Test
    void gemmEveryTransposeWithOffsetsAlphaAndBeta() {
        int[][] sizes = {{7, 13, 5}, {37, 29, 300}, {1, 9, 1}};
        for (int[] mnk : sizes) {
            int m = mnk[0], n = mnk[1], k = mnk[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                for (float beta : new float[]{0f, 1f, -0.5f}) {
                    agree("gemm " + m + "x" + n + "x" + k + " transA " + ta + " transB " + tb + " beta " + beta, FLOAT_SUMS,
                            (be, s) -> be.gemm(ta, tb, m, n, k, 0.75f, s[0], 3, s[1], 5, beta, s[2], 2),
                            rand(m * k + 4), rand(k * n + 6), rand(m * n + 3));
                }
            }
        }
    }

    @Test
    void gram() {
        agree("gram 5x37 at offsets", FLOAT_SUMS, (be, s) -> be.gram(s[0], 4, 5, 37, 0.5f, s[1], 3), rand(5 * 37 + 4), rand(5 * 5 + 3));
        agree("gram 33x500", FLOAT_SUMS, (be, s) -> be.gram(s[0], 0, 33, 500, 1f / 500, s[1], 0), rand(33 * 500), rand(33 * 33));
        agree("gram of sample 2 of a (3, 6, 41) batch", FLOAT_SUMS, (be, s) -> be.gram(s[0], 2 * 6 * 41, 6, 41, 1f / 246, s[1], 2 * 36),
                rand(3 * 6 * 41), rand(3 * 36));
    }

    // ---- convolution and pooling --------------------------------------------------------------

    static Stream<ConvGeometry> convolutions() {
        return Stream.of(
                new ConvGeometry(2, 3, 9, 7, 4, 3, 3, 1, 1, 1, 1),
                new ConvGeometry(1, 3, 7, 6, 2, 3, 3, 2, 2, 1, 1),
                new ConvGeometry(1, 2, 6, 5, 3, 3, 2, 2, 1, 1, 0),   // non-square kernel, stride and padding
                new ConvGeometry(1, 2, 5, 4, 2, 3, 3, 2, 2, 2, 2),   // padding wider than half the kernel
                new ConvGeometry(2, 5, 8, 9, 6, 1, 1, 2, 2, 0, 0),
                new ConvGeometry(1, 16, 20, 19, 24, 3, 3, 1, 1, 1, 1),
                new ConvGeometry(3, 4, 11, 10, 6, 3, 3, 2, 2, 1, 1),  // stride 2 pad 1, batch 3
                new ConvGeometry(2, 3, 13, 12, 5, 9, 9, 1, 1, 4, 4),  // 9x9 from RGB, batch 2
                new ConvGeometry(2, 5, 12, 13, 3, 9, 9, 1, 1, 4, 4),  // 9x9 to RGB, batch 2
                new ConvGeometry(3, 70, 1, 1, 9, 1, 1, 1, 1, 0, 0),   // a fully connected layer over 3 images (streamed rows)
                new ConvGeometry(33, 20, 1, 1, 7, 1, 1, 1, 1, 0, 0)); // ... over more images than it streams for (GEMM)
    }

    @ParameterizedTest
    @MethodSource("convolutions")
    void conv2d(ConvGeometry g) {
        float[] x = rand(g.inputSize()), w = rand(g.weightSize()), b = rand(g.k()), dy = rand(g.outputSize());
        agree("conv2dForward " + g, FLOAT_SUMS, (be, s) -> be.conv2dForward(g, s[0], s[1], s[2], s[3]), x, w, b, rand(g.outputSize()));
        agree("conv2dForward no bias " + g, FLOAT_SUMS, (be, s) -> be.conv2dForward(g, s[0], s[1], null, s[2]), x, w, rand(g.outputSize()));
        agree("conv2dBackwardData " + g, FLOAT_SUMS, (be, s) -> be.conv2dBackwardData(g, s[0], s[1], s[2]), dy, w, rand(g.inputSize()));
        agree("conv2dBackwardWeights " + g, FLOAT_SUMS, (be, s) -> be.conv2dBackwardWeights(g, s[0], s[1], s[2], s[3]),
                x, dy, rand(g.weightSize()), rand(g.k()));
        agree("conv2dBackwardWeights dw only " + g, FLOAT_SUMS, (be, s) -> be.conv2dBackwardWeights(g, s[0], s[1], s[2], null),
                x, dy, rand(g.weightSize()));
        agree("conv2dBackwardWeights dbias only " + g, FLOAT_SUMS, (be, s) -> be.conv2dBackwardWeights(g, s[0], s[1], null, s[2]),
                x, dy, rand(g.k()));
    }

    static Stream<PoolGeometry> pools() {
        return Stream.of(
                new PoolGeometry(2, 5, 13, 11, 2, 2, 2, 2, 0, 0),   // odd sizes drop the last row and column
                new PoolGeometry(1, 4, 9, 10, 3, 3, 2, 2, 1, 1),    // overlapping windows with padding
                new PoolGeometry(1, 2, 7, 7, 3, 2, 1, 2, 1, 0),     // rectangular, stride 1 rows
                new PoolGeometry(1, 3, 1, 1, 1, 1, 1, 1, 0, 0),
                new PoolGeometry(4, 3, 8, 9, 2, 2, 2, 2, 0, 0));   // a batch of 4
    }

    @ParameterizedTest
    @MethodSource("pools")
    void pooling(PoolGeometry g) {
        float[] x = rand(g.inputSize()), dy = rand(g.outputSize());
        agree("maxPool2dForward " + g, 0, (be, s) -> be.maxPool2dForward(g, s[0], s[1]), x, rand(g.outputSize()));
        agree("maxPool2dBackward " + g, FLOAT_SUMS, (be, s) -> be.maxPool2dBackward(g, s[0], s[1], s[2]), x, dy, rand(g.inputSize()));
        agree("avgPool2dForward " + g, FLOAT_SUMS, (be, s) -> be.avgPool2dForward(g, s[0], s[1]), x, rand(g.outputSize()));
        agree("avgPool2dBackward " + g, FLOAT_SUMS, (be, s) -> be.avgPool2dBackward(g, s[0], s[1]), dy, rand(g.inputSize()));
    }

    @Test
    void maxPoolTiesGoToTheFirstMaximum() {
        PoolGeometry g = new PoolGeometry(1, 1, 5, 5, 3, 3, 2, 2, 1, 1);
        float[] dy = rand(g.outputSize());
        agree("maxPool2dBackward, all ties", 0, (be, s) -> be.maxPool2dBackward(g, s[0], s[1], s[2]), new float[25], dy, new float[25]);
    }

    // ---- total variation, instance norm, windows, clamping ------------------------------------

    @Test
    void totalVariation() {
        int n = 2, c = 3, h = 9, w = 7, len = n * c * h * w;
        float[] x = rand(len);
        for (float beta : new float[]{1f, 1.5f, 2f}) {
            float eps = beta < 2 ? 1e-8f : 0f;
            agree("totalVariationForward beta " + beta, FLOAT_SUMS,
                    (be, s) -> be.totalVariationForward(s[0], n, c, h, w, beta, eps, s[1]), x, rand(1));
            agree("totalVariationBackward beta " + beta, FLOAT_SUMS,
                    (be, s) -> be.totalVariationBackward(s[0], n, c, h, w, beta, eps, s[1], s[2]), x, rand(1), rand(len));
        }
    }

    @Test
    void instanceNorm() {
        int n = 2, c = 3, hw = 9 * 7, len = n * c * hw;
        float[] x = rand(len);
        for (int i = 0; i < hw; i++) {
            x[4 * hw + i] = 1000f + x[4 * hw + i]; // a plane with a large mean and a spread of 1
        }
        float[] gamma = rand(c), beta = rand(c), dy = rand(len), mean = new float[n * c], invStd = new float[n * c];
        agree("instanceNormForward", FLOAT_SUMS, (be, s) -> be.instanceNormForward(n, c, hw, 1e-5f, s[0], s[1], s[2], s[3], s[4], s[5]),
                x, gamma, beta, rand(len), rand(n * c), rand(n * c));
        Storage meanOut = JAVA.allocate(n * c), invStdOut = JAVA.allocate(n * c); // the statistics backward is given
        JAVA.instanceNormForward(n, c, hw, 1e-5f, JAVA.upload(x), JAVA.upload(gamma), JAVA.upload(beta), JAVA.allocate(len),
                meanOut, invStdOut);
        JAVA.download(meanOut, mean);
        JAVA.download(invStdOut, invStd);
        agree("instanceNormBackward", FLOAT_SUMS, (be, s) -> be.instanceNormBackward(n, c, hw, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]),
                x, gamma, mean, invStd, dy, rand(len), rand(c), rand(c));
        agree("instanceNormBackward dx only", FLOAT_SUMS, (be, s) -> be.instanceNormBackward(n, c, hw, s[0], s[1], s[2], s[3], s[4], s[5], null, null),
                x, gamma, mean, invStd, dy, rand(len));
        agree("instanceNormBackward dgamma, dbeta only", FLOAT_SUMS,
                (be, s) -> be.instanceNormBackward(n, c, hw, s[0], s[1], s[2], s[3], s[4], null, s[5], s[6]),
                x, gamma, mean, invStd, dy, rand(c), rand(c));
        agree("instanceNormBackward dbeta only", FLOAT_SUMS, (be, s) -> be.instanceNormBackward(n, c, hw, s[0], s[1], s[2], s[3], s[4], null, null, s[5]),
                x, gamma, mean, invStd, dy, rand(c));
    }

    @Test
    void windows() {
        for (WindowGeometry g : new WindowGeometry[]{new WindowGeometry(6, 9, 11, 5, 7, 2, 3),   // a crop
                new WindowGeometry(4, 9, 11, 9, 11, 7, 4),                                         // a roll
                new WindowGeometry(3, 8, 10, 6, 8, 5, 6)}) {                                       // crop of a roll
            agree("windowForward " + g, 0, (be, s) -> be.windowForward(g, s[0], s[1]), rand(g.inputSize()), rand(g.outputSize()));
            agree("windowBackward " + g, 0, (be, s) -> be.windowBackward(g, s[0], s[1]), rand(g.outputSize()), rand(g.inputSize()));
        }
    }

    @Test
    void clampChannels() {
        int n = 2, c = 3, hw = 50;
        float[] lo = {-0.5f, -0.1f, 0f}, hi = {0.5f, 0.9f, 0.2f};
        agree("clampChannels", 0, (be, s) -> be.clampChannels(s[0], s[1], s[2], n, c, hw, s[3]), rand(n * c * hw), lo, hi, rand(n * c * hw));
        agree("clampChannels in place", 0, (be, s) -> be.clampChannels(s[0], s[1], s[2], n, c, hw, s[0]), rand(n * c * hw), lo, hi);
    }

    // ---- reflection padding and nearest upsampling ----------------------------------------------

    static Stream<ReflectionPadGeometry> reflectionPads() {
        return Stream.of(
                new ReflectionPadGeometry(6, 9, 11, 4, 4, 4, 4),      // TransformerNet's 9x9 convolution
                new ReflectionPadGeometry(4, 7, 10, 1, 3, 0, 2),      // asymmetric
                new ReflectionPadGeometry(3, 5, 6, 4, 4, 5, 5),       // every pad size - 1
                new ReflectionPadGeometry(2, 3, 3, 2, 2, 2, 2),       // middle pixel read 3 x 3 times
                new ReflectionPadGeometry(2, 2, 2, 1, 1, 1, 1),
                new ReflectionPadGeometry(2, 1, 4, 0, 0, 3, 1),       // a single row can only pad sideways
                new ReflectionPadGeometry(64, 67, 45, 4, 4, 4, 4));   // 2x32x67x45: split over threads
    }

    @ParameterizedTest
    @MethodSource("reflectionPads")
    void reflectionPad(ReflectionPadGeometry g) {
        agree("reflectionPadForward " + g, 0, (be, s) -> be.reflectionPadForward(g, s[0], s[1]),
                rand(g.inputSize()), rand(g.outputSize()));
        agree("reflectionPadBackward " + g, FLOAT_SUMS, (be, s) -> be.reflectionPadBackward(g, s[0], s[1]),
                rand(g.outputSize()), rand(g.inputSize()));
    }

    @Test
    void upsampleNearest() {
        int[][] sizes = {{6, 5, 7, 2}, {4, 3, 5, 3}, {2, 1, 1, 4}, {3, 4, 2, 1}, {64, 67, 45, 2}};
        for (int[] s : sizes) {
            int planes = s[0], h = s[1], w = s[2], f = s[3], in = planes * h * w, out = in * f * f;
            String what = planes + " planes of " + h + "x" + w + " x" + f;
            agree("upsampleNearestForward " + what, 0, (be, b) -> be.upsampleNearestForward(planes, h, w, f, b[0], b[1]),
                    rand(in), rand(out));
            agree("upsampleNearestBackward " + what, FLOAT_SUMS, (be, b) -> be.upsampleNearestBackward(planes, h, w, f, b[0], b[1]),
                    rand(out), rand(in));
        }
    }

    // ---- what the Javadoc leaves unsaid ---------------------------------------------------------

    @Test
    void reluAndClampKeepNaN() {
        agree("relu of NaN", 0, (be, s) -> be.reluForward(s[0], s[1], 3), new float[]{Float.NaN, -1, 1}, new float[3]);
        agree("clampChannels of NaN", 0, (be, s) -> be.clampChannels(s[0], s[1], s[2], 1, 1, 2, s[0]),
                new float[]{Float.NaN, 2}, new float[]{0}, new float[]{1});
    }

    @Test
    void zeroTimesNaNIsNaN() {
        agree("gemm, 0 * NaN", 0, (be, s) -> be.gemm(false, false, 1, 1, 2, 1f, s[0], 0, s[1], 0, 0f, s[2], 0),
                new float[]{0, 1}, new float[]{Float.NaN, 2}, new float[1]);
        ConvGeometry g = new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0);
        agree("conv2d, 0 * NaN", 0, (be, s) -> be.conv2dForward(g, s[0], s[1], null, s[2]),
                new float[]{Float.NaN}, new float[]{0}, new float[1]);
    }

    @Test
    void maxPoolOverANaN() {
        PoolGeometry g = new PoolGeometry(1, 1, 2, 2, 2, 2, 2, 2, 0, 0);
        float[] x = {1, Float.NaN, 3, 2};
        agree("maxPool2dForward over a NaN", 0, (be, s) -> be.maxPool2dForward(g, s[0], s[1]), x, new float[1]);
        agree("maxPool2dBackward over a NaN", 0, (be, s) -> be.maxPool2dBackward(g, s[0], s[1], s[2]), x, new float[]{1}, new float[4]);
    }

    @Test
    void gemmWithBetaZeroOverANaNInC() {
        agree("gemm with beta 0 over a NaN in C", 0, (be, s) -> be.gemm(false, false, 1, 1, 1, 1f, s[0], 0, s[1], 0, 0f, s[2], 0),
                new float[]{2}, new float[]{3}, new float[]{Float.NaN});
    }
}
