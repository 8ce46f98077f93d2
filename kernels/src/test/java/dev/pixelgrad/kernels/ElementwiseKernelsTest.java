package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.AdamKernel;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static dev.pixelgrad.kernels.OpenClTestSupport.check;
import static dev.pixelgrad.kernels.OpenClTestSupport.positive;
import static dev.pixelgrad.kernels.OpenClTestSupport.random;

/** Elementwise kernels and the Adam step against the Java backend, on sizes around the work-group size. */
@Tag("opencl")
class ElementwiseKernelsTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 255, 257, 100_003})
    void arithmetic(int n) {
        Random rnd = new Random(n);
        float[] a = random(rnd, n), b = random(rnd, n), y = random(rnd, n), s = random(rnd, 1);
        check("add", 0, (be, t) -> be.add(t[0], t[1], t[2], n), a, b, y);
        check("sub", 0, (be, t) -> be.sub(t[0], t[1], t[2], n), a, b, y);
        check("mul", 0, (be, t) -> be.mul(t[0], t[1], t[2], n), a, b, y);
        check("add in place", 0, (be, t) -> be.add(t[0], t[1], t[0], n), a, b);
        check("scale", 0, (be, t) -> be.scale(t[0], -1.5f, t[1], n), a, y);
        check("axpy", 1e-6, (be, t) -> be.axpy(0.25f, t[0], t[1], n), a, y);
        check("axpyScalar", 1e-6, (be, t) -> be.axpyScalar(3f, t[0], t[1], n), s, y);
        check("mulAccumulate", 1e-6, (be, t) -> be.mulAccumulate(t[0], t[1], t[2], n), a, b, y);
        check("diffAccumulate", 1e-6, (be, t) -> be.diffAccumulate(2f, t[0], t[1], t[2], t[3], n), s, a, b, y);
        check("fill", 0, (be, t) -> be.fill(t[0], 0.5f, n), y);
        check("copy", 0, (be, t) -> be.copy(t[0], t[1], n), a, y);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1000, 65_537})
    void powerAndRelu(int n) {
        Random rnd = new Random(n + 1);
        float[] x = positive(rnd, n), dy = random(rnd, n), y = random(rnd, n), dx = random(rnd, n);
        for (float p : new float[]{2f, 0.5f, 3f, -1f}) {
            check("powForward p=" + p, 1e-5, (be, t) -> be.powForward(t[0], p, t[1], n), x, y);
            check("powBackward p=" + p, 1e-5, (be, t) -> be.powBackward(t[0], p, t[1], t[2], n), x, dy, dx);
        }
        float[] signed = random(rnd, n);
        check("reluForward", 0, (be, t) -> be.reluForward(t[0], t[1], n), signed, y);
        check("reluBackward", 0, (be, t) -> be.reluBackward(t[0], t[1], t[2], n), signed, dy, dx);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4097})
    void adam(int n) {
        Random rnd = new Random(n + 2);
        float[] p = random(rnd, n), g = random(rnd, n), m = random(rnd, n), v = positive(rnd, n);
        for (int step : new int[]{1, 7}) {
            check("adamUpdate t=" + step, 1e-5,
                    (be, t) -> ((AdamKernel) be).adamUpdate(t[0], t[1], t[2], t[3], n, 0.01f, 0.9f, 0.999f, 1e-8f, step), p, g, m, v);
        }
    }
}
