package dev.pixelgrad.bench;

import dev.pixelgrad.algorithms.faststyle.FastStyleTraining;
import dev.pixelgrad.algorithms.faststyle.PerceptualLoss;
import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.nn.optim.AdamOptions;
import dev.pixelgrad.nn.optim.ParameterAdam;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One training iteration of fast style transfer, the unit of work of {@code pixelgrad train-style}
 * with its defaults: a batch of 4 crops of 256², forward through the transformer (width 32) and
 * VGG-16 (random weights) to relu4_3, the perceptual loss, backward into every transformer
 * parameter, and Adam. Shape {@code 4x256}: batch x side. PyTorch's time for the same iteration:
 * {@code bench/python/fast_style_baseline.py}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx12g"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class FastStyleTrainBenchmark {
    @Param({"4x256"})
    public String shape;

    @Param({"java", "opencl"})
    public String backend;

    private FastStyleTraining training;
    private Tensor batch;

    @Setup(Level.Trial)
    public void setup() {
        Backend be = BenchBackends.open(backend);
        VggSpec spec = VggSpec.standard(VggSpec.Arch.VGG16);
        Vgg vgg = Vgg.of(spec, Vgg.randomParameters(spec, false, be, 7), Preprocessing.TORCHVISION, PoolingMode.MAX);
        int n = batchOf(shape), side = sideOf(shape);
        Random rnd = new Random(1);
        try (Tensor style = image(rnd, 1, side, be)) {
            PerceptualLoss loss = new PerceptualLoss(vgg, style, PerceptualLoss.Options.pytorchExamples());
            TransformerNet net = TransformerNet.initialized(32, 3, be);
            training = new FastStyleTraining(net, loss, new ParameterAdam(net.parameters(), AdamOptions.defaults()));
        }
        batch = image(rnd, n, side, be);
    }

    static int batchOf(String shape) {
        return Integer.parseInt(shape.substring(0, shape.indexOf('x')));
    }

    static int sideOf(String shape) {
        return Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
    }

    static Tensor image(Random rnd, int n, int side, Backend be) {
        float[] v = new float[n * 3 * side * side];
        for (int i = 0; i < v.length; i++) {
            v[i] = 255f * rnd.nextFloat();
        }
        return Tensor.of(v, Shape.of(n, 3, side, side), be);
    }

    /**
     * FLOP of one iteration: the transformer's convolutions forward and backward (to data and to
     * weights: 3 passes, less the first layer's backward to the image), VGG-16's convolutions up to
     * conv4_3 forward and backward to data for the stylised batch (2 passes) plus forward for the
     * content batch up to conv2_2. Elementwise, norm and Gram work are not counted.
     */
    static double flops(String shape) {
        int n = batchOf(shape), side = sideOf(shape);
        double total = 0;
        for (ConvGeometry g : StylizeBenchmark.transformerConvs(n, side, 32)) {
            total += (g.c() == 3 ? 2 : 3) * g.flops();
        }
        int c = 3, s = side;
        int[] widths = {64, 128, 256, 512};
        for (int b = 0; b < 4; b++) {
            for (int i = 0; i < (b < 2 ? 2 : 3); i++) {
                ConvGeometry g = new ConvGeometry(n, c, s, s, widths[b], 3, 3, 1, 1, 1, 1);
                total += (b < 2 ? 3 : 2) * g.flops();   // the content batch's forward to relu2_2 is the third pass there
                c = widths[b];
            }
            s /= 2;
        }
        return total;
    }

    /** A full iteration: forward, loss, backward, Adam; returns the loss terms. */
    @Benchmark
    public Map<String, Float> trainStep() {
        Map<String, Float> terms = training.step(batch);
        batch.backend().finish();
        return terms;
    }
}
