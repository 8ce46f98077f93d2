package dev.pixelgrad.bench;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.LayerWeights;
import dev.pixelgrad.algorithms.LossTerms;
import dev.pixelgrad.algorithms.StyleTransfer;
import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggSpec;
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

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One step of Gatys style transfer, the unit of work of {@code pixelgrad style}: VGG-19 at
 * standard widths (random weights) run to relu5_1, Gram losses on relu1_1 .. relu5_1 and the
 * content loss on relu4_2, then backward to the image. Per backend (BenchMain runs those that
 * open): {@code mvn -pl bench -Dbench.include=GatysStep}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GatysStepBenchmark {
    /** Side of the square image. */
    @Param({"256", "512"})
    public String shape;

    @Param({"java", "opencl"})
    public String backend;

    private StyleTransfer transfer;
    private Tensor x;

    @Setup(Level.Trial)
    public void setup() {
        Backend be = BenchBackends.open(backend);
        VggSpec spec = VggSpec.standard(VggSpec.Arch.VGG19);
        Vgg vgg = Vgg.of(spec, Vgg.randomParameters(spec, false, be, 7), Preprocessing.TORCHVISION, PoolingMode.MAX);
        Random rnd = new Random(1);
        Tensor content = image(rnd, be), style = image(rnd, be);
        var options = new StyleTransfer.Options(LayerWeights.parse("relu4_2", vgg, null),
                LayerWeights.parse("relu1_1,relu2_1,relu3_1,relu4_1,relu5_1", vgg, null), 1f, 1e8f, 10f, 2f);
        transfer = new StyleTransfer(vgg, content, List.of(style), null, options);
        x = ImageTensors.leafCopy(image(rnd, be));
    }

    /**
     * FLOP of one step at a square image of side {@code shape}: every 3x3 convolution up to
     * conv5_1 forward and backward to its input (2 passes), and each Gram forward plus its two
     * backward products (3 passes of 2 C^2 HW). Elementwise work is not counted.
     */
    static double flops(String shape) {
        int side = Integer.parseInt(shape), c = 3;
        VggSpec spec = VggSpec.standard(VggSpec.Arch.VGG19);
        double total = 0;
        for (int b = 0; b < 5; b++) {
            int convs = b == 4 ? 1 : spec.arch().convs(b);
            for (int i = 0; i < convs; i++) {
                int k = spec.widths()[b];
                total += 2 * new ConvGeometry(1, c, side, side, k, 3, 3, 1, 1, 1, 1).flops();
                c = k;
            }
            total += 3 * 2.0 * c * c * side * side;   // the Gram of relu{b+1}_1
            side /= 2;
        }
        return total;
    }

    private Tensor image(Random rnd, Backend be) {
        int size = Integer.parseInt(shape);
        float[] v = new float[3 * size * size];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return Tensor.of(v, Shape.of(1, 3, size, size), be);
    }

    /** forward to relu5_1, the losses, backward to the image; returns the loss. */
    @Benchmark
    public float gatysStep() {
        x.zeroGrad();
        LossTerms terms = transfer.loss(x);
        Tensor total = terms.total();
        float value = total.item();
        total.backward();
        x.backend().finish();
        return value;
    }
}
