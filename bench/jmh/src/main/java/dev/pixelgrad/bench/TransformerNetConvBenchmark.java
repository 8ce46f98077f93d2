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
 * The convolutions of fast style transfer's TransformerNet (pytorch/examples fast_neural_style,
 * width 32) as it trains: batch 4, 256 x 256 images, every pass a training step runs. Reflection
 * padding happens before each convolution, so the convolutions themselves are unpadded and their
 * input is the padded image. Shape "C>KkRsT@H" is C input and K output channels, an R x R kernel,
 * stride T, on an H x H (padded) input:
 * <pre>
 * 3>32k9s1@264      conv1, 9x9 on the RGB image
 * 32>64k3s2@258     conv2, downsampling
 * 64>128k3s2@130    conv3, downsampling
 * 128>128k3s1@66    the ten convolutions of the five residual blocks
 * 128>64k3s1@130    deconv1, after 2x nearest upsampling
 * 64>32k3s1@258     deconv2, after 2x nearest upsampling
 * 32>3k9s1@264      deconv3, 9x9 back to RGB
 * </pre>
 * <pre>x: (4, C, H, H)   w: (K, C, R, R)   y: (4, K, P, P), P = (H - R) / T + 1</pre>
 */
@State(Scope.Benchmark)
public class TransformerNetConvBenchmark {
    /** Training batch of pytorch/examples fast_neural_style. */
    static final int BATCH = 4;

    @Param({"3>32k9s1@264", "32>64k3s2@258", "64>128k3s2@130", "128>128k3s1@66",
            "128>64k3s1@130", "64>32k3s1@258", "32>3k9s1@264"})
    public String shape;

    @Param({"java", "opencl"})
    public String backend;

    private Backend be;
    private ConvGeometry g;
    private Storage x, w, b, y, dx, dw, db;

    /** The geometry of shape "C>KkRsT@H", batch {@link #BATCH}, unpadded. */
    static ConvGeometry geometry(String shape) {
        String[] at = shape.split("@"), ck = at[0].split(">"), ks = ck[1].split("k"), rs = ks[1].split("s");
        int c = Integer.parseInt(ck[0]), k = Integer.parseInt(ks[0]);
        int r = Integer.parseInt(rs[0]), stride = Integer.parseInt(rs[1]), h = Integer.parseInt(at[1]);
        return new ConvGeometry(BATCH, c, h, h, k, r, r, stride, stride, 0, 0);
    }

    /** FLOP of one call of any of the three passes: 2 N K P P C R R. */
    static double flops(String shape) {
        return geometry(shape).flops();
    }

    @Setup
    public void setUp() {
        be = BenchBackends.open(backend);
        g = geometry(shape);
        x = BenchBackends.random(be, g.inputSize(), 1);
        w = BenchBackends.random(be, g.weightSize(), 2);
        b = BenchBackends.random(be, g.k(), 3);
        y = BenchBackends.random(be, g.outputSize(), 4);
        dx = be.allocate(g.inputSize());
        dw = be.allocate(g.weightSize());
        db = be.allocate(g.k());
        be.finish();
    }

    @TearDown
    public void tearDown() {
        be.finish();
    }

    @Benchmark
    public void forward() {
        be.conv2dForward(g, x, w, b, y);
        be.finish();
    }

    /** dx += conv_transpose(dy, w), with y standing in for dy. */
    @Benchmark
    public void backwardData() {
        be.conv2dBackwardData(g, y, w, dx);
        be.finish();
    }

    /** dw += dy cols(x)^T, db += row sums of dy, with y standing in for dy. */
    @Benchmark
    public void backwardWeights() {
        be.conv2dBackwardWeights(g, x, y, dw, db);
        be.finish();
    }
}
