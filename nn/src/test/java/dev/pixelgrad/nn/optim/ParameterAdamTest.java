package dev.pixelgrad.nn.optim;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.tensor.testing.LoopBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ParameterAdam against the values torch.optim.Adam (PyTorch 1.13, lr 0.01, other settings
 * default) printed for the same parameters and gradients:
 * <pre>
 * p1 = tensor([0.5, -1.25, 2.0]); p2 = tensor([[1.0, -0.75], [0.25, 3.0]])
 * opt = torch.optim.Adam([p1, p2], lr=0.01); then per step: p.grad = g; opt.step()
 * </pre>
 */
class ParameterAdamTest {
    static final float[][][] GRADS = {
            {{0.3f, -2.0f, 1e-3f}, {1.0f, 0.0f, -0.5f, 4.0f}},
            {{-0.1f, -1.0f, 2.0f}, {0.5f, 0.25f, -0.5f, -4.0f}},
            {{0.7f, 0.5f, -3.0f}, {-1.0f, 2.0f, 0.125f, 1.0f}},
    };
    static final float[][][] TORCH = {
            {{0.49000000953674316f, -1.2400000095367432f, 1.9900001287460327f},
                    {0.9900000095367432f, -0.75f, 0.25999999046325684f, 2.990000009536743f}},
            {{0.4859978258609772f, -1.2306782007217407f, 1.9825553894042969f},
                    {0.9806782007217407f, -0.7574413418769836f, 0.26999998092651367f, 2.9905264377593994f}},
            {{0.47890257835388184f, -1.2250416278839111f, 1.984680414199829f},
                    {0.9795703887939453f, -0.7644933462142944f, 0.2764989733695984f, 2.989814281463623f}},
    };
    /** torch's exp_avg and exp_avg_sq of p1 after the three steps. */
    static final float[] TORCH_M1 = {0.08529999852180481f, -0.20200000703334808f, -0.11991900950670242f};
    static final float[] TORCH_V1 = {0.0005898101371712983f, 0.005241004284471273f, 0.012996001169085503f};

    private static List<Tensor> parameters(Backend be) {
        return List.of(Tensor.of(new float[]{0.5f, -1.25f, 2.0f}, Shape.of(3), be).requiresGrad(true),
                Tensor.of(new float[]{1.0f, -0.75f, 0.25f, 3.0f}, Shape.of(2, 2), be).requiresGrad(true));
    }

    /** Accumulates gradient g into p through the loss sum(g * p). */
    private static void backward(List<Tensor> ps, float[][] g) {
        Tensor loss = null;
        for (int i = 0; i < ps.size(); i++) {
            Tensor p = ps.get(i);
            Tensor term = Tensor.of(g[i], p.shape(), p.backend()).mul(p).sum();
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();
    }

    private static void assertClose(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol * Math.max(1f, Math.abs(expected[i])),
                    what + "[" + i + "]: expected " + expected[i] + " (torch), got " + actual[i]);
        }
    }

    private static void matchesTorch(Backend be) {
        List<Tensor> ps = parameters(be);
        try (ParameterAdam adam = new ParameterAdam(ps, AdamOptions.defaults().withLearningRate(0.01f))) {
            for (int k = 0; k < GRADS.length; k++) {
                adam.zeroGrad();
                backward(ps, GRADS[k]);
                adam.step();
                assertClose(TORCH[k][0], ps.get(0).toArray(), 1e-6f, be.name() + " step " + (k + 1) + " p1");
                assertClose(TORCH[k][1], ps.get(1).toArray(), 1e-6f, be.name() + " step " + (k + 1) + " p2");
            }
            assertEquals(3, adam.steps());
            ParameterAdam.State s = adam.state();
            assertEquals(3, s.steps());
            assertClose(TORCH_M1, s.m().get(0), 1e-6f, "exp_avg of p1");
            assertClose(TORCH_V1, s.v().get(0), 1e-5f, "exp_avg_sq of p1");
        }
    }

    @Test
    void stepsMatchTorchOptimAdamWithTheFusedKernel() {
        matchesTorch(Backends.java());
    }

    @Test
    void stepsMatchTorchOptimAdamComposedFromElementwiseKernels() {
        matchesTorch(new LoopBackend());
    }

    @Test
    void defaultsAreTorchs() {
        AdamOptions o = new ParameterAdam(parameters(Backends.java())).options();
        assertEquals(1e-3f, o.learningRate());
        assertEquals(0.9f, o.beta1());
        assertEquals(0.999f, o.beta2());
        assertEquals(1e-8f, o.eps());
    }

    @Test
    void restoredStateResumesExactly() {
        Backend be = Backends.java();
        AdamOptions o = AdamOptions.defaults().withLearningRate(0.01f);
        List<Tensor> straight = parameters(be), resumed = parameters(be);
        try (ParameterAdam a = new ParameterAdam(straight, o); ParameterAdam first = new ParameterAdam(resumed, o)) {
            for (float[][] g : GRADS) {
                a.zeroGrad();
                backward(straight, g);
                a.step();
            }
            first.zeroGrad();
            backward(resumed, GRADS[0]);
            first.step();
            ParameterAdam.State saved = first.state();
            List<Tensor> copies = List.of(Tensor.of(resumed.get(0).toArray(), resumed.get(0).shape(), be).requiresGrad(true),
                    Tensor.of(resumed.get(1).toArray(), resumed.get(1).shape(), be).requiresGrad(true));
            try (ParameterAdam second = new ParameterAdam(copies, o)) {
                second.restore(saved);
                assertEquals(1, second.steps());
                for (int k = 1; k < GRADS.length; k++) {
                    second.zeroGrad();
                    backward(copies, GRADS[k]);
                    second.step();
                }
            }
            for (int i = 0; i < 2; i++) {
                float[] x = straight.get(i).toArray(), y = copies.get(i).toArray();
                for (int j = 0; j < x.length; j++) {
                    assertEquals(x[j], y[j], "parameter " + i + "[" + j + "] after resuming");
                }
            }
        }
    }

    @Test
    void badUseSaysWhatIsWrong() {
        Backend be = Backends.java();
        List<Tensor> ps = parameters(be);
        try (ParameterAdam adam = new ParameterAdam(ps)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, adam::step);
            assertTrue(e.getMessage().contains("parameter 0 [3] has no gradient"), e.getMessage());
            ParameterAdam.State wrong = new ParameterAdam.State(2, List.of(new float[3], new float[5]), List.of(new float[3], new float[5]));
            IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> adam.restore(wrong));
            assertTrue(r.getMessage().contains("parameter 1 [2,2] holds 4 values but the state's moments hold 5 and 5"), r.getMessage());
            ParameterAdam.State fewer = new ParameterAdam.State(2, List.of(new float[3]), List.of(new float[3]));
            assertThrows(IllegalArgumentException.class, () -> adam.restore(fewer));
        }
    }
}
