package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static dev.pixelgrad.kernels.OpenClTestSupport.backend;
import static dev.pixelgrad.kernels.OpenClTestSupport.check;
import static dev.pixelgrad.kernels.OpenClTestSupport.positive;
import static dev.pixelgrad.kernels.OpenClTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reductions into scalar buffers and total variation. The Java backend sums in double; the
 * device sums in float with Kahan compensation, in a fixed order, so 1e-5 holds even for
 * millions of terms (the sum of random signs is small, so relative error is the hard case).
 */
@Tag("opencl")
class ReductionKernelsTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 17, 4095, 4097, 3_000_001})
    void sums(int n) {
        Random rnd = new Random(n);
        float[] a = random(rnd, n), b = random(rnd, n), out = new float[1];
        check("sum n=" + n, 1e-5, (be, t) -> be.sum(t[0], n, t[1]), a, out);
        check("sumAbs n=" + n, 1e-5, (be, t) -> be.sumAbs(t[0], n, t[1]), a, out);
        check("sumSquaredDiff n=" + n, 1e-5, (be, t) -> be.sumSquaredDiff(t[0], t[1], n, t[2]), a, b, out);
        check("dot n=" + n, 1e-5, (be, t) -> be.dot(t[0], t[1], n, t[2]), a, b, out);
    }

    @Test
    void sumsAreReproducible() {
        Backend cl = backend();
        float[] a = random(new Random(5), 1_234_567);
        Storage x = cl.upload(a), out = cl.allocate(1);
        cl.sum(x, a.length, out);
        float first = cl.readScalar(out, 0);
        for (int i = 0; i < 3; i++) {
            cl.sum(x, a.length, out);
            assertEquals(Float.floatToIntBits(first), Float.floatToIntBits(cl.readScalar(out, 0)));
        }
        x.release();
        out.release();
    }

    @Test
    void countNonFinite() {
        Backend cl = backend();
        float[] a = random(new Random(6), 100_000);
        a[0] = Float.NaN;
        a[777] = Float.POSITIVE_INFINITY;
        a[99_999] = Float.NEGATIVE_INFINITY;
        Storage x = cl.upload(a);
        assertEquals(3, cl.countNonFinite(x, a.length));
        assertEquals(2, cl.countNonFinite(x, 99_999));
        x.release();
    }

    @ParameterizedTest
    @ValueSource(floats = {1f, 2f, 1.5f})
    void totalVariation(float beta) {
        Random rnd = new Random(7);
        int n = 2, c = 3, h = 13, w = 17;
        float[] x = positive(rnd, n * c * h * w), out = new float[1], s = {0.75f}, dx = random(rnd, x.length);
        check("tv forward beta=" + beta, 1e-5, (be, t) -> be.totalVariationForward(t[0], n, c, h, w, beta, 1e-3f, t[1]), x, out);
        check("tv backward beta=" + beta, 1e-4,
                (be, t) -> be.totalVariationBackward(t[0], n, c, h, w, beta, 1e-3f, t[1], t[2]), x, s, dx);
    }

    @Test
    void totalVariationOnLargeImage() {
        Random rnd = new Random(8);
        int n = 1, c = 3, h = 301, w = 299;
        float[] x = random(rnd, n * c * h * w), out = new float[1];
        check("tv forward large", 1e-5, (be, t) -> be.totalVariationForward(t[0], n, c, h, w, 1f, 1e-6f, t[1]), x, out);
    }
}
