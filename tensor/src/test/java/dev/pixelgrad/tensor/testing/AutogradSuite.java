package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.ReluBackward;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the tape behaves, independent of any one op: accumulation, what is skipped, explicit seeds,
 * no-grad scopes, freeing of intermediates, shared inputs, and the named ops against their
 * composed forms. A backend's test class extends this and returns its backend.
 */
public abstract class AutogradSuite {

    /** The backend under test; every tensor of the suite is created on it. */
    protected abstract Backend backend();

    private final Random random = new Random(7);

    protected Tensor rand(int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2f * random.nextFloat() - 1f;
        }
        return Tensor.of(v, s, backend());
    }

    protected Tensor of(float[] v, int... dims) {
        return Tensor.of(v, Shape.of(dims), backend());
    }

    /** Asserts max |expected - actual| <= tol * max(1, max |expected|). */
    protected static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1, worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (!(worst <= tol * scale)) {
            throw new AssertionError(what + ": max difference " + worst + " at element " + at + " (expected "
                    + expected[at] + ", got " + actual[at] + "), tolerance " + tol * scale);
        }
    }

    // ---- accumulation and skipping -----------------------------------------------------------

    @Test
    void gradientsAccumulateUntilZeroGrad() {
        Tensor x = of(new float[]{1, -2, 3}, 3).requiresGrad(true);
        x.scale(2f).sum().backward();
        assertArrayEquals(new float[]{2, 2, 2}, x.grad().toArray());
        x.scale(3f).sum().backward();
        assertArrayEquals(new float[]{5, 5, 5}, x.grad().toArray(), "a second backward adds to grad()");
        x.zeroGrad();
        assertArrayEquals(new float[]{0, 0, 0}, x.grad().toArray(), "zeroGrad() sets grad() to zero");
        x.square().sum().backward();
        assertArrayEquals(new float[]{2, -4, 6}, x.grad().toArray(), "after zeroGrad() only the new gradient");
    }

    @Test
    void frozenConvWeightsGetNoGradient() {
        Tensor x = rand(1, 3, 6, 5).requiresGrad(true);
        Tensor w = rand(4, 3, 3, 3);
        Tensor b = rand(4);
        Ops.relu(Ops.conv2d(x, w, b, Conv2dSpec.of(1, 1))).sum().backward();
        assertNotNull(x.grad(), "the image needs its gradient");
        assertNull(w.grad(), "a frozen weight must not get a gradient");
        assertNull(b.grad(), "a frozen bias must not get a gradient");
    }

    @Test
    void frozenInputGetsNoGradientWhenOnlyWeightsTrain() {
        Tensor x = rand(1, 3, 6, 5);
        Tensor w = rand(4, 3, 3, 3).requiresGrad(true);
        Ops.conv2d(x, w, null, Conv2dSpec.of(1, 1)).sum().backward();
        assertNull(x.grad(), "an input that does not require a gradient must not get one");
        assertNotNull(w.grad());
    }

    @Test
    void onlyTheBiasTrains() {
        Tensor x = rand(2, 3, 4, 5), w = rand(4, 3, 3, 3);
        Tensor b = of(new float[]{0, 0, 0, 0}, 4).requiresGrad(true);
        Ops.conv2d(x, w, b, Conv2dSpec.of(2, 1)).sum().backward();
        assertNull(x.grad());
        assertNull(w.grad());
        // y: (2, 4, 2, 3), so each bias element feeds 2 * 2 * 3 outputs
        assertArrayEquals(new float[]{12, 12, 12, 12}, b.grad().toArray());
    }

    @Test
    void constantsDoNotRecordAnything() {
        Tensor a = rand(2, 3), b = rand(2, 3);
        Tensor y = a.mul(b);
        assertFalse(y.requiresGrad(), "an op on constants gives a constant");
        assertTrue(y.isLeaf());
    }

    // ---- seeds ------------------------------------------------------------------------------

    @Test
    void backwardWithAnExplicitSeed() {
        Tensor x = rand(2, 3).requiresGrad(true);
        Tensor y = x.scale(3f);
        float[] seed = {1, 2, 3, 4, 5, 6};
        y.backward(of(seed, 2, 3));
        float[] expected = new float[6];
        for (int i = 0; i < 6; i++) {
            expected[i] = 3f * seed[i];
        }
        assertArrayEquals(expected, x.grad().toArray(), 1e-6f, "dx = 3 seed");
    }

    @Test
    void deepDreamSeedEqualsHalfSquaredNorm() {
        // seeding an activation a with itself gives the gradient of (1/2) sum a^2 (DeepDream)
        Tensor x1 = rand(1, 3, 5, 6).requiresGrad(true);
        Tensor w = rand(2, 3, 3, 3);
        Tensor x2 = Tensor.of(x1.toArray(), x1.shape(), backend()).requiresGrad(true);
        Tensor a = Ops.conv2d(x1, w, null, Conv2dSpec.of(1, 1));
        a.backward(a.detach());
        Tensor a2 = Ops.conv2d(x2, w, null, Conv2dSpec.of(1, 1));
        a2.square().sum().scale(0.5f).backward();
        assertClose(x2.grad().toArray(), x1.grad().toArray(), 1e-5, "backward(a) vs d/dx (1/2) sum a^2");
    }

    // ---- recording scopes -------------------------------------------------------------------

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = rand(2, 3).requiresGrad(true);
        Tensor y;
        try (Grad.Scope outer = Grad.disabled()) {
            try (Grad.Scope inner = Grad.disabled()) {
                y = x.mul(x).sum();
            }
            assertFalse(Grad.isEnabled(), "closing a nested scope keeps the outer one in force");
        }
        assertTrue(Grad.isEnabled(), "closing the scope turns recording back on");
        assertFalse(y.requiresGrad(), "an op run in a no-grad scope is a constant");
        assertTrue(y.isLeaf());
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("does not require a gradient"), e.getMessage());
        assertNull(x.grad());
    }

    // ---- memory -----------------------------------------------------------------------------

    @Test
    void intermediatesAreReleasedAfterBackward() {
        Tensor x = rand(2, 3).requiresGrad(true);
        Tensor h = x.scale(2f);
        Tensor loss = h.square().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, h::toArray);
        assertTrue(e.getMessage().contains("released by backward()") && e.getMessage().contains("retain()"),
                "the message should say why and how to keep it: " + e.getMessage());
        assertEquals(2 * 3, x.toArray().length, "leaves stay readable");
        loss.item(); // the root stays readable
    }

    @Test
    void releasedValuesStillPassTheGradientOn() {
        // h = relu(2x): relu's backward reads its own output, so h's input 2x may go before backward
        Tensor x = of(new float[]{1, -2, 3}, 3).requiresGrad(true);
        Tensor twice = x.scale(2f);
        Tensor h = Ops.relu(twice);
        twice.releaseValues();
        IllegalStateException e = assertThrows(IllegalStateException.class, twice::toArray);
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        h.square().sum().backward();
        assertArrayEquals(new float[]{8, 0, 24}, x.grad().toArray(), "dL/dx = 2 * 2h [2x > 0]");

        Tensor leaf = of(new float[]{1, 2}, 2).requiresGrad(true);
        leaf.releaseValues();
        assertArrayEquals(new float[]{1, 2}, leaf.toArray(), "a leaf keeps its values");
        Tensor kept = leaf.scale(3f).retain();
        kept.releaseValues();
        assertArrayEquals(new float[]{3, 6}, kept.toArray(), "a retained tensor keeps its values");
    }

    @Test
    void retainKeepsAnIntermediateAndItsGradient() {
        Tensor x = of(new float[]{1, 2, 3}, 3).requiresGrad(true);
        Tensor h = x.scale(2f).retain();
        h.square().sum().backward();
        assertArrayEquals(new float[]{2, 4, 6}, h.toArray());
        assertArrayEquals(new float[]{4, 8, 12}, h.grad().toArray(), "dL/dh = 2h");
        assertArrayEquals(new float[]{8, 16, 24}, x.grad().toArray(), "dL/dx = 2 dL/dh");
    }

    @Test
    void aSecondBackwardThroughAUsedTapeFails() {
        Tensor x = rand(3).requiresGrad(true);
        Tensor loss = x.square().sum();
        loss.backward();
        float[] once = x.grad().toArray();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward,
                "the tape is freed by the first backward; a second one must not silently do nothing");
        assertTrue(e.getMessage().contains("forward"), e.getMessage());
        assertArrayEquals(once, x.grad().toArray(), "the failed backward leaves grad() alone");
    }

    // ---- shared inputs ----------------------------------------------------------------------

    @Test
    void anInputUsedTwiceGetsBothContributions() {
        Tensor x = of(new float[]{1, -2, 3}, 3).requiresGrad(true);
        x.mul(x).sum().backward();
        assertArrayEquals(new float[]{2, -4, 6}, x.grad().toArray(), "d/dx sum x*x = 2x");
    }

    @Test
    void aDiamondSumsBothPaths() {
        // h = 2x;  L = sum(h + h^2)  =>  dL/dx = 2 (1 + 2h) = 2 + 8x
        Tensor x = of(new float[]{1, -2, 0.5f}, 3).requiresGrad(true);
        Tensor h = x.scale(2f);
        h.add(h.square()).sum().backward();
        assertArrayEquals(new float[]{10, -14, 6}, x.grad().toArray(), 1e-6f);
    }

    @Test
    void aWeightSharedByTwoConvolutionsGetsBothContributions() {
        Tensor x1 = rand(1, 2, 5, 4), x2 = rand(1, 2, 5, 4);
        Tensor w = rand(3, 2, 3, 3).requiresGrad(true);
        Ops.conv2d(x1, w, null, Conv2dSpec.of(1, 1)).add(Ops.conv2d(x2, w, null, Conv2dSpec.of(1, 1))).sum().backward();
        float[] both = w.grad().toArray();
        w.zeroGrad();
        Ops.conv2d(x1, w, null, Conv2dSpec.of(1, 1)).sum().backward();
        Ops.conv2d(x2, w, null, Conv2dSpec.of(1, 1)).sum().backward();
        assertClose(w.grad().toArray(), both, 1e-5, "dw of a shared weight = sum of both uses");
    }

    // ---- guided ReLU backward -----------------------------------------------------------------

    /**
     * x: (1, 2, 1, 3) -> 1x1 conv w1 -> ReLU -> 1x1 conv w2 (+ b2 = (3, 0)) -> ReLU, backward from the sum of
     * output channel 0. By hand: a1 = (x0 - x1, 2 x0 + x1) = ([0.5, -2, 3], [2.5, -1, 3]),
     * h = relu(a1) = ([0.5, 0, 3], [2.5, 0, 3]), a2_0 = h0 - h1 + 3 = [1, 3, 3] > 0, so
     * dh = (1, -1) per pixel. Ordinary: da1 = ([1, 0, 1], [-1, 0, -1]), dx = w1^T da1 =
     * ([-1, 0, -1], [-2, 0, -2]). Guided: channel 1's negative dh stops at the ReLU, da1 = ([1, 0, 1], 0),
     * dx = ([1, 0, 1], [-1, 0, -1]).
     */
    private float[] twoLayerGradient() {
        Tensor x = of(new float[]{1, -1, 2, 0.5f, 1, -1}, 1, 2, 1, 3).requiresGrad(true);
        Tensor w1 = of(new float[]{1, -1, 2, 1}, 2, 2, 1, 1);
        Tensor w2 = of(new float[]{1, -1, 1, 1}, 2, 2, 1, 1), b2 = of(new float[]{3, 0}, 2);
        Tensor z = Ops.relu(Ops.conv2d(Ops.relu(Ops.conv2d(x, w1, null, Conv2dSpec.of(1, 0))), w2, b2, Conv2dSpec.of(1, 0)));
        z.backward(of(new float[]{1, 1, 1, 0, 0, 0}, 1, 2, 1, 3));
        return x.grad().toArray();
    }

    @Test
    void guidedReluBackwardPassesOnlyPositiveGradientsAtPositiveInputs() {
        try (ReluBackward.Scope s = ReluBackward.guided()) {
            assertArrayEquals(new float[]{1, 0, 1, -1, 0, -1}, twoLayerGradient(), 1e-6f, "guided backprop by hand");
        }
    }

    @Test
    void ordinaryBackwardIsUnchangedOutsideTheGuidedScope() {
        float[] expected = {-1, 0, -1, -2, 0, -2};
        assertArrayEquals(expected, twoLayerGradient(), 1e-6f, "ordinary backward by hand");
        try (ReluBackward.Scope outer = ReluBackward.guided()) {
            try (ReluBackward.Scope inner = ReluBackward.guided()) {
                assertEquals(ReluBackward.Mode.GUIDED, ReluBackward.mode());
            }
            assertEquals(ReluBackward.Mode.GUIDED, ReluBackward.mode(), "closing a nested scope keeps the outer one");
            twoLayerGradient();
        }
        assertEquals(ReluBackward.Mode.STANDARD, ReluBackward.mode());
        assertArrayEquals(expected, twoLayerGradient(), 1e-6f, "ordinary backward after the guided scope closed");
    }

    // ---- named ops equal their composed forms -----------------------------------------------

    @Test
    void gramEqualsMatmulOfFeaturesAndTheirTranspose() {
        int n = 1, c = 3, h = 4, w = 5, m = h * w;
        float alpha = 1f / (c * m);
        Tensor x = rand(n, c, h, w).requiresGrad(true);
        float[] xv = x.toArray();
        float[] seed = rand(n, c, c).toArray();

        Tensor g = Ops.gram(x, alpha);
        g.backward(of(seed, n, c, c));

        // composed: G = alpha F F^T with F = reshape(x) and F^T a second leaf (there is no
        // transpose op), so dx = dF + (dF^T)^T
        Tensor x2 = Tensor.of(xv, x.shape(), backend()).requiresGrad(true);
        float[] ftv = new float[m * c];
        for (int i = 0; i < c; i++) {
            for (int p = 0; p < m; p++) {
                ftv[p * c + i] = xv[i * m + p];
            }
        }
        Tensor ft = of(ftv, m, c).requiresGrad(true);
        Tensor composed = x2.reshape(c, m).matmul(ft).scale(alpha).reshape(n, c, c);
        composed.backward(of(seed, n, c, c));

        assertClose(composed.toArray(), g.toArray(), 1e-5, "gram value vs alpha F F^T");
        float[] dx = x2.grad().toArray(), dft = ft.grad().toArray();
        for (int i = 0; i < c; i++) {
            for (int p = 0; p < m; p++) {
                dx[i * m + p] += dft[p * c + i];
            }
        }
        assertClose(dx, x.grad().toArray(), 1e-5, "gram gradient vs composed gradient");
    }

    @Test
    void mseEqualsMeanOfSquaredDifference() {
        namedLossEqualsComposed(true);
    }

    @Test
    void sseEqualsSumOfSquaredDifference() {
        namedLossEqualsComposed(false);
    }

    private void namedLossEqualsComposed(boolean mean) {
        Tensor a = rand(2, 3, 4, 5).requiresGrad(true), b = rand(2, 3, 4, 5).requiresGrad(true);
        Tensor a2 = Tensor.of(a.toArray(), a.shape(), backend()).requiresGrad(true);
        Tensor b2 = Tensor.of(b.toArray(), b.shape(), backend()).requiresGrad(true);
        Tensor named = mean ? Ops.mse(a, b) : Ops.sse(a, b);
        Tensor d = a2.sub(b2).square();
        Tensor composed = mean ? d.mean() : d.sum();
        String what = mean ? "mse vs mean((a-b)^2)" : "sse vs sum((a-b)^2)";
        assertEquals(composed.item(), named.item(), 1e-5 * Math.abs(composed.item()), what);
        named.backward();
        composed.backward();
        assertClose(a2.grad().toArray(), a.grad().toArray(), 1e-5, what + ", d/da");
        assertClose(b2.grad().toArray(), b.grad().toArray(), 1e-5, what + ", d/db");
    }
}
