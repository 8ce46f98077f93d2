package dev.pixelgrad.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A NaN must reach the output even through zero weights, so the NaN guards of backward can see it. */
class NaNPropagationTest {

    @Test
    void matmulPropagatesNaNFromEitherOperand() {
        Backend be = Backends.java();
        Tensor a = Tensor.of(new float[]{0f, 1f}, Shape.of(1, 2), be);
        Tensor b = Tensor.of(new float[]{Float.NaN, 2f}, Shape.of(2, 1), be);
        float y = a.matmul(b).item();
        assertTrue(Float.isNaN(y), "0 * NaN + 1 * 2 must be NaN (IEEE 754, as PyTorch), got " + y);
    }

    @Test
    void conv2dPropagatesNaNThroughAZeroWeight() {
        Backend be = Backends.java();
        Tensor x = Tensor.of(new float[]{Float.NaN}, Shape.of(1, 1, 1, 1), be);
        Tensor w = Tensor.of(new float[]{0f}, Shape.of(1, 1, 1, 1), be);
        float y = Ops.conv2d(x, w, null, Conv2dSpec.of(1, 0)).item();
        assertTrue(Float.isNaN(y), "0 * NaN must be NaN, got " + y);
    }
}
