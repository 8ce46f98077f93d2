package dev.pixelgrad.algorithms;

import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Tensor;

import java.util.Map;

/** A VGG-19 shaped network with narrow blocks and random (He-scaled) weights, for tests. */
public final class TinyVgg {
    private TinyVgg() {
    }

    public static VggSpec spec() {
        return new VggSpec(VggSpec.Arch.VGG19, new int[]{4, 6, 8, 8, 8}, 16, 10);
    }

    /** {@link Vgg#randomParameters} with every bias raised by 0.05: positive biases keep more of the narrow net's ReLUs active. */
    private static Map<String, Tensor> randomParams(VggSpec spec, Backend be, long seed) {
        Map<String, Tensor> p = Vgg.randomParameters(spec, false, be, seed);
        p.replaceAll((name, t) -> t.shape().rank() == 1 ? raised(t, 0.05f) : t);
        return p;
    }

    private static Tensor raised(Tensor bias, float by) {
        float[] v = bias.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] += by;
        }
        return Tensor.of(v, bias.shape(), bias.backend());
    }

    public static Vgg random(Backend be, long seed, Preprocessing pre) {
        return Vgg.of(spec(), randomParams(spec(), be, seed), pre, PoolingMode.MAX);
    }
}
