package dev.pixelgrad.bench;

import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.Grad;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Stylising one image with a trained transformer (width 32, random weights): one forward pass
 * without a tape, the unit of work of {@code pixelgrad stylize}. Shapes 512 and 1024: the side of
 * the square image. PyTorch's time: {@code bench/python/fast_style_baseline.py}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx12g"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class StylizeBenchmark {
    @Param({"512", "1024"})
    public String shape;

    @Param({"java", "opencl"})
    public String backend;

    private TransformerNet net;
    private Tensor image;

    @Setup(Level.Trial)
    public void setup() {
        Backend be = BenchBackends.open(backend);
        net = TransformerNet.initialized(32, 3, be).requiresGrad(false);
        image = FastStyleTrainBenchmark.image(new Random(1), 1, Integer.parseInt(shape), be);
    }

    /** The transformer's convolutions for a batch of n images of side s, in order. */
    static List<ConvGeometry> transformerConvs(int n, int side, int w) {
        List<ConvGeometry> g = new ArrayList<>();
        g.add(new ConvGeometry(n, 3, side + 8, side + 8, w, 9, 9, 1, 1, 0, 0));
        g.add(new ConvGeometry(n, w, side + 2, side + 2, 2 * w, 3, 3, 2, 2, 0, 0));
        g.add(new ConvGeometry(n, 2 * w, side / 2 + 2, side / 2 + 2, 4 * w, 3, 3, 2, 2, 0, 0));
        for (int i = 0; i < 10; i++) {
            g.add(new ConvGeometry(n, 4 * w, side / 4 + 2, side / 4 + 2, 4 * w, 3, 3, 1, 1, 0, 0));
        }
        g.add(new ConvGeometry(n, 4 * w, side / 2 + 2, side / 2 + 2, 2 * w, 3, 3, 1, 1, 0, 0));
        g.add(new ConvGeometry(n, 2 * w, side + 2, side + 2, w, 3, 3, 1, 1, 0, 0));
        g.add(new ConvGeometry(n, w, side + 8, side + 8, 3, 9, 9, 1, 1, 0, 0));
        return g;
    }

    /** FLOP of the transformer's convolutions, forward only. */
    static double flops(String shape) {
        return transformerConvs(1, Integer.parseInt(shape), 32).stream().mapToDouble(ConvGeometry::flops).sum();
    }

    @Benchmark
    public float stylize() {
        try (Grad.Scope ignored = Grad.disabled()) {
            Tensor y = net.forward(image);
            float first = y.toArray()[0];
            y.close();
            return first;
        }
    }
}
