package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fast convolution paths (implicit GEMM, rotated-kernel backward, 1x1, explicit columns)
 * against direct loops in double precision.
 * <pre>x: (N, C, H, W)   w: (K, C, R, S)   y: (N, K, outH, outW)</pre>
 */
class ConvolutionTest {

    private static ConvGeometry geo(int n, int c, int h, int w, int k, int r, int s, int strideH, int strideW, int padH, int padW) {
        return new ConvGeometry(n, c, h, w, k, r, s, strideH, strideW, padH, padW);
    }

    private static final List<ConvGeometry> CASES = List.of(
            geo(2, 3, 9, 7, 5, 3, 3, 1, 1, 1, 1),       // batch 2, C=3, non-square
            geo(1, 3, 10, 13, 4, 1, 1, 1, 1, 0, 0),     // 1x1: no columns
            geo(2, 4, 8, 11, 3, 1, 1, 2, 2, 0, 0),      // 1x1 stride 2
            geo(1, 3, 12, 10, 2, 9, 9, 1, 1, 4, 4),     // 9x9, pad 4
            geo(1, 2, 11, 9, 3, 3, 3, 2, 2, 1, 1),      // stride 2
            geo(1, 3, 7, 8, 2, 3, 3, 1, 1, 0, 0),       // pad 0
            geo(1, 3, 7, 8, 2, 3, 3, 1, 1, 2, 2),       // pad 2
            geo(1, 3, 6, 5, 2, 3, 3, 1, 1, 3, 3),       // pad 3 > R-1: explicit columns backward
            geo(2, 3, 5, 6, 2, 3, 3, 2, 2, 4, 4),       // pad 4, stride 2
            geo(1, 3, 8, 9, 4, 3, 5, 2, 1, 1, 2),       // non-square kernel, mixed strides
            geo(1, 40, 20, 23, 33, 3, 3, 1, 1, 1, 1),   // several depth blocks, threads split pixels
            geo(1, 64, 6, 6, 70, 3, 3, 1, 1, 1, 1));    // threads split channels, shared packed B

    static double[] forwardRef(ConvGeometry g, float[] x, float[] w, float[] b) {
        int oh = g.outH(), ow = g.outW();
        double[] y = new double[(int) g.outputSize()];
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = b == null ? 0 : b[k];
                        for (int c = 0; c < g.c(); c++) {
                            for (int r = 0; r < g.r(); r++) {
                                for (int q = 0; q < g.s(); q++) {
                                    int yi = i * g.strideH() + r - g.padH(), xj = j * g.strideW() + q - g.padW();
                                    if (yi >= 0 && yi < g.h() && xj >= 0 && xj < g.w()) {
                                        s += (double) w[((k * g.c() + c) * g.r() + r) * g.s() + q]
                                                * x[((n * g.c() + c) * g.h() + yi) * g.w() + xj];
                                    }
                                }
                            }
                        }
                        y[((n * g.k() + k) * oh + i) * ow + j] = s;
                    }
                }
            }
        }
        return y;
    }

    /** dx and dw by scattering every term of the forward sum (the definition of the adjoint). */
    static void backwardRef(ConvGeometry g, float[] x, float[] w, float[] dy, double[] dx, double[] dw, double[] db) {
        int oh = g.outH(), ow = g.outW();
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double d = dy[((n * g.k() + k) * oh + i) * ow + j];
                        db[k] += d;
                        for (int c = 0; c < g.c(); c++) {
                            for (int r = 0; r < g.r(); r++) {
                                for (int q = 0; q < g.s(); q++) {
                                    int yi = i * g.strideH() + r - g.padH(), xj = j * g.strideW() + q - g.padW();
                                    if (yi >= 0 && yi < g.h() && xj >= 0 && xj < g.w()) {
                                        int wi = ((k * g.c() + c) * g.r() + r) * g.s() + q;
                                        int xi = ((n * g.c() + c) * g.h() + yi) * g.w() + xj;
                                        dx[xi] += d * w[wi];
                                        dw[wi] += d * x[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void compare(String what, ConvGeometry g, float[] got, double[] want, double tol) {
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])))) {
                fail(what + " " + g + ": element " + i + " = " + got[i] + ", expected " + want[i]);
            }
        }
    }

    @Test
    void fastPathsMatchDirectLoops() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (ConvGeometry g : CASES) {
            float[] x = GemmTest.random(rnd, (int) g.inputSize()), w = GemmTest.random(rnd, (int) g.weightSize());
            float[] b = GemmTest.random(rnd, g.k()), dy = GemmTest.random(rnd, (int) g.outputSize());
            double tol = 2e-6 * g.c() * g.r() * g.s() + 1e-5;

            float[] y = new float[(int) g.outputSize()];
            java.util.Arrays.fill(y, Float.NaN); // forward overwrites y
            Convolution.forward(g, x, w, WinogradWeights.UNVERSIONED, b, y);
            compare("forward", g, y, forwardRef(g, x, w, b), tol);

            double[] dxRef = new double[x.length], dwRef = new double[w.length], dbRef = new double[g.k()];
            float[] dx = GemmTest.random(rnd, x.length), dw = GemmTest.random(rnd, w.length), db = GemmTest.random(rnd, g.k());
            // The backward passes accumulate: the reference starts from the same values.
            for (int i = 0; i < dx.length; i++) {
                dxRef[i] = dx[i];
            }
            for (int i = 0; i < dw.length; i++) {
                dwRef[i] = dw[i];
            }
            for (int i = 0; i < db.length; i++) {
                dbRef[i] = db[i];
            }
            backwardRef(g, x, w, dy, dxRef, dwRef, dbRef);
            Convolution.backwardData(g, dy, w, WinogradWeights.UNVERSIONED, dx);
            compare("backwardData", g, dx, dxRef, 2e-6 * g.k() * g.r() * g.s() + 1e-5);
            Convolution.backwardWeights(g, x, dy, dw, db);
            int p = g.n() * g.outH() * g.outW();
            compare("backwardWeights", g, dw, dwRef, 2e-6 * p + 1e-5);
            compare("backwardWeights (bias)", g, db, dbRef, 2e-6 * p + 1e-5);
        }
    }
}
