package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.weights.ConvertedFormat;
import dev.pixelgrad.weights.DType;
import dev.pixelgrad.weights.LoadedWeights;
import dev.pixelgrad.weights.RawTensor;
import dev.pixelgrad.weights.WeightFormat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A VGG-16 shaped classifier with narrow blocks, fc layers of 16 and ImageNet's 1000 classes (so
 * class names work), random weights: for the tests of the lecture's class-score methods.
 */
public final class TinyClassifier {
    private TinyClassifier() {
    }

    public static VggSpec spec() {
        return new VggSpec(VggSpec.Arch.VGG16, new int[]{4, 6, 8, 8, 8}, 16, 1000);
    }

    public static Vgg random(Backend be, long seed) {
        return Vgg.of(spec(), Vgg.randomParameters(spec(), true, be, seed), Preprocessing.TORCHVISION, PoolingMode.MAX);
    }

    public static Classifier classifier(Backend be, long seed) {
        return Classifier.of(random(be, seed), "test");
    }

    /** The same network written as a converted weight file, for command-line tests (--weights FILE). */
    public static void write(Path file, Backend be, long seed) throws IOException {
        Map<String, RawTensor> params = new LinkedHashMap<>();
        Vgg.randomParameters(spec(), true, be, seed).forEach((name, t) -> params.put(name, raw(name, t)));
        ConvertedFormat.write(new LoadedWeights(file, WeightFormat.SAFETENSORS, spec(), Preprocessing.TORCHVISION,
                "test", params, "tiny classifier", "0"), file, false);
    }

    private static RawTensor raw(String name, Tensor t) {
        return new RawTensor(name, t.shape().dims(), DType.F32, t.toArray());
    }
}
