package dev.pixelgrad.nn.optim;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {
    private final Backend be = Backends.java();

    private Objective quadratic(float[] a, float[] b) {
        return quadratic(a, b, be);
    }

    /** f(x) = 1/2 sum_i a_i (x_i - b_i)^2, all in tensor ops. */
    static Objective quadratic(float[] a, float[] b, Backend be) {
        Tensor ta = Tensor.of(a, Shape.of(a.length), be), tb = Tensor.of(b, Shape.of(b.length), be);
        return x -> {
            x.zeroGrad();
            Tensor loss = x.sub(tb).square().mul(ta).sum().scale(0.5f);
            float value = loss.item();
            loss.backward();
            return value;
        };
    }

    private static float[] ramp(int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * i / (n - 1);
        }
        return v;
    }

    /**
     * Rosenbrock, f = sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, evaluated on the host; the
     * gradient reaches x.grad through the linear surrogate sum(g * x), whose gradient is g.
     */
    private Objective rosenbrock() {
        return x -> {
            float[] v = x.toArray();
            int n = v.length;
            double f = 0;
            float[] g = new float[n];
            for (int i = 0; i + 1 < n; i++) {
                double r = v[i + 1] - (double) v[i] * v[i], s = 1 - v[i];
                f += 100 * r * r + s * s;
                g[i] += (float) (-400 * r * v[i] - 2 * s);
                g[i + 1] += (float) (200 * r);
            }
            x.zeroGrad();
            Tensor.of(g, x.shape(), be).mul(x).sum().backward();
            return (float) f;
        };
    }

    @Test
    void lbfgsSolvesIllConditionedQuadratic() {
        int n = 50;
        float[] a = ramp(n, 1f, 1000f), b = ramp(n, -1f, 2f);
        Tensor x = Tensor.zeros(Shape.of(n), be).requiresGrad(true);
        try (Lbfgs opt = new Lbfgs(x, quadratic(a, b), LbfgsOptions.defaults().withHistorySize(10))) {
            float f0 = opt.start();
            float f = f0;
            for (int k = 0; k < 100 && !opt.converged(); k++) {
                f = opt.step();
            }
            assertTrue(f < 1e-6f * f0, "f " + f + " from " + f0);
            float[] v = x.toArray();
            for (int i = 0; i < n; i++) {
                assertEquals(b[i], v[i], 2e-3f);
            }
            assertTrue(opt.historyLength() <= 10);
        }
    }

    @Test
    void lbfgsFindsRosenbrockMinimum() {
        Tensor x = Tensor.of(new float[]{-1.2f, 1f, -1.2f, 1f}, Shape.of(4), be).requiresGrad(true);
        try (Lbfgs opt = new Lbfgs(x, rosenbrock(), LbfgsOptions.defaults())) {
            opt.start();
            float f = Float.NaN;
            for (int k = 0; k < 200 && !opt.converged(); k++) {
                f = opt.step();
            }
            assertTrue(f < 1e-6f, "f = " + f);
            for (float v : x.toArray()) {
                assertEquals(1f, v, 1e-3f);
            }
        }
    }

    @Test
    void lossNeverIncreasesWithBacktracking() {
        Tensor x = Tensor.of(new float[]{-1.2f, 1f}, Shape.of(2), be).requiresGrad(true);
        try (Lbfgs opt = new Lbfgs(x, rosenbrock(), LbfgsOptions.defaults())) {
            float prev = opt.start();
            for (int k = 0; k < 30; k++) {
                float f = opt.step();
                assertTrue(f <= prev + 1e-6f, "step " + k + ": " + prev + " -> " + f);
                prev = f;
            }
        }
    }

    @Test
    void adamConvergesOnQuadratic() {
        int n = 20;
        float[] a = ramp(n, 1f, 10f), b = ramp(n, -1f, 1f);
        Tensor x = Tensor.zeros(Shape.of(n), be).requiresGrad(true);
        try (Adam opt = new Adam(x, quadratic(a, b), AdamOptions.defaults().withLearningRate(0.05f))) {
            float f0 = opt.start();
            float f = f0;
            for (int k = 0; k < 500; k++) {
                f = opt.step();
            }
            assertTrue(f < 1e-4f * f0, "f " + f + " from " + f0);
            assertEquals(501, opt.evaluations());
        }
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> LbfgsOptions.defaults().withHistorySize(0));
        assertThrows(IllegalArgumentException.class, () -> AdamOptions.defaults().withLearningRate(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OptimizerKind.parse("sgd"));
        assertTrue(e.getMessage().contains("lbfgs"));
        assertEquals(OptimizerKind.LBFGS, OptimizerKind.parse("L-BFGS"));
    }
}
