package dev.pixelgrad.nn.optim;

import dev.pixelgrad.tensor.AdamKernel;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.tensor.testing.LoopBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adam's fused kernel is an optional capability: a backend without it (the plain-loop test
 * backend) gets the same steps composed from elementwise kernels.
 */
class AdamCapabilityTest {

    /** Ten Adam steps on f(x) = sum (x - b)^2 from x0; returns x. */
    private static float[] tenSteps(Backend be) {
        int n = 37;
        float[] x0 = new float[n], b = new float[n];
        for (int i = 0; i < n; i++) {
            x0[i] = (float) Math.sin(i);
            b[i] = (float) Math.cos(3 * i) * (i % 5);
        }
        Tensor x = Tensor.of(x0, Shape.of(n), be).requiresGrad(true), target = Tensor.of(b, Shape.of(n), be);
        Objective f = t -> {
            t.zeroGrad();
            Tensor loss = t.sub(target).square().sum();
            float v = loss.item();
            loss.backward();
            return v;
        };
        try (Adam adam = new Adam(x, f, AdamOptions.defaults().withLearningRate(0.05f))) {
            adam.start();
            for (int k = 0; k < 10; k++) {
                adam.step();
            }
        }
        return x.toArray();
    }

    @Test
    void composedStepsEqualTheFusedKernel() {
        Backend fused = Backends.java(), composed = new LoopBackend();
        assertTrue(fused instanceof AdamKernel);
        assertFalse(composed instanceof AdamKernel);
        float[] a = tenSteps(fused), b = tenSteps(composed);
        for (int i = 0; i < a.length; i++) {
            float diff = Math.abs(a[i] - b[i]);
            assertTrue(diff <= 1e-5f * Math.max(1f, Math.abs(a[i])),
                    "x[" + i + "]: fused " + a[i] + ", composed " + b[i]);
        }
    }
}
