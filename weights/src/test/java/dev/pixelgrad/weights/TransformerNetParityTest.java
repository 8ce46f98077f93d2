package dev.pixelgrad.weights;

import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast-style transformer network (width 4, random instance-norm affines) against PyTorch
 * 1.13's on fixtures/transformer/transformer_w4_io.safetensors: the output for a (2, 3, 20, 28)
 * batch in 0-255, and for L = sum(r * y) the gradient of the input and of every parameter, each
 * within 1e-4 relative (max abs error over max abs reference).
 *
 * <p>Some gradients are zero in exact arithmetic: a per-channel constant added before an instance
 * norm is removed by it, so the bias of every convolution followed by one, and the bias of each
 * residual block's second norm (whose shift reaches only convolutions followed by norms), get
 * rounding noise in both implementations. Their relative error means nothing; for a reference whose
 * largest value is below {@value #TOL} of its weight's gradient, the scale is that weight's gradient.
 */
class TransformerNetParityTest {
    static final double TOL = 1e-4;
    static final String REGENERATE = "regenerate with /usr/bin/python3 weights/src/test/python/make_transformer_fixtures.py";

    /** Returns the worst error of the output and of the gradients, in that order. */
    static double[] compare(Backend be) {
        Map<String, RawTensor> io = SafetensorsReader.read(Fixtures.path("transformer/transformer_w4_io.safetensors")).tensors();
        TransformerNet net = TransformerNetWeights.load(Fixtures.path("transformer/transformer_w4.pth"), be).net().requiresGrad(true);
        Tensor x = tensor(io.get("x"), be).requiresGrad(true);
        Tensor y = net.forward(x).retain();
        y.mul(tensor(io.get("r"), be)).sum().backward();

        double outErr = check("output", y, io.get("y"), maxAbs(io.get("y")), be);
        double gradErr = check("grad of the input", x.grad(), io.get("grad.x"), maxAbs(io.get("grad.x")), be);
        for (Map.Entry<String, Tensor> p : net.namedParameters().entrySet()) {
            assertNotNull(p.getValue().grad(), p.getKey() + " got no gradient");
            String name = p.getKey();
            RawTensor ref = io.get("grad." + name);
            double scale = maxAbs(ref);
            if (name.endsWith(".bias")) {
                double weightScale = maxAbs(io.get("grad." + name.replace(".bias", ".weight")));
                if (scale < TOL * weightScale) {
                    scale = weightScale;
                }
            }
            gradErr = Math.max(gradErr, check("grad of " + name, p.getValue().grad(), ref, scale, be));
        }
        return new double[]{outErr, gradErr};
    }

    private static Tensor tensor(RawTensor t, Backend be) {
        return Tensor.of(t.data(), Shape.of(t.shape()), be);
    }

    private static double maxAbs(RawTensor t) {
        assertNotNull(t, "a reference is missing from the fixture; " + REGENERATE);
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** max |actual - ref| / scale, asserted to be within {@link #TOL}. */
    private static double check(String what, Tensor actual, RawTensor ref, double scale, Backend be) {
        assertArrayEquals(ref.shape(), actual.shape().dims(), what + ": shape");
        float[] a = actual.toArray();
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - ref.data()[i]));
        }
        double err = maxDiff / scale;
        assertTrue(err <= TOL, what + ": max relative error " + err + " > " + TOL + " on " + be.name() + "; " + REGENERATE);
        return err;
    }

    @Test
    void forwardAndGradientsMatchPyTorchOnJava() {
        double[] err = compare(Backends.java());
        System.out.printf("parity transformer_net w4 (java): output %.3g, gradients (worst) %.3g%n", err[0], err[1]);
    }

    @Test
    @Tag("opencl")
    void forwardAndGradientsMatchPyTorchOnOpenCl() {
        List<String> why = new ArrayList<>();
        Backend be = Backends.select("opencl", why::add);
        Assumptions.assumeFalse(be == Backends.java(), "no OpenCL backend here: " + String.join("; ", why));
        double[] err = compare(be);
        System.out.printf("parity transformer_net w4 (%s): output %.3g, gradients (worst) %.3g%n", be.name(), err[0], err[1]);
    }
}
