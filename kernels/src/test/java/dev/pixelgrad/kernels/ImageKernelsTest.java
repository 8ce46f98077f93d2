package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.ReflectionPadGeometry;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.WindowGeometry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.pixelgrad.kernels.OpenClTestSupport.backend;
import static dev.pixelgrad.kernels.OpenClTestSupport.check;
import static dev.pixelgrad.kernels.OpenClTestSupport.random;

/** Windows (crop, roll, forward and backward), per-channel clamping, reflection padding, nearest upsampling and instance normalisation. */
@Tag("opencl")
class ImageKernelsTest {
    private final Random rnd = new Random(3);
    private final int n = 2, c = 3, h = 11, w = 13;
    private final Shape shape = Shape.of(n, c, h, w);
    private final float[] x = random(rnd, n * c * h * w);

    @Test
    void clampPerChannel() {
        float[] lo = {-0.5f, -0.1f, -0.9f}, hi = {0.5f, 0.2f, 0.0f};
        float[] y = new float[x.length];
        check("clampChannels", 0, (b, s) -> b.clampChannels(s[0], s[1], s[2], n, c, h * w, s[3]), x, lo, hi, y);
        check("clampChannels in place", 0, (b, s) -> b.clampChannels(s[0], s[1], s[2], n, c, h * w, s[0]), x, lo, hi);
    }

    @Test
    void rollForwardAndBackward() {
        float[] y = new float[x.length];
        for (int[] shift : new int[][]{{0, 0}, {3, -5}, {-14, 27}, {h, w}}) {
            WindowGeometry g = WindowGeometry.roll(shape, shift[0], shift[1]);
            check("roll " + shift[0] + "," + shift[1], 0, (b, s) -> b.windowForward(g, s[0], s[1]), x, y);
            check("roll backward " + shift[0] + "," + shift[1], 1e-6, (b, s) -> b.windowBackward(g, s[0], s[1]), x, y);
        }
    }

    @Test
    void cropForwardAndBackward() {
        int th = 5, tw = 7, y0 = 4, x0 = 3;
        float[] tile = random(rnd, n * c * th * tw);
        WindowGeometry g = WindowGeometry.crop(shape, y0, x0, th, tw);
        check("crop", 0, (b, s) -> b.windowForward(g, s[0], s[1]), x, tile);
        check("crop backward", 1e-6, (b, s) -> b.windowBackward(g, s[0], s[1]), tile, x);
    }

    @Test
    void windowThatWrapsAroundBothEdges() {
        float[] tile = random(rnd, n * c * 9 * 10);
        WindowGeometry g = new WindowGeometry(n * c, h, w, 9, 10, 8, 6);
        check("wrapping window", 0, (b, s) -> b.windowForward(g, s[0], s[1]), x, tile);
        check("wrapping window backward", 1e-6, (b, s) -> b.windowBackward(g, s[0], s[1]), tile, x);
    }

    @Test
    void reflectionPadForwardAndBackward() {
        reflectionPad(backend());
    }

    private void reflectionPad(OpenClBackend cl) {
        ReflectionPadGeometry[] pads = {
                ReflectionPadGeometry.of(shape, 4, 4, 4, 4),                 // TransformerNet's 9x9 convolution
                ReflectionPadGeometry.of(shape, 1, 3, 0, 2),                 // asymmetric
                ReflectionPadGeometry.of(shape, h - 1, h - 1, w - 1, w - 1), // pad = size - 1
                new ReflectionPadGeometry(4, 3, 3, 2, 2, 2, 2),              // middle pixel read 3 x 3 times
                new ReflectionPadGeometry(4, 2, 2, 1, 1, 1, 1),              // size 2
                new ReflectionPadGeometry(3, 1, 5, 0, 0, 4, 2),              // one row pads only sideways
                ReflectionPadGeometry.of(Shape.of(2, 32, 67, 45), 4, 4, 4, 4),
                ReflectionPadGeometry.of(Shape.of(2, 32, 67, 45), 66, 1, 0, 44)};
        for (ReflectionPadGeometry g : pads) {
            float[] in = random(rnd, (int) g.inputSize()), out = random(rnd, (int) g.outputSize());
            check(cl, "reflection pad " + g, 0, (b, s) -> b.reflectionPadForward(g, s[0], s[1]), in, out);
            check(cl, "reflection pad backward " + g, 1e-5, (b, s) -> b.reflectionPadBackward(g, s[0], s[1]), out, in);
        }
    }

    @Test
    void upsampleNearestForwardAndBackward() {
        upsampleNearest(backend());
    }

    private void upsampleNearest(OpenClBackend cl) {
        int[][] sizes = {{n * c, h, w, 2}, {n * c, h, w, 3}, {3, 1, 1, 4}, {n * c, h, w, 1}, {2 * 32, 67, 45, 2}, {2 * 32, 67, 45, 3}};
        for (int[] s : sizes) {
            int planes = s[0], ph = s[1], pw = s[2], f = s[3];
            float[] in = random(rnd, planes * ph * pw), out = random(rnd, planes * ph * pw * f * f);
            String what = planes + " planes of " + ph + "x" + pw + " x" + f;
            check(cl, "upsample nearest " + what, 0, (b, bufs) -> b.upsampleNearestForward(planes, ph, pw, f, bufs[0], bufs[1]), in, out);
            check(cl, "upsample nearest backward " + what, 1e-5,
                    (b, bufs) -> b.upsampleNearestBackward(planes, ph, pw, f, bufs[0], bufs[1]), out, in);
        }
    }

    // ---- instance normalisation: x (n, c, hw), gamma, beta (c), statistics (n, c) ------------

    @Test
    void instanceNormOddPlanes() {
        instanceNorm("2x3x11x13", n, c, h * w, x, 1e-5);
    }

    @Test
    void instanceNormPlanesAgainstTheVectorWidth() {
        instanceNormRaggedPlanes(backend());
    }

    /**
     * Planes of one pixel, fewer pixels than a vector (16 on a CPU, 4 on a GPU), exactly one
     * vector, and sizes that leave a scalar tail after fewer or more vectors than the group has items.
     */
    private void instanceNormRaggedPlanes(OpenClBackend cl) {
        int[][] shapes = {{2, 3, 1}, {1, 2, 3}, {2, 3, 15}, {1, 2, 16}, {2, 3, 17 * 19}, {2, 32, 67 * 45}};
        for (int[] s : shapes) {
            int planes = s[0] * s[1], hw = s[2];
            float[] v = random(rnd, planes * hw);
            for (int i = 0; i < v.length; i++) {
                v[i] += i / hw % 2 == 0 ? 0.5f : -2f; // means away from 0, as in instanceNormPlanesOf256x256
            }
            instanceNorm(cl, s[0] + "x" + s[1] + " planes of " + hw, s[0], s[1], hw, v, 1e-5);
        }
    }

    /**
     * The launch shapes of another device type: GPU shapes on a CPU and CPU shapes on a GPU, and
     * one group item reading pairs, so every path of the resize and instance-norm kernels runs here.
     */
    @Test
    void otherLaunchShapes() {
        OpenClBackend shared = backend();
        ClImageKernels.Shapes mine = shared.runtime().imageShapes();
        for (ClImageKernels.Shapes shapes : new ClImageKernels.Shapes[]{
                mine.wholeRows() ? ClImageKernels.Shapes.gpu(256) : ClImageKernels.Shapes.CPU,
                new ClImageKernels.Shapes(1, 2, !mine.wholeRows())}) {
            OpenClBackend other = new OpenClBackend(shared.device(), shared.runtime().tuning(), shapes);
            try {
                reflectionPad(other);
                upsampleNearest(other);
                instanceNormRaggedPlanes(other);
                instanceNorm(other, "1x3x97x101, means 0, 1000 and ~127 with " + shapes, 1, 3, 97 * 101, largeMeanPlanes(), 1e-6);
            } finally {
                other.close();
            }
        }
    }

    @Test
    void instanceNormPlanesOf256x256() {
        // means 0.5 and -2: buffers are compared relative to their largest value, and a mean buffer
        // of ~0 (65536 uniform values) would measure its rounding against nothing
        int hw = 256 * 256;
        float[] planes = random(rnd, 2 * hw);
        for (int i = 0; i < 2 * hw; i++) {
            planes[i] += i < hw ? 0.5f : -2f;
        }
        instanceNorm("1x2x256x256", 1, 2, hw, planes, 1e-5);
    }

    @Test
    void instanceNormPlaneWithALargeMean() {
        instanceNorm("1x3x97x101, means 0, 1000 and ~127", 1, 3, 97 * 101, largeMeanPlanes(), 1e-6); // measured ~1e-7 on POCL
    }

    private float[] largeMeanPlanes() {
        // mean ~1000, spread ~1: the float mean alone would be off by an ulp of 1000 relative to that spread
        int hw = 97 * 101;
        float[] big = random(rnd, 3 * hw);
        for (int i = hw; i < 2 * hw; i++) {
            big[i] += 1000f;
        }
        for (int i = 2 * hw; i < 3 * hw; i++) {
            big[i] = (float) Math.floor((big[i] + 1) * 127.5); // an image channel in 0-255
        }
        return big;
    }

    /** Forward, then backward with every subset of the gradients, on both backends from the same inputs. */
    private void instanceNorm(String what, int n, int c, int hw, float[] x, double tolerance) {
        instanceNorm(backend(), what, n, c, hw, x, tolerance);
    }

    private void instanceNorm(OpenClBackend cl, String what, int n, int c, int hw, float[] x, double tolerance) {
        int len = n * c * hw;
        float eps = 1e-5f;
        float[] gamma = random(rnd, c), beta = random(rnd, c), dy = random(rnd, len);
        check(cl, "instanceNormForward " + what, tolerance,
                (b, s) -> b.instanceNormForward(n, c, hw, eps, s[0], s[1], s[2], s[3], s[4], s[5]),
                x, gamma, beta, random(rnd, len), random(rnd, n * c), random(rnd, n * c));
        float[][] stats = javaStatistics(n, c, hw, eps, x, gamma, beta);
        float[] mean = stats[0], invStd = stats[1];
        check(cl, "instanceNormBackward " + what, tolerance,
                (b, s) -> b.instanceNormBackward(n, c, hw, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]),
                x, gamma, mean, invStd, dy, random(rnd, len), random(rnd, c), random(rnd, c));
        check(cl, "instanceNormBackward dx only " + what, tolerance,
                (b, s) -> b.instanceNormBackward(n, c, hw, s[0], s[1], s[2], s[3], s[4], s[5], null, null),
                x, gamma, mean, invStd, dy, random(rnd, len));
        check(cl, "instanceNormBackward dgamma, dbeta only " + what, tolerance,
                (b, s) -> b.instanceNormBackward(n, c, hw, s[0], s[1], s[2], s[3], s[4], null, s[5], s[6]),
                x, gamma, mean, invStd, dy, random(rnd, c), random(rnd, c));
        check(cl, "instanceNormBackward dgamma only " + what, tolerance,
                (b, s) -> b.instanceNormBackward(n, c, hw, s[0], s[1], s[2], s[3], s[4], null, s[5], null),
                x, gamma, mean, invStd, dy, random(rnd, c));
    }

    /** The per-plane mean and 1 / sqrt(var + eps) as the Java backend computes them. */
    private static float[][] javaStatistics(int n, int c, int hw, float eps, float[] x, float[] gamma, float[] beta) {
        Backend java = Backends.java();
        Storage mean = java.allocate((long) n * c), invStd = java.allocate((long) n * c);
        java.instanceNormForward(n, c, hw, eps, java.upload(x), java.upload(gamma), java.upload(beta),
                java.allocate(x.length), mean, invStd);
        float[][] out = {new float[n * c], new float[n * c]};
        java.download(mean, out[0]);
        java.download(invStd, out[1]);
        return out;
    }
}
