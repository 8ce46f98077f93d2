package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.PoolSpec;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.tensor.ops.Add;
import dev.pixelgrad.tensor.ops.AvgPool2d;
import dev.pixelgrad.tensor.ops.Conv2d;
import dev.pixelgrad.tensor.ops.Gram;
import dev.pixelgrad.tensor.ops.InstanceNorm;
import dev.pixelgrad.tensor.ops.MatMul;
import dev.pixelgrad.tensor.ops.MaxPool2d;
import dev.pixelgrad.tensor.ops.Mean;
import dev.pixelgrad.tensor.ops.Mul;
import dev.pixelgrad.tensor.ops.Pow;
import dev.pixelgrad.tensor.ops.ReflectionPad;
import dev.pixelgrad.tensor.ops.Relu;
import dev.pixelgrad.tensor.ops.Resample;
import dev.pixelgrad.tensor.ops.Reshape;
import dev.pixelgrad.tensor.ops.Scale;
import dev.pixelgrad.tensor.ops.Square;
import dev.pixelgrad.tensor.ops.SquaredError;
import dev.pixelgrad.tensor.ops.Sub;
import dev.pixelgrad.tensor.ops.Sum;
import dev.pixelgrad.tensor.ops.TotalVariation;
import dev.pixelgrad.tensor.ops.UpsampleNearest;
import dev.pixelgrad.tensor.ops.Window;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

/**
 * A central finite-difference gradient check (see {@link GradCheck} for the method) of every
 * differentiable op with respect to each of its differentiable inputs, on small non-square shapes.
 * A backend's test class extends this and says which backend to use:
 * <pre>
 * class JavaGradientCheckTest extends GradientCheckSuite {
 *     protected Backend backend() { return Backends.java(); }
 * }
 * </pre>
 * Each check names the op classes it covers with {@link Covers}; the registry test fails when an
 * op has none. Step sizes: linear and quadratic ops use a large step (central differences are
 * exact for them, so a large step only shrinks float32 rounding); curved ops use a small one.
 */
public abstract class GradientCheckSuite {
    /** Default largest accepted relative error (see {@link GradCheck}). */
    protected static final double TOLERANCE = 1e-3;

    /** The backend under test; every tensor of the suite is created on it. */
    protected abstract Backend backend();

    /** A fresh checker with a fixed seed, so every backend sees the same inputs. */
    protected GradCheck gc() {
        return new GradCheck(backend(), 0x9e3779b97f4a7c15L);
    }

    private static Function<Tensor[], Tensor> conv(Conv2dSpec spec) {
        return t -> Ops.conv2d(t[0], t[1], t.length > 2 ? t[2] : null, spec);
    }

    // ---- conv2d: x (N, C, H, W), w (K, C, R, S), b (K) --------------------------------------

    @Test
    @Covers(Conv2d.class)
    void conv2dKernel3Stride1Pad1WithBias() {
        GradCheck g = gc();
        g.check("conv2d k3 s1 p1 +bias", conv(Conv2dSpec.of(1, 1)), 0.1, TOLERANCE,
                g.uniform(2, 3, 5, 7), g.uniform(4, 3, 3, 3), g.uniform(4));
    }

    @Test
    @Covers(Conv2d.class)
    void conv2dKernel3Stride2Pad1NoBias() {
        GradCheck g = gc();
        g.check("conv2d k3 s2 p1", conv(Conv2dSpec.of(2, 1)), 0.1, TOLERANCE,
                g.uniform(1, 3, 7, 6), g.uniform(2, 3, 3, 3));
    }

    @Test
    @Covers(Conv2d.class)
    void conv2dKernel3Stride2Pad0WithBias() {
        GradCheck g = gc();
        g.check("conv2d k3 s2 p0 +bias", conv(Conv2dSpec.of(2, 0)), 0.1, TOLERANCE,
                g.uniform(2, 2, 8, 7), g.uniform(3, 2, 3, 3), g.uniform(3));
    }

    @Test
    @Covers(Conv2d.class)
    void conv2dKernel1Stride1WithBias() {
        GradCheck g = gc();
        g.check("conv2d k1 s1 p0 +bias", conv(Conv2dSpec.of(1, 0)), 0.1, TOLERANCE,
                g.uniform(2, 3, 4, 5), g.uniform(5, 3, 1, 1), g.uniform(5));
    }

    @Test
    @Covers(Conv2d.class)
    void conv2dKernel1Stride2NoBias() {
        GradCheck g = gc();
        g.check("conv2d k1 s2 p0", conv(Conv2dSpec.of(2, 0)), 0.1, TOLERANCE,
                g.uniform(1, 3, 5, 6), g.uniform(2, 3, 1, 1));
    }

    @Test
    @Covers(Conv2d.class)
    void conv2dNonSquareKernelStrideAndPadding() {
        GradCheck g = gc();
        g.check("conv2d k(3,2) s(2,1) p(1,0) +bias", conv(new Conv2dSpec(2, 1, 1, 0)), 0.1, TOLERANCE,
                g.uniform(1, 2, 6, 5), g.uniform(3, 2, 3, 2), g.uniform(3));
    }

    @Test
    @Covers(Conv2d.class)
    void conv2dPaddingWiderThanHalfKernel() {
        GradCheck g = gc();
        g.check("conv2d k3 s2 p2 +bias", conv(Conv2dSpec.of(2, 2)), 0.1, TOLERANCE,
                g.uniform(1, 2, 5, 4), g.uniform(2, 2, 3, 3), g.uniform(2));
    }

    // ---- fast style transfer's shapes in small: batches, stride 2, 9x9 from and to RGB ---------

    @Test
    @Covers(Conv2d.class)
    void conv2dKernel3Stride2Pad1Batch2() {
        GradCheck g = gc();
        g.check("conv2d n2 k3 s2 p1 +bias", conv(Conv2dSpec.of(2, 1)), 0.1, TOLERANCE,
                g.uniform(2, 3, 7, 6), g.uniform(4, 3, 3, 3), g.uniform(4));
    }

    @Test
    @Covers(Conv2d.class)
    void conv2dKernel9FromRgbBatch2() {
        GradCheck g = gc();
        g.check("conv2d n2 3->4 k9 s1 p4 +bias", conv(Conv2dSpec.of(1, 4)), 0.1, TOLERANCE,
                g.uniform(2, 3, 10, 9), g.uniform(4, 3, 9, 9), g.uniform(4));
    }

    @Test
    @Covers(Conv2d.class)
    void conv2dKernel9ToRgbBatch3() {
        GradCheck g = gc();
        g.check("conv2d n3 4->3 k9 s1 p4 +bias", conv(Conv2dSpec.of(1, 4)), 0.1, TOLERANCE,
                g.uniform(3, 4, 9, 10), g.uniform(3, 4, 9, 9), g.uniform(3));
    }

    @Test
    @Covers({Conv2d.class, Add.class})
    void residualBlockSkipConnectionBatch2() {
        // y = x + conv2d(x): x gets its gradient along both paths
        GradCheck g = gc();
        g.check("x + conv2d(x) n2 k3 s1 p1", t -> t[0].add(Ops.conv2d(t[0], t[1], t[2], Conv2dSpec.of(1, 1))), 0.1, TOLERANCE,
                g.uniform(2, 3, 5, 6), g.uniform(3, 3, 3, 3), g.uniform(3));
    }

    // ---- pooling ----------------------------------------------------------------------------

    @Test
    @Covers(MaxPool2d.class)
    void maxPoolKernel2Stride2() {
        GradCheck g = gc();
        g.check("max_pool2d k2 s2 p0", t -> Ops.maxPool2d(t[0], PoolSpec.of(2, 2, 0)), 0.004, TOLERANCE,
                g.distinct(0.05f, 2, 3, 6, 5));
    }

    @Test
    @Covers(MaxPool2d.class)
    void maxPoolKernel3Stride2Pad1() {
        GradCheck g = gc();
        g.check("max_pool2d k3 s2 p1", t -> Ops.maxPool2d(t[0], PoolSpec.of(3, 2, 1)), 0.004, TOLERANCE,
                g.distinct(0.05f, 1, 2, 7, 6));
    }

    @Test
    @Covers(MaxPool2d.class)
    void maxPoolNonSquareOverlapping() {
        GradCheck g = gc();
        g.check("max_pool2d k(3,2) s(1,2) p(1,0)", t -> Ops.maxPool2d(t[0], new PoolSpec(3, 2, 1, 2, 1, 0)),
                0.004, TOLERANCE, g.distinct(0.05f, 1, 2, 5, 7));
    }

    @Test
    @Covers(AvgPool2d.class)
    void avgPoolKernel2Stride2() {
        GradCheck g = gc();
        g.check("avg_pool2d k2 s2 p0", t -> Ops.avgPool2d(t[0], PoolSpec.of(2, 2, 0)), 0.1, TOLERANCE,
                g.uniform(2, 3, 6, 5));
    }

    @Test
    @Covers(AvgPool2d.class)
    void avgPoolKernel3Stride2Pad1() {
        GradCheck g = gc();
        g.check("avg_pool2d k3 s2 p1", t -> Ops.avgPool2d(t[0], PoolSpec.of(3, 2, 1)), 0.1, TOLERANCE,
                g.uniform(1, 2, 7, 6));
    }

    @Test
    @Covers(AvgPool2d.class)
    void avgPoolNonSquareOverlapping() {
        GradCheck g = gc();
        g.check("avg_pool2d k(2,3) s(1,2) p(1,1)", t -> Ops.avgPool2d(t[0], new PoolSpec(2, 3, 1, 2, 1, 1)),
                0.1, TOLERANCE, g.uniform(1, 2, 5, 7));
    }

    // ---- gram, losses, regulariser ----------------------------------------------------------

    @Test
    @Covers(Gram.class)
    void gramOfFeatureMapsWithNormalisation() {
        GradCheck g = gc();
        float alpha = 1f / (3 * 4 * 5);
        g.check("gram (N,C,H,W) alpha=1/(CHW)", t -> Ops.gram(t[0], alpha), 0.1, TOLERANCE,
                g.uniform(2, 3, 4, 5));
    }

    @Test
    @Covers(Gram.class)
    void gramOfMatrix() {
        GradCheck g = gc();
        g.check("gram (C,M) alpha=0.5", t -> Ops.gram(t[0], 0.5f), 0.1, TOLERANCE, g.uniform(4, 7));
    }

    @Test
    @Covers(SquaredError.class)
    void mseBothOperands() {
        GradCheck g = gc();
        g.check("mse", t -> Ops.mse(t[0], t[1]), 0.1, TOLERANCE, g.uniform(2, 3, 4, 5), g.uniform(2, 3, 4, 5));
    }

    @Test
    @Covers(SquaredError.class)
    void sseBothOperands() {
        GradCheck g = gc();
        g.check("sse", t -> Ops.sse(t[0], t[1]), 0.1, TOLERANCE, g.uniform(3, 5), g.uniform(3, 5));
    }

    @Test
    @Covers(MaxPool2d.class)
    void maxPoolKernel2Stride2Batch3() {
        GradCheck g = gc();
        g.check("max_pool2d n3 k2 s2 p0", t -> Ops.maxPool2d(t[0], PoolSpec.of(2, 2, 0)), 0.004, TOLERANCE,
                g.distinct(0.05f, 3, 2, 4, 7));
    }

    @Test
    @Covers(Gram.class)
    void gramPerSampleOfABatchOf3() {
        // (N, C, H, W) -> (N, C, C): one Gram matrix per sample, no mixing across the batch
        GradCheck g = gc();
        float alpha = 1f / (4 * 3 * 5);
        g.check("gram n3 (N,C,H,W) alpha=1/(CHW)", t -> Ops.gram(t[0], alpha), 0.1, TOLERANCE, g.uniform(3, 4, 3, 5));
    }

    @Test
    @Covers(SquaredError.class)
    void mseMeanOverABatchOf4() {
        GradCheck g = gc();
        g.check("mse n4", t -> Ops.mse(t[0], t[1]), 0.1, TOLERANCE, g.uniform(4, 2, 3, 5), g.uniform(4, 2, 3, 5));
    }

    @Test
    @Covers(SquaredError.class)
    void sseOverABatchOf3() {
        GradCheck g = gc();
        g.check("sse n3", t -> Ops.sse(t[0], t[1]), 0.1, TOLERANCE, g.uniform(3, 2, 4, 3), g.uniform(3, 2, 4, 3));
    }

    @Test
    @Covers({Gram.class, SquaredError.class})
    void perSampleStyleLossOfABatch() {
        // the perceptual style term: mse(gram(f) per sample, a constant target batch of Grams)
        GradCheck g = gc();
        g.check("mse(gram(f), G) n2", t -> Ops.mse(Ops.gram(t[0], 1f / 20), t[1]), 0.01, 5e-3,
                g.uniform(2, 3, 4, 5), g.uniform(2, 3, 3).constant());
    }

    @Test
    @Covers(TotalVariation.class)
    void totalVariationBeta1() {
        GradCheck g = gc();
        g.check("total_variation beta=1", t -> Ops.totalVariation(t[0], 1f), 0.003, 2e-3,
                g.uniform(1, 2, 4, 5));
    }

    @Test
    @Covers(TotalVariation.class)
    void totalVariationBeta2() {
        GradCheck g = gc();
        g.check("total_variation beta=2", t -> Ops.totalVariation(t[0], 2f), 0.1, TOLERANCE,
                g.uniform(2, 3, 5, 4));
    }

    // ---- instance normalisation: x (N, C, H, W), gamma, beta (C) -------------------------------

    private static final float INSTANCE_NORM_EPS = 1e-5f;

    private static Tensor instanceNorm(Tensor[] t) {
        return Ops.instanceNorm(t[0], t[1], t[2], INSTANCE_NORM_EPS);
    }

    @Test
    @Covers(InstanceNorm.class)
    void instanceNormAllInputs() {
        // curved in x (the statistics depend on it), linear in gamma and beta
        GradCheck g = gc();
        g.check("instance_norm (2,3,5,7)", GradientCheckSuite::instanceNorm, 3e-3, TOLERANCE,
                g.uniform(2, 3, 5, 7), g.uniform(3), g.uniform(3));
    }

    @Test
    @Covers(InstanceNorm.class)
    void instanceNormInputOnlyWithFrozenAffine() {
        GradCheck g = gc();
        g.check("instance_norm dx only (2,3,7,5)", GradientCheckSuite::instanceNorm, 3e-3, TOLERANCE,
                g.uniform(2, 3, 7, 5), g.uniform(3).constant(), g.uniform(3).constant());
    }

    @Test
    @Covers(InstanceNorm.class)
    void instanceNormAffineOnlyOfAConstantInput() {
        GradCheck g = gc();
        g.check("instance_norm dgamma, dbeta only (2,3,5,7)", GradientCheckSuite::instanceNorm, 0.1, TOLERANCE,
                g.uniform(2, 3, 5, 7).constant(), g.uniform(3), g.uniform(3));
        GradCheck h = gc();
        h.check("instance_norm dgamma only (2,3,5,7)", GradientCheckSuite::instanceNorm, 0.1, TOLERANCE,
                h.uniform(2, 3, 5, 7).constant(), h.uniform(3), h.uniform(3).constant());
    }

    // ---- image windows and resampling --------------------------------------------------------

    @Test
    @Covers(Window.class)
    void cropInsideTheImage() {
        GradCheck g = gc();
        g.check("crop 3x4 at (1,2) of (2,3,5,7)", t -> Ops.crop(t[0], 1, 2, 3, 4), 0.1, TOLERANCE, g.uniform(2, 3, 5, 7));
    }

    @Test
    @Covers(Window.class)
    void rollBothWaysAndPastTheSize() {
        GradCheck g = gc();
        g.check("roll (2,-3)", t -> Ops.roll(t[0], 2, -3), 0.1, TOLERANCE, g.uniform(1, 2, 5, 6));
        GradCheck h = gc();
        h.check("roll (-7,9)", t -> Ops.roll(t[0], -7, 9), 0.1, TOLERANCE, h.uniform(2, 1, 4, 5));
    }

    @Test
    @Covers(Window.class)
    void cropOfARollWrapsAroundTheEdge() {
        GradCheck g = gc();
        g.check("crop(roll(x, 3, 4), 2, 1, 4, 5)", t -> Ops.crop(Ops.roll(t[0], 3, 4), 2, 1, 4, 5), 0.1, TOLERANCE,
                g.uniform(1, 3, 6, 7));
    }

    @Test
    @Covers(Resample.class)
    void resampleShrinkAndGrow() {
        GradCheck g = gc();
        g.check("resample (2,3,5,7) -> (3,9)", t -> Ops.resample(t[0], t[1], t[2]), 0.1, TOLERANCE,
                g.uniform(2, 3, 5, 7), g.uniform(3, 5).constant(), g.uniform(9, 7).constant());
    }

    @Test
    @Covers(ReflectionPad.class)
    void reflectionPadAsymmetric() {
        GradCheck g = gc();
        g.check("reflection pad top 1, bottom 3, left 2, right 0 of (2,3,5,4)", t -> Ops.reflectionPad(t[0], 1, 3, 2, 0),
                0.1, TOLERANCE, g.uniform(2, 3, 5, 4));
        GradCheck h = gc();
        h.check("reflection pad 2 of (2,2,3,7)", t -> Ops.reflectionPad(t[0], 2), 0.1, TOLERANCE, h.uniform(2, 2, 3, 7));
    }

    @Test
    @Covers(ReflectionPad.class)
    void reflectionPadOfSizeMinusOneReachesEveryPixelUpToThreeTimesPerAxis() {
        GradCheck g = gc();
        g.check("reflection pad 2 on all sides of (2,1,3,3)", t -> Ops.reflectionPad(t[0], 2), 0.1, TOLERANCE,
                g.uniform(2, 1, 3, 3));
        GradCheck h = gc();
        h.check("reflection pad 1, 1, 1, 1 of (2,2,2,2)", t -> Ops.reflectionPad(t[0], 1), 0.1, TOLERANCE, h.uniform(2, 2, 2, 2));
        GradCheck k = gc();
        k.check("reflection pad 4, 0, 0, 6 of (2,1,5,7)", t -> Ops.reflectionPad(t[0], 4, 0, 0, 6), 0.1, TOLERANCE,
                k.uniform(2, 1, 5, 7));
    }

    @Test
    @Covers(UpsampleNearest.class)
    void upsampleNearestByTwoAndThree() {
        GradCheck g = gc();
        g.check("upsample nearest x2 of (2,3,3,5)", t -> Ops.upsampleNearest(t[0], 2), 0.1, TOLERANCE, g.uniform(2, 3, 3, 5));
        GradCheck h = gc();
        h.check("upsample nearest x3 of (2,2,4,3)", t -> Ops.upsampleNearest(t[0], 3), 0.1, TOLERANCE, h.uniform(2, 2, 4, 3));
        GradCheck k = gc();
        k.check("upsample nearest x1 of (2,1,2,3)", t -> Ops.upsampleNearest(t[0], 1), 0.1, TOLERANCE, k.uniform(2, 1, 2, 3));
    }

    @Test
    @Covers({ReflectionPad.class, UpsampleNearest.class})
    void fastStyleUpsampleThenPad() {
        // TransformerNet's UpsampleConvLayer: upsample x2, then reflection pad before the convolution
        GradCheck g = gc();
        g.check("reflection pad 1 of upsample x2 of (2,2,3,4)", t -> Ops.reflectionPad(Ops.upsampleNearest(t[0], 2), 1),
                0.1, TOLERANCE, g.uniform(2, 2, 3, 4));
    }

    // ---- elementwise and shape --------------------------------------------------------------

    @Test
    @Covers(Relu.class)
    void relu() {
        GradCheck g = gc();
        g.check("relu", t -> Ops.relu(t[0]), 0.01, TOLERANCE, g.awayFromZero(0.1f, 2, 3, 4, 5));
    }

    @Test
    @Covers(Pow.class)
    void powNonIntegerOnPositiveInputs() {
        GradCheck g = gc();
        g.check("pow p=1.5", t -> t[0].pow(1.5f), 1e-3, TOLERANCE, g.between(0.5f, 2f, 3, 4));
        GradCheck h = gc();
        h.check("pow p=-0.7", t -> t[0].pow(-0.7f), 1e-3, TOLERANCE, h.between(0.5f, 2f, 4, 3));
    }

    @Test
    @Covers(Pow.class)
    void powIntegerOnMixedSigns() {
        GradCheck g = gc();
        g.check("pow p=3", t -> t[0].pow(3f), 1e-3, TOLERANCE, g.uniform(2, 5));
    }

    @Test
    @Covers(Square.class)
    void square() {
        GradCheck g = gc();
        g.check("square", t -> t[0].square(), 0.1, TOLERANCE, g.uniform(2, 3, 4));
    }

    @Test
    @Covers(Reshape.class)
    void reshape() {
        GradCheck g = gc();
        g.check("reshape (2,3,4)->(4,6)", t -> t[0].reshape(4, 6), 0.1, TOLERANCE, g.uniform(2, 3, 4));
    }

    @Test
    @Covers(MatMul.class)
    void matmulBothOperands() {
        GradCheck g = gc();
        g.check("matmul (3,4)x(4,5)", t -> t[0].matmul(t[1]), 0.1, TOLERANCE, g.uniform(3, 4), g.uniform(4, 5));
    }

    @Test
    @Covers(Scale.class)
    void scale() {
        GradCheck g = gc();
        g.check("scale -2.5", t -> t[0].scale(-2.5f), 0.1, TOLERANCE, g.uniform(3, 5));
    }

    @Test
    @Covers(Mean.class)
    void mean() {
        GradCheck g = gc();
        g.check("mean", t -> t[0].mean(), 0.1, TOLERANCE, g.uniform(2, 3, 4, 5));
    }

    @Test
    @Covers(Sum.class)
    void sum() {
        GradCheck g = gc();
        g.check("sum", t -> t[0].sum(), 0.1, TOLERANCE, g.uniform(2, 3, 5));
    }

    @Test
    @Covers(Add.class)
    void addBothOperands() {
        GradCheck g = gc();
        g.check("add", t -> t[0].add(t[1]), 0.1, TOLERANCE, g.uniform(3, 4), g.uniform(3, 4));
    }

    @Test
    @Covers(Add.class)
    void addBothOperandsBatch2() {
        GradCheck g = gc();
        g.check("add n2", t -> t[0].add(t[1]), 0.1, TOLERANCE, g.uniform(2, 3, 4, 5), g.uniform(2, 3, 4, 5));
    }

    @Test
    @Covers(Sub.class)
    void subBothOperands() {
        GradCheck g = gc();
        g.check("sub", t -> t[0].sub(t[1]), 0.1, TOLERANCE, g.uniform(3, 4), g.uniform(3, 4));
    }

    @Test
    @Covers(Mul.class)
    void mulBothOperands() {
        GradCheck g = gc();
        g.check("mul", t -> t[0].mul(t[1]), 0.1, TOLERANCE, g.uniform(4, 3), g.uniform(4, 3));
    }

    @Test
    @Covers({Mul.class, Sum.class})
    void mulWithAConstantOperand() {
        GradCheck g = gc();
        g.check("sum(mul(x, c))", t -> t[0].mul(t[1]).sum(), 0.1, TOLERANCE, g.uniform(3, 4), g.uniform(3, 4).constant());
    }

    @Test
    @Covers({Conv2d.class, Relu.class, MaxPool2d.class, Gram.class, SquaredError.class})
    void smallStyleLossChain() {
        // conv -> relu -> pool -> gram -> mse against a constant target: the style-transfer path
        GradCheck g = gc();
        float[] target = new float[2 * 2];
        for (int i = 0; i < target.length; i++) {
            target[i] = 0.01f * (i + 1);
        }
        g.check("mse(gram(maxpool(relu(conv(x)))), target)", t -> {
            Tensor f = Ops.maxPool2d(Ops.relu(Ops.conv2d(t[0], t[1], t[2], Conv2dSpec.of(1, 1))), PoolSpec.of(2, 2, 0));
            return Ops.mse(Ops.gram(f, 0.25f), Tensor.of(target, Shape.of(1, 2, 2), backend()));
        }, 1e-3, 5e-3, g.uniform(1, 2, 5, 4), g.uniform(2, 2, 3, 3).constant(), g.uniform(2).constant());
    }
}
