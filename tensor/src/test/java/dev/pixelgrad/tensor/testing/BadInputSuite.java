package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.PoolSpec;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input fails early with an exception whose message names the operation, what was expected
 * and what arrived. A backend's test class extends this and returns its backend.
 */
public abstract class BadInputSuite {

    /** The backend under test; every tensor of the suite is created on it. */
    protected abstract Backend backend();

    protected Tensor zeros(int... dims) {
        return Tensor.zeros(Shape.of(dims), backend());
    }

    /** Asserts that {@code call} throws {@code type} with a message containing every fragment. */
    protected static <T extends Throwable> T assertFails(Class<T> type, Executable call, String... fragments) {
        T e = assertThrows(type, call);
        String msg = e.getMessage();
        for (String f : fragments) {
            assertTrue(msg != null && msg.contains(f), "message should contain '" + f + "': " + msg);
        }
        return e;
    }

    // ---- shapes -----------------------------------------------------------------------------

    @Test
    void convChannelMismatchNamesBothCountsAndHints() {
        Tensor x = zeros(1, 4, 8, 8), w = zeros(2, 3, 3, 3);
        assertFails(IllegalArgumentException.class, () -> Ops.conv2d(x, w, null, Conv2dSpec.of(1, 1)),
                "conv2d", "input has 4 channels", "weight expects 3", "x=[1,4,8,8]", "w=[2,3,3,3]", "alpha channel");
    }

    @Test
    void convBiasOfWrongLength() {
        Tensor x = zeros(1, 3, 5, 5), w = zeros(2, 3, 3, 3), b = zeros(3);
        assertFails(IllegalArgumentException.class, () -> Ops.conv2d(x, w, b, Conv2dSpec.of(1, 1)),
                "conv2d", "bias has shape [3]", "expected [2]");
    }

    @Test
    void convInputOfWrongRank() {
        Tensor x = zeros(3, 5, 5), w = zeros(2, 3, 3, 3);
        assertFails(IllegalArgumentException.class, () -> Ops.conv2d(x, w, null, Conv2dSpec.of(1, 1)),
                "conv2d", "rank 4", "[3,5,5]");
    }

    @Test
    void convKernelLargerThanPaddedInput() {
        Tensor x = zeros(1, 3, 2, 5), w = zeros(2, 3, 3, 3);
        assertFails(IllegalArgumentException.class, () -> Ops.conv2d(x, w, null, Conv2dSpec.of(1, 0)),
                "conv2d", "[1,3,2,5]", "3x3 kernel");
    }

    @Test
    void convNegativePaddingOrZeroStride() {
        assertFails(IllegalArgumentException.class, () -> Conv2dSpec.of(0, 1), "conv2d", "stride must be >= 1", "stride (0,0)");
        assertFails(IllegalArgumentException.class, () -> Conv2dSpec.of(1, -1), "conv2d", "padding >= 0", "padding (-1,-1)");
    }

    @Test
    void matmulInnerDimensionMismatch() {
        Tensor a = zeros(2, 3), b = zeros(4, 5);
        assertFails(IllegalArgumentException.class, () -> a.matmul(b),
                "matmul", "A is [2,3]", "B is [4,5]", "must have 3 rows");
    }

    @Test
    void matmulOfNonMatrices() {
        Tensor a = zeros(2, 3, 4), b = zeros(4, 5);
        assertFails(IllegalArgumentException.class, () -> a.matmul(b), "matmul", "rank 2", "[2,3,4]");
    }

    @Test
    void elementwiseShapeMismatch() {
        Tensor a = zeros(2, 3), b = zeros(3, 2);
        assertFails(IllegalArgumentException.class, () -> a.add(b), "add", "[2,3]", "[3,2]", "same shape");
        assertFails(IllegalArgumentException.class, () -> a.sub(b), "sub", "[2,3]", "[3,2]");
        assertFails(IllegalArgumentException.class, () -> a.mul(b), "mul", "[2,3]", "[3,2]");
        assertFails(IllegalArgumentException.class, () -> Ops.mse(a, b), "mse", "[2,3]", "[3,2]");
        assertFails(IllegalArgumentException.class, () -> Ops.sse(a, b), "sse", "[2,3]", "[3,2]");
    }

    @Test
    void reshapeToADifferentSize() {
        Tensor a = zeros(2, 3);
        assertFails(IllegalArgumentException.class, () -> a.reshape(4, 2), "reshape", "[2,3]", "6 elements", "[4,2]", "8 elements");
    }

    @Test
    void poolWindowLargerThanInputAndBadPadding() {
        Tensor x = zeros(1, 1, 2, 8);
        assertFails(IllegalArgumentException.class, () -> Ops.maxPool2d(x, PoolSpec.of(3, 1, 0)),
                "max_pool2d", "[1,1,2,8]", "3x3 window");
        assertFails(IllegalArgumentException.class, () -> Ops.avgPool2d(zeros(2, 8), PoolSpec.of(2, 2, 0)),
                "avg_pool2d", "rank 4", "[2,8]");
        assertFails(IllegalArgumentException.class, () -> PoolSpec.of(2, 2, 2), "pool2d", "padding (2,2)", "at most half", "(2,2)");
    }

    @Test
    void gramOfWrongRankAndTvOfBadBeta() {
        assertFails(IllegalArgumentException.class, () -> Ops.gram(zeros(2, 3, 4), 1f), "gram", "(N, C, H, W) or (C, M)", "[2,3,4]");
        assertFails(IllegalArgumentException.class, () -> Ops.totalVariation(zeros(1, 1, 3, 3), 0f),
                "total_variation", "beta must be positive", "0.0");
        assertFails(IllegalArgumentException.class, () -> Ops.totalVariation(zeros(3, 3), 2f), "total_variation", "rank 4", "[3,3]");
    }

    @Test
    void reflectionPadOutsideZeroToSizeOrOfWrongRank() {
        Tensor x = zeros(2, 3, 5, 7);
        assertFails(IllegalArgumentException.class, () -> Ops.reflectionPad(x, -1),
                "reflection_pad", "top -1", "must each be >= 0 and smaller", "5x7 plane");
        assertFails(IllegalArgumentException.class, () -> Ops.reflectionPad(x, 5, 0, 0, 0),
                "reflection_pad", "top 5", "smaller than the 5x7 plane", "as PyTorch");
        assertFails(IllegalArgumentException.class, () -> Ops.reflectionPad(x, 0, 0, 1, 7),
                "reflection_pad", "right 7", "5x7 plane");
        assertFails(IllegalArgumentException.class, () -> Ops.reflectionPad(zeros(1, 1, 1, 4), 1, 0, 1, 1),
                "reflection_pad", "top 1", "1x4 plane");
        assertFails(IllegalArgumentException.class, () -> Ops.reflectionPad(zeros(3, 5, 7), 1),
                "reflection_pad", "rank 4", "[3,5,7]");
    }

    @Test
    void upsampleNearestByLessThanOneOrOfWrongRank() {
        assertFails(IllegalArgumentException.class, () -> Ops.upsampleNearest(zeros(2, 3, 4, 5), 0),
                "upsample_nearest", "factor must be an integer >= 1", "is 0", "[2,3,4,5]");
        assertFails(IllegalArgumentException.class, () -> Ops.upsampleNearest(zeros(2, 3, 4, 5), -2),
                "upsample_nearest", "is -2");
        assertFails(IllegalArgumentException.class, () -> Ops.upsampleNearest(zeros(4, 5), 2),
                "upsample_nearest", "rank 4", "[4,5]");
        assertFails(IllegalArgumentException.class, () -> Ops.upsampleNearest(zeros(1, 1, 3, 2), 1 << 30),
                "upsample_nearest", "3x2 times 1073741824");
    }

    @Test
    void instanceNormAffineOfTheWrongShapeOrMissing() {
        Tensor x = zeros(2, 3, 4, 5);
        assertFails(IllegalArgumentException.class, () -> Ops.instanceNorm(x, zeros(4), zeros(3), 1e-5f),
                "instance_norm", "gamma has shape [4]", "x=[2,3,4,5]", "3 channels", "expected [3]");
        assertFails(IllegalArgumentException.class, () -> Ops.instanceNorm(x, zeros(3), zeros(1, 3), 1e-5f),
                "instance_norm", "beta has shape [1,3]", "expected [3]");
        assertFails(IllegalArgumentException.class, () -> Ops.instanceNorm(x, zeros(3), null, 1e-5f),
                "instance_norm", "beta is missing", "expected a tensor of shape [3]");
        assertFails(IllegalArgumentException.class, () -> Ops.instanceNorm(x, null, zeros(3), 1e-5f),
                "instance_norm", "gamma is missing", "[3]");
    }

    @Test
    void instanceNormOfWrongRankBadEpsOrASinglePixel() {
        assertFails(IllegalArgumentException.class, () -> Ops.instanceNorm(zeros(3, 4, 5), zeros(3), zeros(3), 1e-5f),
                "instance_norm", "rank 4", "[3,4,5]");
        Tensor x = zeros(1, 3, 4, 5), g = zeros(3), b = zeros(3);
        assertFails(IllegalArgumentException.class, () -> Ops.instanceNorm(x, g, b, 0f),
                "instance_norm", "eps must be positive", "got 0.0");
        assertFails(IllegalArgumentException.class, () -> Ops.instanceNorm(x, g, b, -1e-5f),
                "instance_norm", "eps must be positive", "got -1.0E-5");
        assertFails(IllegalArgumentException.class, () -> Ops.instanceNorm(x, g, b, Float.NaN),
                "instance_norm", "eps must be positive", "got NaN");
        assertFails(IllegalArgumentException.class, () -> Ops.instanceNorm(zeros(2, 3, 1, 1), g, b, 1e-5f),
                "instance_norm", "more than 1 spatial element", "[2,3,1,1]");
    }

    @Test
    void zeroAndNegativeSizes() {
        assertFails(IllegalArgumentException.class, () -> Shape.of(2, 0, 3), "shape", "dimension 1 is 0", "[2, 0, 3]", "at least 1");
        assertFails(IllegalArgumentException.class, () -> Shape.of(-4), "shape", "dimension 0 is -4", "at least 1");
        assertFails(IllegalArgumentException.class, () -> Shape.of(1 << 16, 1 << 16), "shape", "4294967296 elements", "at most");
    }

    @Test
    void valuesThatDoNotFitTheShape() {
        assertFails(IllegalArgumentException.class, () -> Tensor.of(new float[5], Shape.of(2, 3), backend()),
                "tensor", "5 values", "[2,3]", "holds 6");
    }

    // ---- backward ---------------------------------------------------------------------------

    @Test
    void backwardWithoutSeedNeedsAScalar() {
        Tensor y = zeros(2, 3).requiresGrad(true).scale(2f);
        assertFails(IllegalStateException.class, y::backward, "backward", "[2,3]", "one-element", "backward(seed)");
    }

    @Test
    void seedOfTheWrongShape() {
        Tensor y = zeros(2, 3).requiresGrad(true).scale(2f);
        assertFails(IllegalArgumentException.class, () -> y.backward(zeros(3, 2)),
                "backward", "seed has shape [3,2]", "tensor has shape [2,3]");
    }

    @Test
    void nanOrInfSeedIsRefused() {
        Tensor x = zeros(2, 3).requiresGrad(true);
        Tensor y = x.scale(2f);
        float[] seed = {1, Float.NaN, 1, Float.POSITIVE_INFINITY, 1, 1};
        assertFails(ArithmeticException.class, () -> y.backward(Tensor.of(seed, Shape.of(2, 3), backend())),
                "backward", "seed", "2 NaN or infinite", "among 6", "expected finite");
        assertNull(x.grad(), "nothing may be accumulated from a bad seed");
    }

    @Test
    void nanOrInfLossIsRefused() {
        Tensor x = Tensor.of(new float[]{1, Float.NaN}, Shape.of(2), backend()).requiresGrad(true);
        assertFails(ArithmeticException.class, () -> x.sum().backward(), "backward", "loss is NaN", "expected a finite");
        Tensor big = Tensor.of(new float[]{3e38f, 3e38f}, Shape.of(2), backend()).requiresGrad(true);
        assertFails(ArithmeticException.class, () -> big.sum().backward(), "backward", "loss is Infinity", "expected a finite");
    }

    // ---- two backends -----------------------------------------------------------------------

    @Test
    void tensorsOfTwoBackendsDoNotMix() {
        Backend other = TestBackends.storageOnly("other-test-backend");
        String here = backend().name();
        Tensor a = zeros(2, 3);
        Tensor b = Tensor.zeros(Shape.of(2, 3), other);
        assertFails(IllegalArgumentException.class, () -> a.add(b), "add", "different backends", here, "other-test-backend", "to(backend)");
        assertFails(IllegalArgumentException.class, () -> a.mul(b), "mul", "different backends");
        assertFails(IllegalArgumentException.class, () -> Ops.mse(a, b), "mse", "different backends");
        assertFails(IllegalArgumentException.class, () -> zeros(2, 3).matmul(Tensor.zeros(Shape.of(3, 4), other)),
                "matmul", "different backends", here, "other-test-backend");
        Tensor x = zeros(1, 3, 5, 5), w = Tensor.zeros(Shape.of(2, 3, 3, 3), other);
        assertFails(IllegalArgumentException.class, () -> Ops.conv2d(x, w, null, Conv2dSpec.of(1, 1)),
                "conv2d", "different backends", here, "other-test-backend");
        assertFails(IllegalArgumentException.class, () -> Ops.instanceNorm(x, Tensor.zeros(Shape.of(3), other), zeros(3), 1e-5f),
                "instance_norm", "different backends", here, "other-test-backend");
        Tensor y = zeros(2, 3).requiresGrad(true).scale(2f);
        assertFails(IllegalArgumentException.class, () -> y.backward(Tensor.zeros(Shape.of(2, 3), other)),
                "backward", "different backends");
    }
}
