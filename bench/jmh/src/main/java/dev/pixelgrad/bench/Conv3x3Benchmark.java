package dev.pixelgrad.bench;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.Storage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The 3x3, stride-1, pad-1 convolutions of VGG, batch 1, C = K channels, forward and backward to
 * the data (the two passes backprop-to-the-image runs). Shape "C@S" is C channels of S x S pixels.
 * <pre>x: (1, C, S, S)   w: (C, C, 3, 3)   y: (1, C, S, S)</pre>
 */
@State(Scope.Benchmark)
public class Conv3x3Benchmark {
    @Param({"64@224", "128@112", "256@56", "512@28", "512@14"})
    public String shape;

    @Param({"java", "opencl"})
    public String backend;

    private Backend be;
    private ConvGeometry g;
    private Storage x, w, y, dx;

    /** The geometry of shape "C@S". */
    static ConvGeometry geometry(String shape) {
        String[] cs = shape.split("@");
        int c = Integer.parseInt(cs[0]), s = Integer.parseInt(cs[1]);
        return new ConvGeometry(1, c, s, s, c, 3, 3, 1, 1, 1, 1);
    }

    /** FLOP of one call of either benchmark: 2 C K outH outW R S. */
    static double flops(String shape) {
        return geometry(shape).flops();
    }

    @Setup
    public void setUp() {
        be = BenchBackends.open(backend);
        g = geometry(shape);
        x = BenchBackends.random(be, g.inputSize(), 1);
        w = BenchBackends.random(be, g.weightSize(), 2);
        y = BenchBackends.random(be, g.outputSize(), 3);
        dx = be.allocate(g.inputSize());
        be.finish();
    }

    @TearDown
    public void tearDown() {
        be.finish();
    }

    @Benchmark
    public void forward() {
        be.conv2dForward(g, x, w, null, y);
        be.finish();
    }

    /** dx += conv_transpose(dy, w), with y standing in for dy. */
    @Benchmark
    public void backwardData() {
        be.conv2dBackwardData(g, y, w, dx);
        be.finish();
    }
}
