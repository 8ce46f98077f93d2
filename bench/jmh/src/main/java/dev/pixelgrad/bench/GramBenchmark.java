package dev.pixelgrad.bench;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Gram matrices of style-transfer feature maps, G = F F^T. Shape "C@S" is C channels of S x S
 * pixels; the FLOP count is that of the full product, 2 C C S S, whatever the backend exploits.
 * <pre>F: (C, S S)   G: (C, C)</pre>
 */
@State(Scope.Benchmark)
public class GramBenchmark {
    @Param({"64@512", "256@128", "512@64"})
    public String shape;

    @Param({"java", "opencl"})
    public String backend;

    private Backend be;
    private int c, m;
    private Storage f, gram;

    static double flops(String shape) {
        String[] cs = shape.split("@");
        double c = Integer.parseInt(cs[0]), s = Integer.parseInt(cs[1]);
        return 2 * c * c * s * s;
    }

    @Setup
    public void setUp() {
        be = BenchBackends.open(backend);
        String[] cs = shape.split("@");
        c = Integer.parseInt(cs[0]);
        m = Integer.parseInt(cs[1]) * Integer.parseInt(cs[1]);
        f = BenchBackends.random(be, (long) c * m, 4);
        gram = be.allocate((long) c * c);
        be.finish();
    }

    @TearDown
    public void tearDown() {
        be.finish();
    }

    @Benchmark
    public void gram() {
        be.gram(f, 0, c, m, 1f, gram, 0);
        be.finish();
    }
}
