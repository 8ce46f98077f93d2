package dev.pixelgrad.algorithms;

import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** A VGG-19 shaped network with narrow blocks and random (He-scaled) weights, for tests. */
public final class TinyVgg {
    private TinyVgg() {
    }

    public static VggSpec spec() {
        return new VggSpec(VggSpec.Arch.VGG19, new int[]{4, 6, 8, 8, 8}, 16, 10);
    }

    public static Map<String, Tensor> randomParams(VggSpec spec, Backend be, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> p = new LinkedHashMap<>();
        spec.parameterShapes(false).forEach((name, dims) -> {
            Shape s = Shape.of(dims);
            float[] v = new float[s.numel()];
            float scale = dims.length > 1 ? (float) Math.sqrt(2.0 / (s.numel() / dims[0])) : 0.01f;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextGaussian() * scale + (dims.length > 1 ? 0f : 0.05f);
            }
            p.put(name, Tensor.of(v, s, be));
        });
        return p;
    }

    public static Vgg random(Backend be, long seed, Preprocessing pre) {
        return Vgg.of(spec(), randomParams(spec(), be, seed), pre, PoolingMode.MAX);
    }
}
