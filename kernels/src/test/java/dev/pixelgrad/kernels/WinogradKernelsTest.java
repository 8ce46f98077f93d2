package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.Storage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static dev.pixelgrad.kernels.OpenClTestSupport.backend;
import static dev.pixelgrad.kernels.OpenClTestSupport.check;
import static dev.pixelgrad.kernels.OpenClTestSupport.random;
import static dev.pixelgrad.kernels.OpenClTestSupport.relativeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Winograd convolutions of winograd.cl (3x3, stride 1, at least 32 channels) against a
 * double-precision direct convolution and against the Java backend: F(4x4) and F(2x2) tiles,
 * outputs that are no multiple of the tile, padding 0 to 2, C != K, batches, several chunks.
 */
@Tag("opencl")
class WinogradKernelsTest {
    static final double TOLERANCE = 1e-4;

    // x: (n, c, h, w)   w: (k, c, 3, 3); the comment names the tile of the forward and of the backward to the data
    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                new ConvGeometry(1, 32, 30, 30, 40, 3, 3, 1, 1, 1, 1),   // F4 (30 x 30: ragged) both ways
                new ConvGeometry(2, 33, 13, 17, 32, 3, 3, 1, 1, 1, 1),   // F2 (13 x 17) both ways, batch 2
                new ConvGeometry(1, 40, 21, 19, 36, 3, 3, 1, 1, 0, 0),   // pad 0: F4, backward pad 2
                new ConvGeometry(2, 32, 11, 14, 48, 3, 3, 1, 1, 2, 2),   // pad 2: F2 (13 x 16), backward pad 0
                new ConvGeometry(1, 35, 18, 20, 33, 3, 3, 1, 1, 2, 1),   // pad 2 x 1: F4
                new ConvGeometry(2, 48, 70, 66, 40, 3, 3, 1, 1, 1, 1));  // F4 in several chunks, one of them across images
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardWithAndWithoutBias(ConvGeometry g) {
        assertTrue(ClWinograd.suits(g), g + " should take the Winograd path");
        Random rnd = new Random(11);
        float[] x = random(rnd, (int) g.inputSize()), w = random(rnd, (int) g.weightSize()), bias = random(rnd, g.k());
        float[] y0 = random(rnd, (int) g.outputSize());
        assertClose("forward " + g, forwardReference(g, x, w, bias), run(g, x, w, bias, y0, false));
        assertClose("forward (no bias) " + g, forwardReference(g, x, w, null), run(g, x, w, null, y0, false));
        check("winograd conv2dForward " + g, TOLERANCE, (b, s) -> b.conv2dForward(g, s[0], s[1], s[2], s[3]), x, w, bias, y0);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardDataAccumulates(ConvGeometry g) {
        Random rnd = new Random(12);
        float[] dy = random(rnd, (int) g.outputSize()), w = random(rnd, (int) g.weightSize());
        float[] dx0 = random(rnd, (int) g.inputSize());
        double[] expected = backwardDataReference(g, dy, w);
        for (int i = 0; i < expected.length; i++) {
            expected[i] += dx0[i];
        }
        assertClose("backward data " + g, expected, run(g, dy, w, null, dx0, true));
        check("winograd conv2dBackwardData " + g, TOLERANCE, (b, s) -> b.conv2dBackwardData(g, s[0], s[1], s[2]), dy, w, dx0);
    }

    /** The transformed weights are kept per buffer: a weight written in place in between must be seen, both ways. */
    @Test
    void aWeightChangedInPlaceIsSeen() {
        ConvGeometry g = new ConvGeometry(1, 32, 12, 12, 32, 3, 3, 1, 1, 1, 1);
        Backend cl = backend();
        Random rnd = new Random(13);
        float[] x = random(rnd, (int) g.inputSize()), w = random(rnd, (int) g.weightSize()), w2 = random(rnd, w.length);
        float[] dy = random(rnd, (int) g.outputSize());
        Storage xs = cl.upload(x), ws = cl.upload(w), ys = cl.allocate(g.outputSize()), dys = cl.upload(dy);
        Storage dxs = cl.allocate(g.inputSize()), w2s = cl.upload(w2);
        try {
            // Twice with the same weights (the second from the cache), then after each kind of write.
            for (int round = 0; round < 2; round++) {
                cl.conv2dForward(g, xs, ws, null, ys);
                assertClose("forward, round " + round, forwardReference(g, x, w, null), download(cl, ys));
                cl.fill(dxs, 0f, g.inputSize());
                cl.conv2dBackwardData(g, dys, ws, dxs);
                assertClose("backward data, round " + round, backwardDataReference(g, dy, w), download(cl, dxs));
            }
            cl.scale(ws, -0.5f, ws, w.length);   // a kernel writes w
            float[] halved = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                halved[i] = -0.5f * w[i];
            }
            cl.conv2dForward(g, xs, ws, null, ys);
            assertClose("forward after scale", forwardReference(g, x, halved, null), download(cl, ys));
            cl.fill(dxs, 0f, g.inputSize());
            cl.conv2dBackwardData(g, dys, ws, dxs);
            assertClose("backward data after scale", backwardDataReference(g, dy, halved), download(cl, dxs));
            cl.copy(w2s, ws, w.length);          // a copy writes w
            cl.conv2dForward(g, xs, ws, null, ys);
            assertClose("forward after copy", forwardReference(g, x, w2, null), download(cl, ys));
            cl.fill(dxs, 0f, g.inputSize());
            cl.conv2dBackwardData(g, dys, ws, dxs);
            assertClose("backward data after copy", backwardDataReference(g, dy, w2), download(cl, dxs));
        } finally {
            for (Storage s : new Storage[]{xs, ws, ys, dys, dxs, w2s}) {
                s.release();
            }
        }
    }

    /**
     * Other tunings, run on whatever device is here through ClWinograd itself (ClConvolution sends
     * only tunings without local tiles to Winograd): the form for devices with local-memory tiles
     * (one tile per transform work-item, products by the tiled GEMM), and winograd_product with
     * one channel vector and 5 tiles per work-item.
     */
    @Test
    void otherTunings() {
        for (Tuning tuning : new Tuning[]{Tuning.gpu(256), Tuning.cpu().withVk(1).withPx(5)}) {
            OpenClBackend other = new OpenClBackend(backend().device(), tuning);
            try {
                ClWinograd winograd = new ClWinograd(other.runtime(), new ClGemm(other.runtime()));
                Random rnd = new Random(14);
                for (ConvGeometry g : new ConvGeometry[]{
                        new ConvGeometry(1, 32, 30, 30, 40, 3, 3, 1, 1, 1, 1),
                        new ConvGeometry(2, 33, 11, 14, 32, 3, 3, 1, 1, 2, 2)}) {
                    float[] x = random(rnd, (int) g.inputSize()), w = random(rnd, (int) g.weightSize()), bias = random(rnd, g.k());
                    float[] dy = random(rnd, (int) g.outputSize()), dx0 = random(rnd, (int) g.inputSize());
                    Storage xs = other.upload(x), ws = other.upload(w), bs = other.upload(bias);
                    Storage ys = other.allocate(g.outputSize()), dys = other.upload(dy), dxs = other.upload(dx0);
                    winograd.forward(g, xs, ws, bs, ys);
                    assertClose(tuning + ", forward " + g, forwardReference(g, x, w, bias), download(other, ys));
                    winograd.backwardData(g, dys, ws, dxs);
                    double[] expected = backwardDataReference(g, dy, w);
                    for (int i = 0; i < expected.length; i++) {
                        expected[i] += dx0[i];
                    }
                    assertClose(tuning + ", backward data " + g, expected, download(other, dxs));
                }
            } finally {
                other.close();
            }
        }
    }

    @Test
    void theTileFollowsTheOutputSize() {
        assertEquals(2, ClWinograd.tileFor(14, 14));
        assertEquals(2, ClWinograd.tileFor(16, 16));
        assertEquals(4, ClWinograd.tileFor(17, 16));
        assertEquals(4, ClWinograd.tileFor(28, 28));
    }

    /** y (forward) or dx (backward) on the OpenCL backend, starting from a copy of {@code out}. */
    private static float[] run(ConvGeometry g, float[] in, float[] w, float[] bias, float[] out, boolean backward) {
        Backend cl = backend();
        Storage is = cl.upload(in), ws = cl.upload(w), os = cl.upload(out), bs = bias == null ? null : cl.upload(bias);
        try {
            if (backward) {
                cl.conv2dBackwardData(g, is, ws, os);
            } else {
                cl.conv2dForward(g, is, ws, bs, os);
            }
            return download(cl, os);
        } finally {
            is.release();
            ws.release();
            os.release();
            if (bs != null) {
                bs.release();
            }
        }
    }

    private static float[] download(Backend b, Storage s) {
        float[] out = new float[(int) s.size()];
        b.download(s, out);
        return out;
    }

    private static void assertClose(String what, double[] expected, float[] got) {
        float[] ref = new float[expected.length];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = (float) expected[i];
        }
        double err = relativeError(ref, got);
        assertTrue(err <= TOLERANCE, () -> what + ": differs from the double-precision direct convolution by " + err
                + " (relative to its largest value), tolerance " + TOLERANCE);
    }

    /** y[n][k][i][j] = sum_{c, r, s} w[k][c][r][s] x[n][c][i - ph + r][j - pw + s] + bias[k], in double. */
    static double[] forwardReference(ConvGeometry g, float[] x, float[] w, float[] bias) {
        int oh = g.outH(), ow = g.outW();
        double[] y = new double[(int) g.outputSize()];
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                double[] plane = new double[oh * ow];
                for (int c = 0; c < g.c(); c++) {
                    for (int r = 0; r < 3; r++) {
                        for (int s = 0; s < 3; s++) {
                            double wv = w[((k * g.c() + c) * 3 + r) * 3 + s];
                            for (int i = 0; i < oh; i++) {
                                int yi = i - g.padH() + r;
                                if (yi < 0 || yi >= g.h()) {
                                    continue;
                                }
                                int row = ((n * g.c() + c) * g.h() + yi) * g.w();
                                for (int j = 0; j < ow; j++) {
                                    int xj = j - g.padW() + s;
                                    if (xj >= 0 && xj < g.w()) {
                                        plane[i * ow + j] += wv * x[row + xj];
                                    }
                                }
                            }
                        }
                    }
                }
                for (int p = 0; p < plane.length; p++) {
                    y[(n * g.k() + k) * oh * ow + p] = plane[p] + (bias == null ? 0 : bias[k]);
                }
            }
        }
        return y;
    }

    /** dx[n][c][yi][xj] = sum_{k, r, s} w[k][c][r][s] dy[n][k][yi + ph - r][xj + pw - s], in double. */
    static double[] backwardDataReference(ConvGeometry g, float[] dy, float[] w) {
        int oh = g.outH(), ow = g.outW();
        double[] dx = new double[(int) g.inputSize()];
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int c = 0; c < g.c(); c++) {
                    for (int r = 0; r < 3; r++) {
                        for (int s = 0; s < 3; s++) {
                            double wv = w[((k * g.c() + c) * 3 + r) * 3 + s];
                            for (int i = 0; i < oh; i++) {
                                int yi = i - g.padH() + r;
                                if (yi < 0 || yi >= g.h()) {
                                    continue;
                                }
                                for (int j = 0; j < ow; j++) {
                                    int xj = j - g.padW() + s;
                                    if (xj >= 0 && xj < g.w()) {
                                        dx[((n * g.c() + c) * g.h() + yi) * g.w() + xj] += wv * dy[((n * g.k() + k) * oh + i) * ow + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }
}
